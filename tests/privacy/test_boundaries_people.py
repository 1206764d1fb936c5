"""People pages: an HR admin without a grant cannot see another partner's
staff through profile details, the audit log (page, filters, export),
invitations or the import; with an active HR grant they can; an expired,
revoked or one-way grant stops it."""

import io

import pytest
from django.urls import reverse

from bewigan.core.services import audit_record
from bewigan.people.importing.services import importable_organisation_ids
from bewigan.people.models import Invitation

from .grants import GRANT_STATES, apply_state, make_grant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state, reaches", GRANT_STATES)
def test_profile_details(
    client_for, hr_admin, outsider, organisation, other_organisation, state, reaches
):
    apply_state(state, own=organisation, other=other_organisation)
    outsider.person.employee_number = "WWL-SECRET-1"
    outsider.person.save()
    page = client_for(hr_admin).get(reverse("people:person_detail", args=[outsider.person.pk]))
    assert page.status_code == 200  # the working profile is for every member of staff
    assert ("WWL-SECRET-1" in page.content.decode()) is reaches


def test_profile_details_of_own_organisation(client_for, hr_admin, staff):
    staff.person.employee_number = "WC-OWN-1"
    staff.person.save()
    page = client_for(hr_admin).get(reverse("people:person_detail", args=[staff.person.pk]))
    assert "WC-OWN-1" in page.content.decode()


@pytest.fixture
def outsider_entry(outsider):
    return audit_record(
        actor=outsider, action="view", obj=outsider.person, subject=outsider, reason="WWL secret"
    )


@pytest.mark.parametrize("state, reaches", GRANT_STATES)
def test_audit_log_page_filters_and_export(
    client_for, hr_admin, outsider, outsider_entry, organisation, other_organisation, state, reaches
):
    apply_state(state, own=organisation, other=other_organisation)
    client = client_for(hr_admin)
    for query in ({}, {"subject": outsider.email}, {"actor": "olu"}, {"action": "view"}):
        html = client.get(reverse("people:audit_log"), query).content.decode()
        assert ("WWL secret" in html) is reaches, query
    export = client.post(
        reverse("people:audit_log_export") + f"?subject={outsider.email}", {"format": "csv"}
    )
    assert export.status_code == 200
    body = b"".join(export.streaming_content) if export.streaming else export.content
    assert (b"WWL secret" in body) is reaches


def test_invitations(client_for, hr_admin, organisation, other_organisation):
    client = client_for(hr_admin)
    Invitation.objects.create(
        email="wwl.pending@gmail.com", organisation=other_organisation, invited_by=hr_admin
    )
    page = client.get(reverse("people:invite")).content.decode()
    assert "WWL NHS Trust" not in page and "wwl.pending@gmail.com" not in page
    refused = client.post(
        reverse("people:invite"), {"email": "x@gmail.com", "organisation": other_organisation.pk}
    )
    assert "govuk-error-summary" in refused.content.decode()

    make_grant(other_organisation, organisation, "hr")
    page = client.get(reverse("people:invite")).content.decode()
    assert "WWL NHS Trust" in page and "wwl.pending@gmail.com" in page
    ok = client.post(
        reverse("people:invite"), {"email": "x@gmail.com", "organisation": other_organisation.pk}
    )
    assert ok.status_code == 302
    assert Invitation.objects.filter(email="x@gmail.com", organisation=other_organisation).exists()


@pytest.mark.parametrize("state, reaches", GRANT_STATES)
def test_import_organisation_choice(hr_admin, organisation, other_organisation, state, reaches):
    apply_state(state, own=organisation, other=other_organisation)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=hr_admin.pk)
    allowed = importable_organisation_ids(user)
    assert organisation.pk in allowed
    assert (other_organisation.pk in allowed) is reaches


def test_import_page_refuses_another_partners_rows(client_for, hr_admin, other_organisation):
    from tests.people.import_files import csv_bytes, person_row

    f = io.BytesIO(csv_bytes([person_row(1, organisation="wwl", team_codes="")]))
    f.name = "people.csv"
    response = client_for(hr_admin).post(reverse("people:import_upload"), {"file": f}, follow=True)
    assert "you can import people for Wigan Council only, not WWL NHS Trust" in (
        response.content.decode()
    )
