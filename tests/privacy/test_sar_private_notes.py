"""A line manager's private notes about a person are that person's personal
data: the pack includes them (the only route by which a note leaves its
author) once a data protection officer has reviewed the section; each
release is audited, and the author is told."""

import datetime

import pytest
from django.utils import timezone

from appraisals import services as appraisals_services
from appraisals.models import PrivateNote
from bewigan.core.models import AuditEntry, Notification
from bewigan.privacy import sar as services
from tests.privacy.sar_fixtures import *  # noqa: F403
from tests.privacy.sar_fixtures import decide, open_pack, section, start

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


def _released(sar, dpo):
    """Release everything under review (names and the confidential section)
    and download once: the pack is then released to the person."""
    sar = decide(sar, dpo, "release")
    services.sar_download(actor=dpo, sar=sar)
    sar.refresh_from_db()
    return sar


def test_a_pack_with_private_notes_waits_for_the_officers_review(private_note, staff, dpo):
    sar = start(dpo, person=staff.person)
    assert sar.status == services.Status.REVIEW and not sar.archive
    confidential = sar.mentions.get(kind="confidential")
    assert confidential.section_key == "private_notes" and confidential.occurrences == 1
    assert NOTE in confidential.excerpt  # the officer reads what they decide on
    assert confidential.forms == [
        {
            "type": "appraisals.privatenote",
            "id": private_note.pk,
            "author": private_note.author_id,
            "on": private_note.conversation.meeting_date.isoformat(),
        }
    ]
    with pytest.raises(services.PackNotReady):
        services.sar_download(actor=dpo, sar=sar)


def test_released_private_notes_are_in_the_pack(private_note, staff, dpo):
    sar = decide(start(dpo, person=staff.person), dpo, "release")
    html, data, _ = open_pack(sar.archive)
    records = section(data, "private_notes")["records"]
    assert [(r["author"], r["text"]) for r in records] == [("Priya Shah", NOTE)]
    assert "SECRET-NOTE: worried about workload" in html


def test_a_withheld_section_is_left_out_and_the_pack_says_so(private_note, staff, dpo):
    sar = start(dpo, person=staff.person)
    confidential = sar.mentions.get(kind="confidential")
    services.sar_review(actor=dpo, sar=sar, decisions={confidential.pk: "redact"})
    sar.refresh_from_db()
    assert sar.status == services.Status.READY
    html, data, _ = open_pack(sar.archive)
    assert "private_notes" not in [s["key"] for s in data["sections"]]
    assert NOTE not in html and NOTE not in str(data)
    withheld = [n for n in data["not_included"] if "withheld after review" in n["title"]]
    assert [n["title"] for n in withheld] == [
        "Line managers' private notes (withheld after review)"
    ]
    services.sar_download(actor=dpo, sar=sar)
    assert not AuditEntry.objects.filter(object_type="appraisals.privatenote").exists()
    assert not Notification.objects.filter(
        kind="subject_access", body__contains="released"
    ).exists()


def test_releasing_a_note_is_audited_with_the_reference(private_note, staff, dpo):
    sar = start(dpo, person=staff.person)
    assert not AuditEntry.objects.filter(object_type="appraisals.privatenote").exists()
    _released(sar, dpo)
    entry = AuditEntry.objects.get(object_type="appraisals.privatenote")
    assert entry.object_id == str(private_note.pk)
    assert entry.action == AuditEntry.Action.EXPORT
    assert entry.actor == dpo and entry.subject == staff
    assert entry.details["reference"] == "SAR-2026-001"
    assert "SAR-2026-001" in entry.reason
    assert NOTE not in str(entry.details) + entry.reason  # the log never holds the note itself


def test_the_author_is_told_when_the_note_is_released(private_note, staff, line_manager, dpo):
    sar = start(dpo, person=staff.person)
    assert not Notification.objects.filter(recipient=line_manager, kind="subject_access").exists()
    _released(sar, dpo)
    told = Notification.objects.get(recipient=line_manager, kind="subject_access")
    assert "SAR-2026-001" in told.body and "Sam Turner" in told.body
    assert "Dana Price" in told.body
    assert NOTE not in told.body
    # A second download tells nobody again.
    services.sar_download(actor=dpo, sar=sar)
    assert Notification.objects.filter(recipient=line_manager, kind="subject_access").count() == 1


def test_the_person_is_told_their_request_is_recorded(staff, dpo):
    start(dpo, person=staff.person)
    told = Notification.objects.get(recipient=staff, kind="subject_access_recorded")
    assert "SAR-2026-001" in told.body and "private notes" in told.body


def test_notes_the_person_wrote_about_others_are_not_in_their_own_pack(
    private_note, line_manager, dpo
):
    """The manager's pack: their note is about someone else."""
    sar = start(dpo, person=line_manager.person)
    assert not sar.mentions.filter(kind="confidential").exists()
    html, data, _ = open_pack(sar.archive)
    assert section(data, "private_notes")["records"] == []
    assert "SECRET-NOTE" not in html and "SECRET-NOTE" not in str(data)
    assert not Notification.objects.filter(recipient=line_manager, kind="subject_access").exists()
    # The meeting itself is listed, without content.
    held = section(data, "held_as_manager")["records"]
    assert held and held[0]["with"] == "Sam Turner"


def test_the_note_stays_private_everywhere_else(private_note, staff, dpo):
    start(dpo, person=staff.person)
    assert not PrivateNote.objects.visible_to(dpo).exists()
    assert not PrivateNote.objects.visible_to(staff).exists()
