"""The HR admin's leavers pages and the handover page: grants and denials."""

import datetime

import pytest
from django.utils import timezone

from bewigan.core.models import AuditEntry
from bewigan.people.models import Person
from bewigan.privacy.models import LeaverRecord
from tests.appraisals.factories import ActionFactory, ConversationFactory
from tests.conftest import make_persona

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def mark_url(user):
    return f"/data-protection/leavers/{user.person.pk}/"


def handover_url(user):
    return f"/data-protection/leavers/{user.person.pk}/handover/"


@pytest.fixture
def wwl_hr_admin(other_organisation, mfa_exempt, settings):
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [*settings.BEWIGAN_MFA_EXEMPT_EMAILS, "hr@wwl.nhs.uk"]
    from bewigan.people import roles

    return make_persona(other_organisation, None, "hr@wwl.nhs.uk", [roles.HR_ADMIN])


@pytest.mark.parametrize("persona", ["staff", "line_manager", "survey_admin", "outsider"])
def test_only_hr_admins_use_the_leavers_pages(request, client_for, persona, colleague):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/data-protection/leavers/").status_code == 403
    assert client.get(mark_url(colleague)).status_code == 403
    assert (
        client.post(mark_url(colleague), {"leaver_date": TODAY(), "reason": "x"}).status_code == 403
    )
    colleague.refresh_from_db()
    assert colleague.is_active


def test_anonymous_people_are_sent_to_sign_in(client, colleague):
    for url in ("/data-protection/leavers/", mark_url(colleague)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_hr_admins_find_people_of_their_own_organisation_only(
    client_for, hr_admin, staff, outsider
):
    client = client_for(hr_admin)
    page = client.get("/data-protection/leavers/", {"q": "Turner"}).content.decode()
    assert "Sam Turner" in page and mark_url(staff) in page
    page = client.get("/data-protection/leavers/", {"q": "outsider"}).content.decode()
    assert mark_url(outsider) not in page
    assert "Nobody working in your organisations matches" in page


def test_another_organisations_people_answer_404(
    client_for, hr_admin, wwl_hr_admin, staff, outsider
):
    assert client_for(hr_admin).get(mark_url(outsider)).status_code == 404
    client = client_for(wwl_hr_admin)
    assert client.get(mark_url(staff)).status_code == 404
    assert client.post(mark_url(staff), {"leaver_date": TODAY(), "reason": "x"}).status_code == 404
    staff.refresh_from_db()
    assert staff.is_active
    assert client.get("/data-protection/leavers/999999/").status_code == 404


def test_an_hr_admin_marks_someone_as_a_leaver(
    client_for, hr_admin, staff, line_manager, django_capture_on_commit_callbacks
):
    client = client_for(hr_admin)
    page = client.get(mark_url(staff))
    assert page.status_code == 200
    assert "Mark Sam Turner as a leaver" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            mark_url(staff), {"leaver_date": TODAY().isoformat(), "reason": "Resigned"}
        )

    assert response.status_code == 302 and response["Location"] == handover_url(staff)
    staff.refresh_from_db()
    assert not staff.is_active
    record = LeaverRecord.objects.get(person=staff.person)
    assert record.source == "manual" and record.processed_by == hr_admin
    entry = AuditEntry.objects.get(object_type="people.person", object_id=str(staff.person.pk))
    assert (entry.actor, entry.reason) == (hr_admin, "Resigned")
    listing = client.get("/data-protection/leavers/").content.decode()
    assert "Left in the last 90 days" in listing and handover_url(staff) in listing
    # Marking again just shows the handover.
    assert client.get(mark_url(staff))["Location"] == handover_url(staff)


def test_a_later_leaving_date_is_scheduled(client_for, hr_admin, staff):
    client = client_for(hr_admin)
    later = TODAY() + datetime.timedelta(days=14)
    response = client.post(
        mark_url(staff), {"leaver_date": later.isoformat(), "reason": "Retiring"}
    )
    assert response.status_code == 302 and response["Location"] == "/data-protection/leavers/"
    staff.refresh_from_db()
    assert staff.is_active and staff.person.leaver_date == later
    assert not LeaverRecord.objects.exists()
    assert "Leaving soon" in client.get(response["Location"]).content.decode()
    entry = AuditEntry.objects.get(object_type="people.person", subject=staff)
    assert entry.details == {"leaver_date": later.isoformat(), "scheduled": True}


def test_the_form_checks_the_date_and_reason(client_for, hr_admin, staff):
    Person.objects.filter(user=staff).update(start_date=TODAY() - datetime.timedelta(days=30))
    client = client_for(hr_admin)
    response = client.post(
        mark_url(staff),
        {"leaver_date": (TODAY() - datetime.timedelta(days=60)).isoformat(), "reason": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "on or after their start date" in page and "Enter the reason" in page
    staff.refresh_from_db()
    assert staff.is_active


def test_an_hr_admin_cannot_mark_themself(client_for, hr_admin):
    response = client_for(hr_admin).post(
        mark_url(hr_admin), {"leaver_date": TODAY().isoformat(), "reason": "Testing"}
    )
    assert response.status_code == 200
    assert "You cannot mark yourself as a leaver" in response.content.decode()
    hr_admin.refresh_from_db()
    assert hr_admin.is_active


@pytest.fixture
def left(staff, line_manager, hr_admin, client_for, django_capture_on_commit_callbacks):
    conversation = ConversationFactory(person=staff.person, manager=line_manager.person)
    ActionFactory(
        conversation=conversation, owner=staff.person, text="Book the moving and handling course"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(hr_admin).post(
            mark_url(staff), {"leaver_date": TODAY().isoformat(), "reason": "Resigned"}
        )
    return conversation


@pytest.mark.parametrize(
    "persona,status",
    [
        ("line_manager", 200),
        ("hr_admin", 200),
        ("colleague", 404),
        ("survey_admin", 404),
        ("outsider", 404),
    ],
)
def test_who_sees_the_handover(request, client, staff, left, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(handover_url(staff)).status_code == status


def test_the_manager_reads_the_action_and_hr_does_not(client, staff, line_manager, hr_admin, left):
    client.force_login(line_manager)
    page = client.get(handover_url(staff)).content.decode()
    assert "Book the moving and handling course" in page
    assert f"/my-time/conversations/{left.pk}/" in page
    client.force_login(hr_admin)
    page = client.get(handover_url(staff)).content.decode()
    assert "Book the moving and handling course" not in page
    assert "Agreed in a my time with Priya Shah" in page


def test_there_is_no_handover_for_someone_who_has_not_left(client_for, hr_admin, staff):
    assert client_for(hr_admin).get(handover_url(staff)).status_code == 404
