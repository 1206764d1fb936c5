"""Imports that take a real HR export: organisations by name, short name or
alias; teams by name (narrowed by a Neighbourhood column); header names HR
systems use; a preview that says who changes and what; a partnership-wide
file for an HR admin whose organisation holds the partners' HR grants."""

import pytest

from bewigan.people.importing.services import (
    people_import_file,
    people_import_upload,
)
from bewigan.people.models import Person
from tests.people.factories import NeighbourhoodFactory, TeamFactory
from tests.privacy.grants import make_grant

from .import_files import csv_bytes, person_row

pytestmark = pytest.mark.django_db

HR_COLUMNS = [
    "Employee Number",
    "Employer",
    "Work Email",
    "Forename",
    "Surname",
    "Job Title",
    "Team",
    "Neighbourhood",
]


def hr_export(rows) -> bytes:
    """A file the way an HR system writes it: its own headers and names."""
    keyed = [
        {
            "Employee Number": r["employee_number"],
            "Employer": r["organisation"],
            "Work Email": r["email"],
            "Forename": r["first_name"],
            "Surname": r["last_name"],
            "Job Title": r["job_title"],
            "Team": r["team_codes"],
            "Neighbourhood": r.get("neighbourhood", ""),
        }
        for r in rows
    ]
    return csv_bytes(keyed, columns=HR_COLUMNS)


@pytest.fixture
def world(organisation, other_organisation, team):
    other_organisation.name = (
        "Wrightington, Wigan and Leigh Teaching Hospitals NHS Foundation Trust"
    )
    other_organisation.aliases = "Wrightington, Wigan and Leigh NHS FT\nWWL NHS FT"
    other_organisation.save()
    central = NeighbourhoodFactory(name="Wigan Central", slug="wigan-central")
    leigh = NeighbourhoodFactory(name="Leigh", slug="leigh")
    for hood in (central, leigh):
        TeamFactory(
            organisation=other_organisation,
            code=f"int-{hood.slug}",
            name=f"Integrated Neighbourhood Team – {hood.name}",
            neighbourhood=hood,
            is_cross_organisation=True,
        )
        TeamFactory(
            organisation=other_organisation,
            code=f"therapy-{hood.slug}",
            name="Community Therapy" if hood is central else "Community Therapy Leigh",
            neighbourhood=hood,
        )
    TeamFactory(organisation=organisation, code="council-therapy", name="Community Therapy")
    return other_organisation


def dry(content, **kwargs):
    return people_import_file(content=content, filename="hr.csv", dry_run=True, **kwargs)


def test_organisation_by_alias_short_name_or_name_in_any_spacing(world):
    rows = [
        person_row(1, organisation="Wrightington, Wigan and Leigh NHS FT", team_codes=""),
        person_row(2, organisation="wwl  nhs ft", team_codes=""),
        person_row(3, organisation="WWL", team_codes=""),
        person_row(4, organisation="Council", team_codes=""),
    ]
    plan = dry(hr_export(rows))
    assert plan.errors == []
    assert plan.organisations == ["wigan-council", "wwl"]


def test_an_alias_two_organisations_share_matches_neither(world, organisation):
    organisation.aliases = "WWL NHS FT"
    organisation.save()
    plan = dry(hr_export([person_row(1, organisation="WWL NHS FT", team_codes="")]))
    assert plan.errors[0].message.startswith("Row 2: organisation 'WWL NHS FT' is not known")


def test_teams_by_name_in_the_rows_organisation_and_by_neighbourhood(world):
    rows = [
        # The council's own "Community Therapy", not the trust's.
        person_row(1, team_codes="Community Therapy"),
        # Integrated team named without its neighbourhood, and the column says which.
        person_row(
            2,
            team_codes="Integrated Neighbourhood Team",
            neighbourhood="Wigan Central",
        ),
        person_row(3, organisation="WWL", team_codes="community therapy", email="t@wwl.nhs.uk"),
        person_row(4, team_codes="reablement-wigan; Reablement Wigan"),
    ]
    plan = dry(hr_export(rows))
    assert plan.errors == []
    teams = {int(r): t for r, t in zip(plan.frame["row"], plan.frame["teams"], strict=True)}
    from bewigan.people.models import Team

    assert Team.objects.get(pk=teams[2][0]).code == "council-therapy"
    assert Team.objects.get(pk=teams[3][0]).code == "int-wigan-central"
    assert Team.objects.get(pk=teams[4][0]).code == "therapy-wigan-central"
    assert len(teams[5]) == 1  # code and name of the same team count once


def test_unclear_or_unknown_teams_and_neighbourhoods_say_what_to_do(world):
    rows = [
        person_row(1, team_codes="Integrated Neighbourhood Team"),
        person_row(2, team_codes="Reablement", neighbourhood="Atlantis"),
        person_row(3, team_codes="Reablement Wigan", neighbourhood="Leigh"),
    ]
    messages = [e.message for e in dry(hr_export(rows)).errors]
    assert (
        messages[0].startswith("Row 2: team code Integrated Neighbourhood Team is not known")
        or "more than one team" in messages[0]
    )
    assert "Row 3: neighbourhood 'Atlantis' is not known (use its name)" in messages
    assert "Row 4: team code Reablement Wigan in Leigh is not known" in messages


def test_the_same_name_in_two_organisations_is_ambiguous_for_a_third(world, organisation):
    from tests.people.factories import OrganisationFactory

    third = OrganisationFactory(slug="homes", name="Homes", short_name="Homes")
    plan = dry(hr_export([person_row(1, organisation="Homes", team_codes="Community Therapy")]))
    assert third.pk and "matches more than one team" in plan.errors[0].message


def test_preview_says_who_changes_and_what(world, organisation, team, hr_admin):
    people_import_file(
        content=csv_bytes([person_row(1), person_row(2, line_manager_employee_number="E00001")]),
        filename="first.csv",
    )
    changed = [
        person_row(1, job_title="Team leader"),
        person_row(2, last_name="Smith", team_codes="Community Therapy"),
        person_row(3),
    ]
    upload = people_import_upload(
        user=hr_admin, filename="second.csv", content=csv_bytes(changed), full_organisation=False
    )
    details = upload.summary["details"]
    by_row = {p["row"]: p for p in details["changed"]}
    assert by_row[2]["name"] == "Pat Number1"
    assert by_row[2]["changes"] == [
        {"field": "Job title", "old": "Support worker", "new": "Team leader"}
    ]
    assert {"field": "Name", "old": "Pat Number2", "new": "Pat Smith"} in by_row[3]["changes"]
    assert {"field": "Teams", "old": "Reablement Wigan", "new": "Community Therapy"} in by_row[3][
        "changes"
    ]
    assert [p["name"] for p in details["new"]] == ["Pat Number3"]


def test_preview_page_lists_the_changes_and_forgets_them_once_cancelled(
    client_for, world, organisation, team, hr_admin
):
    people_import_file(content=csv_bytes([person_row(1)]), filename="first.csv")
    client = client_for(hr_admin)
    upload = people_import_upload(
        user=hr_admin,
        filename="second.csv",
        content=csv_bytes([person_row(1, job_title="Team leader")]),
        full_organisation=False,
    )
    page = client.get(f"/people/import/{upload.pk}/").content.decode()
    assert "Who changes and what" in page
    assert "<strong>Job title</strong>: Support worker" in page and "Team leader" in page
    client.post(f"/people/import/{upload.pk}/discard/")
    upload.refresh_from_db()
    assert "details" not in upload.summary and upload.summary["counts"]["changed"] == 1


def test_partnership_wide_import_for_the_organisation_holding_the_grants(
    world, organisation, hr_admin, client_for
):
    rows = [
        person_row(1, team_codes="Reablement Wigan"),
        person_row(
            2,
            organisation="Wrightington, Wigan and Leigh NHS FT",
            email="nurse@wwl.nhs.uk",
            team_codes="Integrated Neighbourhood Team",
            neighbourhood="Leigh",
        ),
    ]
    content = hr_export(rows)
    refused = people_import_upload(
        user=hr_admin, filename="all.csv", content=content, full_organisation=False
    )
    assert refused.summary["error_count"] == 1  # no grant from the trust yet
    page = client_for(hr_admin).get("/people/import/").content.decode()
    assert "One file can hold people of Council" in page
    make_grant(world, organisation, "hr")
    accepted = people_import_upload(
        user=hr_admin, filename="all.csv", content=content, full_organisation=False
    )
    assert accepted.summary["error_count"] == 0 and accepted.summary["counts"]["new"] == 2
    page = client_for(hr_admin).get("/people/import/").content.decode()
    assert "One file can hold people of Council and WWL" in page
    client_for(hr_admin).post(f"/people/import/{accepted.pk}/confirm/")
    assert Person.objects.get(user__email="nurse@wwl.nhs.uk").organisation == world


def test_hr_admin_edits_an_organisations_other_names_in_the_admin(
    client_for, hr_admin, organisation
):
    from django.urls import reverse

    from tests.people.test_admin_structure import org_payload

    url = reverse("wagtailsnippets_people_organisation:edit", args=[organisation.pk])
    client = client_for(hr_admin)
    assert 'name="aliases"' in client.get(url).content.decode()
    response = client.post(url, org_payload(organisation, aliases="WMBC\nWigan MBC"))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.aliases == "WMBC\r\nWigan MBC" or organisation.aliases == "WMBC\nWigan MBC"
    plan = dry(hr_export([person_row(1, organisation="Wigan M.B.C.", team_codes="")]))
    assert plan.errors == []
