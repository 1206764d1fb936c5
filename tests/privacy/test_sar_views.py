"""The HR admin's pages: find the person, start, follow progress (with and
without JavaScript), download; every step in the audit log."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bewigan.core.models import AuditEntry, Notification
from bewigan.privacy import sar as services
from bewigan.privacy.models import SubjectAccessRequest
from tests.privacy.sar_fixtures import *  # noqa: F403
from tests.privacy.sar_fixtures import REASON, open_pack, start
from tests.recruitment.factories import CandidateFactory

pytestmark = pytest.mark.django_db

Status = SubjectAccessRequest.Status
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_find_choose_and_start(staff, dpo, organisation, client_for):
    CandidateFactory(vacancy__organisation=organisation, first_name="Sam", last_name="Okafor")
    client = client_for(dpo)
    new = reverse("privacy:sar_new")
    page = client.get(new)
    assert page.status_code == 200 and page.content.decode().count("<h1") == 1
    found = client.get(f"{new}?q=sam").content.decode()
    assert "Sam Turner" in found and "Sam Okafor" in found
    assert f"?person={staff.person.pk}" in found
    mine = client.get(f"{new}?q=dana").content.decode()
    assert f"?person={dpo.person.pk}" not in mine and "Nobody in your reach" in mine
    chosen = client.get(f"{new}?person={staff.person.pk}")
    assert chosen.status_code == 200 and "staff@wigan.gov.uk" in chosen.content.decode()
    missing = client.post(new, {"person": staff.person.pk, "reference": "", "reason": "short"})
    assert missing.status_code == 400
    assert not SubjectAccessRequest.objects.exists()
    unrecorded = client.post(
        new, {"person": staff.person.pk, "reference": "SAR-9", "reason": REASON}
    )
    assert unrecorded.status_code == 400  # when and how the request arrived are required
    assert not SubjectAccessRequest.objects.exists()
    received = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    response = client.post(
        new,
        {
            "person": staff.person.pk,
            "reference": "SAR-9",
            "reason": REASON,
            "received_on": received,
            "received_via": "letter",
        },
    )
    sar = SubjectAccessRequest.objects.get()
    assert (sar.received_on.isoformat(), sar.received_via) == (received, "letter")
    assert response["Location"] == reverse("privacy:sar_detail", args=[sar.pk])
    assert (sar.person, sar.requested_by, sar.reference, sar.reason) == (
        staff.person,
        dpo,
        "SAR-9",
        REASON,
    )
    assert sar.status == Status.READY  # the immediate backend ran the task
    assert sar.organisation == organisation and sar.subject_label == "Sam Turner"
    detail = client.get(response["Location"]).content.decode()
    assert "Download the pack (zip)" in detail and detail.count("<h1") == 1
    assert "Staff survey answers and comments" in detail  # what the pack leaves out
    assert "records collected" in detail  # the history from the audit log


def test_the_status_page_refreshes_itself_while_work_is_queued(staff, dpo, client_for, settings):
    settings.TASKS = DUMMY
    sar = start(dpo, person=staff.person)
    assert sar.status == Status.QUEUED
    client = client_for(dpo)
    url = reverse("privacy:sar_detail", args=[sar.pk])
    body = client.get(url).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in body
    assert "privacy/sar_progress.js" in body and "<progress" in body
    assert "Check progress now" in body
    poll = client.get(url, headers={"X-Requested-With": "fetch"})
    assert poll.json() == {
        "status": "queued",
        "progress": 0,
        "message": "Waiting to start",
        "working": True,
    }
    # The worker runs it; the next poll says it is done and the page stops refreshing.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert services.sar_generate(request_id=sar.pk) == Status.READY
    assert client.get(url, headers={"X-Requested-With": "fetch"}).json()["working"] is False
    body = client.get(url).content.decode()
    assert "refresh" not in body and "sar_progress.js" not in body
    told = Notification.objects.filter(recipient=dpo, kind="subject_access")
    assert not told.exists()  # ready at once: nothing to review, so no nudge needed


def test_the_requester_is_told_when_names_need_review(
    staff, colleague, line_manager, dpo, client_for
):
    from tests.appraisals.factories import ShoutOutFactory

    ShoutOutFactory(giver=line_manager.person, recipient=staff.person, message="Kai Ward says hi")
    sar = start(dpo, person=staff.person)
    told = Notification.objects.get(recipient=dpo, kind="subject_access")
    assert told.url == reverse("privacy:sar_review", args=[sar.pk])
    detail = client_for(dpo).get(reverse("privacy:sar_detail", args=[sar.pk]))
    assert "Review names" in detail.content.decode()


def test_a_failed_generation_can_be_retried(staff, dpo, client_for, monkeypatch):
    def broken(subject):
        raise RuntimeError("database went away")

    monkeypatch.setattr(
        "bewigan.privacy.sar_collect.person_collectors", lambda: [("Broken", broken)]
    )
    sar = start(dpo, person=staff.person)
    assert sar.status == Status.FAILED and "RuntimeError" in sar.error
    assert "database went away" not in sar.error  # no internals on the page
    client = client_for(dpo)
    url = reverse("privacy:sar_detail", args=[sar.pk])
    assert "Try again" in client.get(url).content.decode()
    monkeypatch.undo()
    client.post(url, {"action": "retry"})
    sar.refresh_from_db()
    assert sar.status == Status.READY and sar.error == ""
    assert AuditEntry.objects.filter(reason__contains="Generation restarted").exists()


def test_download_is_an_audited_attachment(staff, dpo, client_for):
    sar = start(dpo, person=staff.person, reference="SAR 2026/7")
    response = client_for(dpo).get(reverse("privacy:sar_download", args=[sar.pk]))
    assert response.status_code == 200
    name = sar.archive_name
    assert name.startswith("subject-access-sar-20267-") and name.endswith(".zip")
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    html, data, _ = open_pack(response.content)
    assert data["reference"] == "SAR 2026/7"
    entry = AuditEntry.objects.get(reason__contains="pack downloaded")
    assert entry.actor == dpo and entry.subject == staff
    assert entry.details["reference"] == "SAR 2026/7" and len(entry.details["sha256"]) == 64
    sar.refresh_from_db()
    assert sar.released_at is not None


def test_the_list_shows_requests_with_a_fixed_number_of_queries(
    staff, colleague, line_manager, dpo, client_for, django_assert_max_num_queries
):
    client = client_for(dpo)
    url = reverse("privacy:sar_list")
    start(dpo, person=staff.person, reference="SAR-A")
    client.get(url)  # warm per-process caches
    with django_assert_max_num_queries(12) as small:
        body = client.get(url).content.decode()
    assert "SAR-A" in body and body.count("<h1") == 1
    for i, person in enumerate([colleague.person, line_manager.person] * 3):
        start(dpo, person=person, reference=f"SAR-B{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(url).content.decode()
    assert "SAR-B5" in body
