"""Organisations, neighbourhoods and teams as Wagtail snippets for HR admins;
an organisation's kind changes only through "Change kind", keeping history."""

import datetime

import pytest
from django.urls import reverse

from bewigan.people.models import Organisation, OrganisationKindPeriod, Team
from bewigan.people.services import organisation_change_kind

pytestmark = pytest.mark.django_db


def org_payload(org, **changes):
    data = {
        "name": org.name,
        "short_name": org.short_name,
        "slug": org.slug,
        "kind": org.kind,
        "email_domains": '["wigan.gov.uk"]',
        "self_sign_up": "on" if org.self_sign_up else "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "name",
    [
        "wagtailsnippets_people_organisation:list",
        "wagtailsnippets_people_neighbourhood:list",
        "wagtailsnippets_people_team:list",
    ],
)
def test_hr_admin_lists_structure_snippets(client_for, hr_admin, team, name):
    response = client_for(hr_admin).get(reverse(name))
    assert response.status_code == 200


def test_lists_filter_and_search(client_for, hr_admin, team, organisation, other_organisation):
    client = client_for(hr_admin)
    html = client.get(
        reverse("wagtailsnippets_people_organisation:list"), {"kind": "nhs_trust"}
    ).content.decode()
    assert "WWL NHS Trust" in html and "Wigan Council" not in html
    html = client.get(
        reverse("wagtailsnippets_people_team:list"), {"q": "Reablement"}
    ).content.decode()
    assert "Reablement Wigan" in html


def test_kind_cannot_be_overwritten_in_the_edit_form(client_for, hr_admin, organisation):
    organisation_change_kind(
        organisation=organisation, kind="council", on=datetime.date(2020, 1, 1)
    )
    url = reverse("wagtailsnippets_people_organisation:edit", args=[organisation.pk])
    client = client_for(hr_admin)
    assert "Change kind" in client.get(url).content.decode()
    response = client.post(url, org_payload(organisation, kind="police", short_name="WMBC"))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.short_name == "WMBC"
    assert organisation.kind == "council"
    assert organisation.kind_history.count() == 1


def test_change_kind_keeps_history(client_for, hr_admin, organisation):
    organisation_change_kind(organisation=organisation, kind="ccg", on=datetime.date(2013, 4, 1))
    url = reverse("wagtailsnippets_people_organisation:change_kind", args=[organisation.pk])
    client = client_for(hr_admin)
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "icb", "on": "2022-07-01"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.kind == "icb"
    periods = list(
        organisation.kind_history.order_by("valid_from").values_list(
            "kind", "valid_from", "valid_to"
        )
    )
    assert periods == [
        ("ccg", datetime.date(2013, 4, 1), datetime.date(2022, 7, 1)),
        ("icb", datetime.date(2022, 7, 1), None),
    ]


def test_change_kind_refuses_bad_input(client_for, hr_admin, organisation):
    organisation_change_kind(
        organisation=organisation, kind="council", on=datetime.date(2020, 1, 1)
    )
    url = reverse("wagtailsnippets_people_organisation:change_kind", args=[organisation.pk])
    client = client_for(hr_admin)
    same = client.post(url, {"kind": "council", "on": "2024-01-01"})
    assert "already this kind" in same.content.decode()
    early = client.post(url, {"kind": "police", "on": "2019-01-01"})
    assert "must be after" in early.content.decode()
    assert client.post(url, {"kind": "spaceship", "on": "2024-01-01"}).status_code == 200
    assert OrganisationKindPeriod.objects.filter(organisation=organisation).count() == 1


def test_new_organisation_starts_its_kind_history(client_for, hr_admin):
    response = client_for(hr_admin).post(
        reverse("wagtailsnippets_people_organisation:add"),
        {
            "name": "Wigan Police",
            "short_name": "Police",
            "slug": "police",
            "kind": "police",
            "email_domains": '["gmp.police.uk"]',
            "self_sign_up": "on",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(slug="police")
    assert list(org.kind_history.values_list("kind", flat=True)) == ["police"]


def test_hr_admin_edits_a_team(client_for, hr_admin, team, organisation):
    url = reverse("wagtailsnippets_people_team:edit", args=[team.pk])
    response = client_for(hr_admin).post(
        url,
        {
            "name": "Reablement Wigan North",
            "code": team.code,
            "organisation": organisation.pk,
            "neighbourhood": team.neighbourhood_id or "",
            "parent": "",
            "is_cross_organisation": "",
        },
    )
    assert response.status_code == 302
    assert Team.objects.get(pk=team.pk).name == "Reablement Wigan North"


@pytest.mark.parametrize("persona", ["staff", "survey_admin", "recruiting_manager"])
def test_others_cannot_edit_structure(request, client_for, organisation, persona):
    client = client_for(request.getfixturevalue(persona))
    for url in (
        reverse("wagtailsnippets_people_organisation:list"),
        reverse("wagtailsnippets_people_organisation:change_kind", args=[organisation.pk]),
    ):
        # No admin access: 403, not a redirect to sign-in (which sends them back).
        assert client.get(url).status_code == 403
    client.post(
        reverse("wagtailsnippets_people_organisation:change_kind", args=[organisation.pk]),
        {"kind": "police", "on": "2030-01-01"},
    )
    organisation.refresh_from_db()
    assert organisation.kind == "council"


def test_comms_editor_can_view_but_not_change_kind(client_for, comms_editor, organisation):
    client = client_for(comms_editor)
    assert client.get(reverse("wagtailsnippets_people_organisation:list")).status_code == 200
    response = client.post(
        reverse("wagtailsnippets_people_organisation:change_kind", args=[organisation.pk]),
        {"kind": "police", "on": "2030-01-01"},
    )
    assert (
        response.status_code == 302 and response["Location"] == "/admin/"
    )  # Wagtail's "permission denied"
    organisation.refresh_from_db()
    assert organisation.kind == "council"
