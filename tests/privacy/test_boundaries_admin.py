"""The grants register in the Wagtail admin: HR admins list (with filters)
the grants their organisation gave or received, record grants from their own
organisation (recorded_by, audit), and revoke; nobody edits or deletes one."""

import pytest
from django.contrib.auth import get_user_model

from bewigan.core.models import AuditEntry
from bewigan.partners.models import DataSharingGrant
from tests.people.factories import OrganisationFactory

from .grants import make_grant

pytestmark = pytest.mark.django_db
BASE = "/admin/data-sharing-grants/"


@pytest.fixture
def register(organisation, other_organisation):
    third = OrganisationFactory(
        slug="wigan-homes", name="Wigan and Leigh Homes", short_name="Homes"
    )
    return {
        "given": make_grant(
            organisation, other_organisation, "hr", agreement_reference="DSA-GIVEN"
        ),
        "received": make_grant(
            other_organisation, organisation, "surveys", agreement_reference="DSA-RECEIVED"
        ),
        "revoked": make_grant(
            other_organisation, organisation, "hr", "revoked", agreement_reference="DSA-REVOKED"
        ),
        "elsewhere": make_grant(
            other_organisation, third, "hr", agreement_reference="DSA-ELSEWHERE"
        ),
    }


def test_hr_admin_lists_their_organisations_grants(client_for, hr_admin, register):
    response = client_for(hr_admin).get(BASE)
    assert response.status_code == 200
    html = response.content.decode()
    for ref in ("DSA-GIVEN", "DSA-RECEIVED", "DSA-REVOKED"):
        assert ref in html
    assert "DSA-ELSEWHERE" not in html
    assert "Revoked" in html and "Active" in html


@pytest.mark.parametrize(
    "query, present, absent",
    [
        ({"status": "revoked"}, ["DSA-REVOKED"], ["DSA-GIVEN", "DSA-RECEIVED"]),
        ({"status": "active"}, ["DSA-GIVEN", "DSA-RECEIVED"], ["DSA-REVOKED"]),
        ({"purpose": "surveys"}, ["DSA-RECEIVED"], ["DSA-GIVEN", "DSA-REVOKED"]),
    ],
)
def test_list_filters(client_for, hr_admin, register, query, present, absent):
    html = client_for(hr_admin).get(BASE, query).content.decode()
    for ref in present:
        assert ref in html, ref
    for ref in absent:
        assert ref not in html, ref
    assert "DSA-ELSEWHERE" not in html


def test_filter_by_organisation_never_shows_a_third_partys_grant(
    client_for, hr_admin, register, other_organisation
):
    html = client_for(hr_admin).get(BASE, {"sharing_organisation": other_organisation.pk})
    html = html.content.decode()
    assert "DSA-RECEIVED" in html and "DSA-ELSEWHERE" not in html


def test_hr_admin_records_a_grant_from_their_organisation(
    client_for, hr_admin, organisation, other_organisation
):
    client = client_for(hr_admin)
    form = client.get(BASE + "new/")
    assert form.status_code == 200
    assert list(form.context["form"].fields["sharing_organisation"].queryset) == [organisation]
    response = client.post(
        BASE + "new/",
        {
            "sharing_organisation": organisation.pk,
            "receiving_organisation": other_organisation.pk,
            "purpose": "hr",
            "agreement_reference": "DSA-2026-07",
            "description": "Integrated discharge team",
            "starts_on": "2026-01-01",
            "ends_on": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    grant = DataSharingGrant.objects.get(agreement_reference="DSA-2026-07")
    assert grant.recorded_by == hr_admin and grant.sharing_organisation == organisation
    assert AuditEntry.objects.filter(
        object_type="partners.datasharinggrant", object_id=str(grant.pk), actor=hr_admin
    ).exists()


def test_hr_admin_cannot_grant_themselves_another_partner(
    client_for, hr_admin, organisation, other_organisation
):
    response = client_for(hr_admin).post(
        BASE + "new/",
        {
            "sharing_organisation": other_organisation.pk,
            "receiving_organisation": organisation.pk,
            "purpose": "hr",
            "agreement_reference": "DSA-SELF",
            "starts_on": "2026-01-01",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not DataSharingGrant.objects.exists()


def test_dates_and_organisations_are_checked(client_for, hr_admin, organisation):
    response = client_for(hr_admin).post(
        BASE + "new/",
        {
            "sharing_organisation": organisation.pk,
            "receiving_organisation": organisation.pk,
            "purpose": "hr",
            "agreement_reference": "DSA-BAD",
            "starts_on": "2026-05-01",
            "ends_on": "2026-04-01",
        },
    )
    errors = response.context["form"].errors
    assert "receiving_organisation" in errors and "ends_on" in errors
    assert not DataSharingGrant.objects.exists()


def test_inspect_and_revoke(client_for, hr_admin, register):
    client = client_for(hr_admin)
    received = register["received"]
    page = client.get(f"{BASE}inspect/{received.pk}/")
    assert page.status_code == 200 and "Revoke this grant" in page.content.decode()
    assert client.get(f"{BASE}revoke/{received.pk}/").status_code == 200
    response = client.post(f"{BASE}revoke/{received.pk}/", {"reason": "Agreement ended"})
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.revoked_at is not None
    assert AuditEntry.objects.filter(reason="Agreement ended", actor=hr_admin).exists()
    first = received.revoked_at
    again = client.post(f"{BASE}revoke/{received.pk}/")  # once only: the admin refuses
    assert again.status_code == 302 and again.url == "/admin/"
    received.refresh_from_db()
    assert received.revoked_at == first


def test_other_partners_grants_are_not_found(client_for, hr_admin, register):
    client = client_for(hr_admin)
    elsewhere = register["elsewhere"].pk
    for url in (
        f"{BASE}inspect/{elsewhere}/",
        f"{BASE}revoke/{elsewhere}/",
        f"{BASE}history/{elsewhere}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{BASE}revoke/{elsewhere}/").status_code == 404
    register["elsewhere"].refresh_from_db()
    assert register["elsewhere"].revoked_at is None


def test_nobody_edits_or_deletes_a_grant(client_for, hr_admin, register):
    client = client_for(hr_admin)
    given = register["given"]
    assert client.get(f"{BASE}edit/{given.pk}/").status_code == 302
    assert client.post(f"{BASE}delete/{given.pk}/").status_code == 302
    assert DataSharingGrant.objects.filter(pk=given.pk).exists()


def test_only_hr_admins_and_superusers(client_for, comms_editor, staff, register):
    denied = client_for(comms_editor).get(BASE)  # admin access, not this listing
    assert denied.status_code == 302 and denied["Location"] == "/admin/"
    assert client_for(staff).get(BASE).status_code == 403  # no admin access at all
    menu = client_for(comms_editor).get("/admin/").content.decode()
    assert "Data-sharing grants" not in menu


def test_superuser_sees_the_whole_register(client, register, settings):
    root = get_user_model().objects.create_superuser(email="root@example.org", password="x" * 20)
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = ["root@example.org"]
    client.force_login(root)
    html = client.get(BASE).content.decode()
    assert "DSA-ELSEWHERE" in html and "DSA-GIVEN" in html
