"""Legal holds: placed and released by HR admins with a reason (audited),
within their reach; others are refused or see nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bewigan.core.models import AuditEntry
from bewigan.partners.models import DataSharingGrant
from bewigan.privacy.holds import hold_place, hold_release, holds_visible_to
from bewigan.privacy.models import LegalHold
from tests.appraisals.factories import ConversationFactory
from tests.conftest import make_persona
from tests.people.factories import PersonFactory
from tests.recruitment.factories import CandidateFactory
from tests.surveys.factories import make_survey, make_wave

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_hr_admin(other_organisation, settings, mfa_exempt):
    from bewigan.people import roles

    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [*settings.BEWIGAN_MFA_EXEMPT_EMAILS, "hr@wwl.nhs.uk"]
    return make_persona(other_organisation, None, "hr@wwl.nhs.uk", [roles.HR_ADMIN])


# --- Services ----------------------------------------------------------------------------


def test_hr_admin_places_and_releases_a_hold_with_reasons_audited(hr_admin, staff):
    hold = hold_place(user=hr_admin, person=staff.person, reason="  ET claim 2401234/2026  ")
    assert hold.reason == "ET claim 2401234/2026" and hold.placed_by == hr_admin
    placed = AuditEntry.objects.get(object_type="privacy.legalhold", action="create")
    assert placed.subject == staff and placed.reason == "ET claim 2401234/2026"
    assert placed.details == {"legal_hold": "placed", "target": f"people.person:{staff.person.pk}"}

    with pytest.raises(ValidationError, match="already an active legal hold"):
        hold_place(user=hr_admin, person=staff.person, reason="Again")
    with pytest.raises(ValidationError, match="why the hold can be released"):
        hold_release(user=hr_admin, hold=hold, reason=" ")

    hold_release(user=hr_admin, hold=hold, reason="Claim withdrawn")
    hold.refresh_from_db()
    assert hold.released_by == hr_admin and hold.release_reason == "Claim withdrawn"
    released = AuditEntry.objects.get(object_type="privacy.legalhold", action="update")
    assert released.reason == "Claim withdrawn" and released.details["legal_hold"] == "released"
    with pytest.raises(ValidationError, match="already been released"):
        hold_release(user=hr_admin, hold=hold, reason="Twice")
    # a released hold no longer blocks a new one
    hold_place(user=hr_admin, person=staff.person, reason="New claim")
    assert LegalHold.objects.active().count() == 1


def test_a_hold_needs_a_reason_and_exactly_one_target(hr_admin, staff):
    with pytest.raises(ValidationError, match="why the records must be kept"):
        hold_place(user=hr_admin, person=staff.person, reason="")
    with pytest.raises(ValidationError, match="Choose one"):
        hold_place(user=hr_admin, reason="x")
    with pytest.raises(ValidationError, match="Choose one"):
        hold_place(
            user=hr_admin,
            person=staff.person,
            candidate=CandidateFactory(vacancy__organisation=staff.person.organisation),
            reason="x",
        )
    assert not LegalHold.objects.exists()


def test_others_cannot_place_or_release_holds(
    hr_admin, staff, line_manager, outsider, other_hr_admin
):
    for user in (staff, line_manager, outsider):
        with pytest.raises(PermissionDenied):
            hold_place(user=user, person=staff.person, reason="x")
    # an HR admin of another organisation does not reach our people
    with pytest.raises(PermissionDenied):
        hold_place(user=other_hr_admin, person=staff.person, reason="x")
    with pytest.raises(PermissionDenied):
        hold_place(
            user=other_hr_admin,
            candidate=CandidateFactory(vacancy__organisation=staff.person.organisation),
            reason="x",
        )
    with pytest.raises(ValidationError, match="record you may place a hold on"):
        hold_place(
            user=other_hr_admin,
            object_type="appraisals.conversation",
            object_id=str(ConversationFactory(person=staff.person).pk),
            reason="x",
        )
    hold = hold_place(user=hr_admin, person=staff.person, reason="Ours")
    with pytest.raises(PermissionDenied):
        hold_release(user=other_hr_admin, hold=hold, reason="x")
    assert holds_visible_to(user=other_hr_admin) == []
    assert [h.pk for h in holds_visible_to(user=hr_admin)] == [hold.pk]


def test_a_data_sharing_grant_brings_the_other_organisation_into_reach(
    hr_admin, staff, other_hr_admin, organisation, other_organisation
):
    DataSharingGrant.objects.create(
        sharing_organisation=organisation,
        receiving_organisation=other_organisation,
        purpose="hr",
        agreement_reference="DSA-7",
    )
    hold = hold_place(user=other_hr_admin, person=staff.person, reason="Shared HR service")
    assert [h.pk for h in holds_visible_to(user=other_hr_admin)] == [hold.pk]


def test_record_holds_follow_the_records_organisation_and_waves_are_shared(
    hr_admin, staff, other_hr_admin, organisation
):
    wave = make_wave(make_survey(), organisations=[organisation])
    hold = hold_place(
        user=other_hr_admin, object_type="surveys.wave", object_id=f"{wave.pk}", reason="FOI"
    )
    assert {h.pk for h in holds_visible_to(user=hr_admin)} == {hold.pk}
    conversation = ConversationFactory(person=staff.person)
    ours = hold_place(
        user=hr_admin,
        object_type="appraisals.conversation",
        object_id=str(conversation.pk),
        reason="Grievance",
    )
    assert {h.pk for h in holds_visible_to(user=hr_admin)} == {hold.pk, ours.pk}
    assert {h.pk for h in holds_visible_to(user=other_hr_admin)} == {hold.pk}
    with pytest.raises(ValidationError, match="record you may place a hold on"):
        hold_place(user=hr_admin, object_type="surveys.wave", object_id="999999", reason="x")
    with pytest.raises(ValidationError, match="record you may place a hold on"):
        hold_place(user=hr_admin, object_type="people.person", object_id="1", reason="x")


# --- Pages -------------------------------------------------------------------------------


def test_hold_pages_deny_staff_and_line_managers(client_for, staff, line_manager, hr_admin):
    hold = hold_place(user=hr_admin, person=staff.person, reason="Claim")
    for user in (staff, line_manager):
        client = client_for(user)
        for url in (
            "/data-protection/holds/",
            "/data-protection/holds/new/",
            f"/data-protection/holds/{hold.pk}/release/",
        ):
            assert client.get(url).status_code == 403, (user, url)
        assert client.post("/data-protection/holds/new/", {}).status_code == 403
    assert LegalHold.objects.active().count() == 1


def test_hr_admin_finds_a_person_and_places_a_hold(client_for, hr_admin, staff, outsider):
    client = client_for(hr_admin)
    page = client.get("/data-protection/holds/", {"q": "Turner"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert f"?person={staff.person.pk}" in html
    # nobody from another organisation is found
    found = client.get("/data-protection/holds/", {"q": "Olu"}).content.decode()
    assert f"?person={outsider.person.pk}" not in found and "Nobody in your organisations" in found
    url = f"/data-protection/holds/new/?person={staff.person.pk}"
    form = client.get(url)
    assert form.status_code == 200 and "Sam Turner" in form.content.decode()
    error = client.post(url, {"reason": ""})
    assert (
        error.status_code == 200 and "Enter why the records must be kept" in error.content.decode()
    )
    done = client.post(url, {"reason": "Tribunal claim"})
    assert done.status_code == 302 and done.url == "/data-protection/holds/"
    assert LegalHold.objects.get().person == staff.person
    listing = client.get("/data-protection/holds/").content.decode()
    assert "Sam Turner" in listing and "Tribunal claim" in listing
    # another organisation's person: 404, like a missing one
    assert client.get(f"/data-protection/holds/new/?person={outsider.person.pk}").status_code == 404
    assert client.get("/data-protection/holds/new/?person=99999").status_code == 404


def test_hr_admin_holds_a_record_and_releases_the_hold(client_for, hr_admin, staff):
    client = client_for(hr_admin)
    conversation = ConversationFactory(person=staff.person)
    bad = client.post(
        "/data-protection/holds/new/",
        {"object_type": "appraisals.conversation", "object_id": "abc", "reason": "x"},
    )
    assert "digits only" in bad.content.decode()
    missing = client.post(
        "/data-protection/holds/new/",
        {"object_type": "appraisals.conversation", "object_id": "999999", "reason": "x"},
    )
    assert "record you may place a hold on" in missing.content.decode()
    ok = client.post(
        "/data-protection/holds/new/",
        {
            "object_type": "appraisals.conversation",
            "object_id": f"#{conversation.pk}",
            "reason": "Grievance",
        },
    )
    assert ok.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.object_type, hold.object_id) == ("appraisals.conversation", str(conversation.pk))
    url = f"/data-protection/holds/{hold.pk}/release/"
    page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count("<h1") == 1
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Resolved"}).status_code == 302
    hold.refresh_from_db()
    assert hold.released_at and hold.release_reason == "Resolved"
    assert "already been released" in client.get(url).content.decode()


def test_another_organisations_hr_admin_gets_404_for_our_holds(
    client_for, hr_admin, staff, other_hr_admin
):
    hold = hold_place(user=hr_admin, person=staff.person, reason="Claim")
    client = client_for(other_hr_admin)
    assert client.get(f"/data-protection/holds/{hold.pk}/release/").status_code == 404
    assert (
        client.post(f"/data-protection/holds/{hold.pk}/release/", {"reason": "x"}).status_code
        == 404
    )
    assert "Claim" not in client.get("/data-protection/holds/").content.decode()
    assert LegalHold.objects.active().count() == 1


def test_hold_list_query_count_does_not_grow_with_person_holds(
    client_for, hr_admin, organisation, django_assert_max_num_queries
):
    client = client_for(hr_admin)
    client.get("/data-protection/holds/")
    for _ in range(3):
        hold_place(user=hr_admin, person=PersonFactory(organisation=organisation), reason="x")
    with django_assert_max_num_queries(12):
        assert client.get("/data-protection/holds/").status_code == 200
    for _ in range(20):
        hold_place(user=hr_admin, person=PersonFactory(organisation=organisation), reason="x")
    with django_assert_max_num_queries(12):
        assert client.get("/data-protection/holds/").status_code == 200
