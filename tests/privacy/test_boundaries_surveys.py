"""Surveys: survey admins and HR admins open the organisation and team
results of the organisations in their reach for surveys (own + active
"surveys" grants). Partnership-wide groups stay open to them as numbers, never
broken down by an organisation out of reach; their comments (words from
every partner) need the whole partnership in reach. Suppression is unchanged.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bewigan.people.models import TeamMembership
from surveys.models import Action, GroupResult
from surveys.services import wave_refresh_results
from tests.people.factories import NeighbourhoodFactory, TeamFactory
from tests.surveys.factories import add_responses, make_survey, make_wave

from .grants import GRANT_STATES, apply_state, make_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(organisation, other_organisation, team):
    today = timezone.localdate()
    wave = make_wave(
        make_survey(),
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today - datetime.timedelta(days=30),
        organisations=[organisation, other_organisation],
    )
    shared_hood = NeighbourhoodFactory(slug="leigh", name="Leigh")
    team.neighbourhood = shared_hood
    team.save()
    wwl_team = TeamFactory(
        organisation=other_organisation,
        code="wwl-dn",
        name="District nursing WWL",
        neighbourhood=shared_hood,
    )
    add_responses(wave, 12, organisation=organisation, team=team, comment="Council words")
    add_responses(wave, 12, organisation=other_organisation, team=wwl_team, comment="WWL words")
    wave_refresh_results(wave)
    wave.wwl_team = wwl_team
    return wave


def scopes(wave, organisation, other_organisation, team):
    return {
        "own_org": f"org:{organisation.pk}",
        "own_team": f"team:{team.pk}",
        "other_org": f"org:{other_organisation.pk}",
        "other_team": f"team:{wave.wwl_team.pk}",
    }


@pytest.mark.parametrize("persona", ["survey_admin", "hr_admin"])
@pytest.mark.parametrize("state, reaches", GRANT_STATES)
def test_results_and_exports(
    request, client_for, wave, organisation, other_organisation, team, persona, state, reaches
):
    apply_state(state, own=organisation, other=other_organisation, purpose="surveys")
    client = client_for(request.getfixturevalue(persona))
    for name, scope in scopes(wave, organisation, other_organisation, team).items():
        expected = 200 if name.startswith("own") or reaches else 404
        for route in ("surveys:results", "surveys:comments"):
            url = reverse(route, args=[wave.pk])
            assert client.get(url, {"scope": scope}).status_code == expected, (name, route)
        for fmt in ("csv", "xlsx"):
            url = reverse("surveys:results_export", args=[wave.pk, fmt])
            assert client.get(url, {"scope": scope}).status_code == expected, (name, fmt)
        assert (
            client.get(
                reverse("surveys:action_create", args=[wave.pk]), {"scope": scope}
            ).status_code
            == expected
        )


@pytest.mark.parametrize("state, reaches", GRANT_STATES)
def test_filters_heatmaps_and_index(
    client_for, survey_admin, wave, organisation, other_organisation, state, reaches
):
    apply_state(state, own=organisation, other=other_organisation, purpose="surveys")
    client = client_for(survey_admin)
    # The results page's list of other groups (its filters).
    page = client.get(reverse("surveys:results", args=[wave.pk]), {"scope": "all"})
    others = {g.scope for g in page.context["others"]}
    assert (f"org:{other_organisation.pk}" in others) is reaches
    assert (f"team:{wave.wwl_team.pk}" in others) is reaches
    assert f"org:{organisation.pk}" in others and "all" in others
    for level, scope in (
        ("org", f"org:{other_organisation.pk}"),
        ("team", f"team:{wave.wwl_team.pk}"),
    ):
        label = GroupResult.objects.get(wave=wave, scope=scope).label
        heat = client.get(reverse("surveys:heatmap", args=[wave.pk]), {"level": level})
        rows = {r.group.label for r in heat.context["heat"].rows}
        assert (label in rows) is reaches, level
        assert len(rows) == (2 if reaches else 1), level
        export = client.get(
            reverse("surveys:heatmap_export", args=[wave.pk, "csv"]), {"level": level}
        )
        lines = export.content.decode().splitlines()
        assert any(line.startswith(f"{label},") for line in lines) is reaches, level
    index = client.get(reverse("surveys:index")).content.decode()
    assert ("District nursing WWL" in index) is reaches


def test_partnership_numbers_stay_but_words_need_every_partner(
    client_for, survey_admin, wave, organisation, other_organisation
):
    """ "All" and neighbourhood groups are partnership-wide aggregates (shown,
    not broken down by organisation); their comments include every
    partner's words, so they need the whole partnership in reach."""
    client = client_for(survey_admin)
    hood = GroupResult.objects.get(wave=wave, level="hood").scope
    for scope in ("all", hood):
        assert (
            client.get(reverse("surveys:results", args=[wave.pk]), {"scope": scope}).status_code
            == 200
        )
        page = client.get(reverse("surveys:comments", args=[wave.pk]), {"scope": scope})
        html = page.content.decode()
        assert "WWL words" not in html and "Council words" not in html
        assert "outside your data-sharing grants" in html
    own = client.get(
        reverse("surveys:comments", args=[wave.pk]), {"scope": f"org:{organisation.pk}"}
    ).content.decode()
    assert "Council words" in own and "WWL words" not in own
    make_grant(other_organisation, organisation, "surveys")
    for scope in ("all", hood):
        html = client.get(
            reverse("surveys:comments", args=[wave.pk]), {"scope": scope}
        ).content.decode()
        assert "WWL words" in html and "Council words" in html


def test_published_partnership_comments_are_for_all_staff(client_for, survey_admin, staff, wave):
    wave.results_published = True
    wave.save()
    for user in (survey_admin, staff):
        html = (
            client_for(user)
            .get(reverse("surveys:comments", args=[wave.pk]), {"scope": "all"})
            .content.decode()
        )
        assert "WWL words" in html


def test_replies_to_partnership_comments_need_every_partner(
    client_for, survey_admin, wave, organisation, other_organisation
):
    client = client_for(survey_admin)
    response = client.post(
        reverse("surveys:comments", args=[wave.pk]),
        {"scope": "all", "comment": "1", "text": "We hear you"},
    )
    assert response.status_code == 403


def test_suppression_is_unchanged_by_a_grant(
    client_for, survey_admin, organisation, other_organisation, team
):
    """A grant opens a small group no more than it opens for anyone else."""
    wave = make_wave(make_survey(), organisations=[organisation, other_organisation])
    wave.opens_on = timezone.localdate() - datetime.timedelta(days=20)
    wave.closes_on = timezone.localdate() - datetime.timedelta(days=10)
    wave.save()
    add_responses(wave, 12, organisation=organisation, team=team)
    add_responses(wave, 2, organisation=other_organisation, comment="Tiny")
    wave_refresh_results(wave)
    make_grant(other_organisation, organisation, "surveys")
    client = client_for(survey_admin)
    page = client.get(
        reverse("surveys:results", args=[wave.pk]), {"scope": f"org:{other_organisation.pk}"}
    )
    assert page.status_code == 200 and page.context["group"].suppressed
    comments = client.get(
        reverse("surveys:comments", args=[wave.pk]), {"scope": f"org:{other_organisation.pk}"}
    ).content.decode()
    assert "Tiny" not in comments and "Too few people" in comments


def test_cross_organisation_team_needs_every_members_organisation(
    client_for, survey_admin, wave, organisation, other_organisation, team, outsider
):
    """An integrated team hosted by the admin's organisation, with a member
    from a partner out of reach, is that partner's people too."""
    team.is_cross_organisation = True
    team.save()
    TeamMembership.objects.create(person=outsider.person, team=team, role="seconded")
    client = client_for(survey_admin)
    url = reverse("surveys:results", args=[wave.pk])
    assert client.get(url, {"scope": f"team:{team.pk}"}).status_code == 404
    heat = client.get(reverse("surveys:heatmap", args=[wave.pk]), {"level": "team"})
    assert team.name not in {r.group.label for r in heat.context["heat"].rows}
    make_grant(other_organisation, organisation, "surveys")
    assert client.get(url, {"scope": f"team:{team.pk}"}).status_code == 200


def test_line_managers_keep_their_teams(client_for, line_manager, wave, team):
    TeamMembership.objects.filter(person=line_manager.person, team=team).update(role="lead")
    url = reverse("surveys:results", args=[wave.pk])
    assert client_for(line_manager).get(url, {"scope": f"team:{team.pk}"}).status_code == 200


def test_no_action_on_another_partners_results(client_for, survey_admin, wave, other_organisation):
    response = client_for(survey_admin).post(
        reverse("surveys:action_create", args=[wave.pk]) + f"?scope=org:{other_organisation.pk}",
        {"you_said": "x", "we_did": "y", "due_on": "2027-01-31"},
    )
    assert response.status_code == 404 and not Action.objects.exists()
