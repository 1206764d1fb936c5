"""A line manager's private notes about a person are that person's personal
data: the pack includes them (the only route by which a note leaves its
author), each inclusion is audited, and the author is told."""

import datetime

import pytest
from django.utils import timezone

from appraisals import services as appraisals_services
from appraisals.models import PrivateNote
from bewigan.core.models import AuditEntry, Notification
from tests.privacy.sar_fixtures import *  # noqa: F403
from tests.privacy.sar_fixtures import open_pack, section, start

pytestmark = pytest.mark.django_db

NOTE = "SECRET-NOTE: worried about workload"


@pytest.fixture
def private_note(staff, line_manager):
    conversation = appraisals_services.conversation_plan(
        actor=staff,
        person=staff.person,
        meeting_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    return appraisals_services.private_note_save(
        actor=line_manager, conversation=conversation, text=NOTE
    )


def test_private_notes_about_the_person_are_in_the_pack(private_note, staff, hr_admin):
    sar = start(hr_admin, person=staff.person)
    html, data, _ = open_pack(sar.archive)
    records = section(data, "private_notes")["records"]
    assert [(r["author"], r["text"]) for r in records] == [("Priya Shah", NOTE)]
    assert "SECRET-NOTE: worried about workload" in html


def test_including_a_note_is_audited_with_the_reference(private_note, staff, hr_admin):
    start(hr_admin, person=staff.person)
    entry = AuditEntry.objects.get(object_type="appraisals.privatenote")
    assert entry.object_id == str(private_note.pk)
    assert entry.action == AuditEntry.Action.EXPORT
    assert entry.actor == hr_admin and entry.subject == staff
    assert entry.details["reference"] == "SAR-2026-001"
    assert "SAR-2026-001" in entry.reason
    assert NOTE not in str(entry.details) + entry.reason  # the log never holds the note itself


def test_the_author_is_told(private_note, staff, line_manager, hr_admin):
    start(hr_admin, person=staff.person)
    told = Notification.objects.get(recipient=line_manager, kind="subject_access")
    assert "SAR-2026-001" in told.body and "Sam Turner" in told.body
    assert "Helen Barker" in told.body
    assert NOTE not in told.body
    assert not Notification.objects.filter(recipient=staff, kind="subject_access").exists()


def test_notes_the_person_wrote_about_others_are_not_in_their_own_pack(
    private_note, line_manager, hr_admin
):
    """The manager's pack: their note is about someone else."""
    sar = start(hr_admin, person=line_manager.person)
    html, data, _ = open_pack(sar.archive)
    assert section(data, "private_notes")["records"] == []
    assert "SECRET-NOTE" not in html and "SECRET-NOTE" not in str(data)
    assert not Notification.objects.filter(recipient=line_manager, kind="subject_access").exists()
    # The meeting itself is listed, without content.
    held = section(data, "held_as_manager")["records"]
    assert held and held[0]["with"] == "Sam Turner"


def test_the_note_stays_private_everywhere_else(private_note, staff, hr_admin):
    start(hr_admin, person=staff.person)
    assert not PrivateNote.objects.visible_to(hr_admin).exists()
    assert not PrivateNote.objects.visible_to(staff).exists()
