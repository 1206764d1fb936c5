"""Aggregation, suppression and differencing: through the refresh service
and the pure analytics, with attempted attacks through filters and exports."""

import csv
import io

import openpyxl
import pandas as pd
import pytest

from surveys import analytics
from surveys.models import GroupResult, QuestionResult
from surveys.services import wave_refresh_results
from tests.people.factories import TeamFactory

from .factories import add_responses, make_question, make_survey, make_wave

pytestmark = pytest.mark.django_db


def groups(wave):
    return {g.scope: g for g in GroupResult.objects.filter(wave=wave)}


def test_scores_enps_and_response_rate(
    open_wave, organisation, team, staff, colleague, line_manager
):
    add_responses(open_wave, 4, organisation=organisation, team=team, value=5, enps=10)
    add_responses(open_wave, 2, organisation=organisation, team=team, value=3, enps=7)
    add_responses(open_wave, 2, organisation=organisation, team=team, value=1, enps=2)
    wave_refresh_results(open_wave, force=True)
    g = groups(open_wave)
    team_group = g[f"team:{team.pk}"]
    assert team_group.respondents == 8 and not team_group.suppressed
    assert team_group.invited == 3  # the three personas in the audience
    assert (team_group.promoters, team_group.passives, team_group.detractors) == (50.0, 25.0, 25.0)
    assert team_group.enps == 25.0
    q = QuestionResult.objects.filter(group=team_group, question__kind="agreement").first()
    assert (q.favourable, q.neutral, q.unfavourable, q.n) == (50.0, 25.0, 25.0, 8)
    assert q.mean == pytest.approx((4 * 5 + 2 * 3 + 2 * 1) / 8, abs=0.01)
    assert team_group.themes == {"recognition": 50.0, "wellbeing": 50.0}


def test_groups_below_minimum_are_hidden_and_small_teams_roll_up(open_wave, organisation):
    parent = TeamFactory(organisation=organisation, name="Adult Social Care", code="asc")
    big = TeamFactory(organisation=organisation, name="Reablement", code="re", parent=parent)
    small = TeamFactory(organisation=organisation, name="Tiny", code="tiny", parent=parent)
    lonely = TeamFactory(organisation=organisation, name="Lonely", code="lonely")
    add_responses(open_wave, 8, organisation=organisation, team=big)
    add_responses(open_wave, 3, organisation=organisation, team=small)
    add_responses(open_wave, 2, organisation=organisation, team=parent)
    add_responses(open_wave, 6, organisation=organisation, team=lonely)
    wave_refresh_results(open_wave, force=True)
    g = groups(open_wave)
    assert f"team:{small.pk}" not in g  # rolled up, never reported alone
    rolled = g[f"team:{parent.pk}"]
    assert rolled.respondents == 5 and "Tiny" in rolled.label and small.pk in rolled.team_ids
    assert g[f"team:{big.pk}"].respondents == 8
    # A top-level team that is still too small has nowhere to roll: its 4 are
    # hidden, and so is the smallest visible team, so that the organisation
    # total minus the visible teams cannot reveal them.
    solo = TeamFactory(organisation=organisation, code="solo", name="Solo")
    add_responses(open_wave, 4, organisation=organisation, team=solo)
    wave_refresh_results(open_wave, force=True)
    g = groups(open_wave)
    assert f"team:{solo.pk}" not in g or g[f"team:{solo.pk}"].suppressed
    assert g[f"team:{parent.pk}"].suppressed


def test_complementary_suppression_stops_differencing_siblings_from_parent(open_wave, organisation):
    a = TeamFactory(organisation=organisation, code="a", name="A")
    b = TeamFactory(organisation=organisation, code="b", name="B")
    c = TeamFactory(organisation=organisation, code="c", name="C")
    add_responses(open_wave, 12, organisation=organisation, team=a)
    add_responses(open_wave, 9, organisation=organisation, team=b)
    add_responses(open_wave, 3, organisation=organisation, team=c, value=1)
    wave_refresh_results(open_wave, force=True)
    g = groups(open_wave)
    org = g[f"org:{organisation.pk}"]
    assert org.respondents == 24
    assert f"team:{c.pk}" not in g or g[f"team:{c.pk}"].suppressed
    assert g[f"team:{b.pk}"].suppressed, "the smallest sibling is hidden too"
    assert "worked out" in g[f"team:{b.pk}"].suppressed_reason
    visible = sum(x.respondents for k, x in g.items() if k.startswith("team:") and not x.suppressed)
    assert org.respondents - visible >= 5  # the attacker's subtraction yields at least the minimum
    # ...and the same holds in the exports
    from surveys.exports import results_table
    from surveys.selectors import results_for

    rows = results_table(results_for(user=None, group=g[f"team:{b.pk}"]))
    assert len(rows) == 2 and rows[1][1].startswith("Hidden")


def test_overlapping_filters_cannot_isolate_a_small_group(open_wave, organisation, team):
    add_responses(open_wave, 8, organisation=organisation, team=team, age_band="25-34")
    add_responses(open_wave, 8, organisation=organisation, team=team, age_band="35-49")
    add_responses(open_wave, 3, organisation=organisation, team=team, age_band="under-25")
    wave_refresh_results(open_wave, force=True)
    g = groups(open_wave)
    org = f"org:{organisation.pk}"
    assert g[org].respondents == 19
    assert g[f"{org}|age:under-25"].suppressed
    # the team (19) minus both visible bands would give the 3: one band is hidden too
    shown = [g[f"{org}|age:{b}"] for b in ("25-34", "35-49")]
    assert sum(1 for x in shown if x.suppressed) == 1
    assert g["all|age:under-25"].suppressed


def test_tiny_slices_across_dimensions_are_never_shown(
    open_wave, organisation, other_organisation, team
):
    """An integrated team with 2 people from another partner: that partner's
    total minus its own teams must not reveal those 2."""
    mixed = TeamFactory(organisation=organisation, code="mixed", name="Integrated")
    own = TeamFactory(organisation=other_organisation, code="own", name="Own")
    add_responses(open_wave, 6, organisation=organisation, team=mixed)
    add_responses(open_wave, 2, organisation=other_organisation, team=mixed)
    add_responses(open_wave, 7, organisation=other_organisation, team=own)
    add_responses(open_wave, 9, organisation=organisation, team=team)
    wave_refresh_results(open_wave, force=True)
    g = groups(open_wave)
    other = g[f"org:{other_organisation.pk}"]
    if not other.suppressed:
        visible_inside = sum(
            x.respondents for k, x in g.items() if k == f"team:{own.pk}" and not x.suppressed
        )
        assert other.respondents - visible_inside == 0 or other.respondents - visible_inside >= 5


def test_results_appear_only_once_the_wave_closes_as_one_snapshot(open_wave, organisation, team):
    add_responses(open_wave, 10, organisation=organisation, team=team, value=5)
    assert wave_refresh_results(open_wave)["open"] is True
    assert not GroupResult.objects.filter(wave=open_wave).exists()
    open_wave.closes_on = open_wave.opens_on
    open_wave.save()
    wave_refresh_results(open_wave)
    before = {g.scope: g.pk for g in GroupResult.objects.filter(wave=open_wave)}
    assert groups(open_wave)[f"team:{team.pk}"].respondents == 10
    # A later refresh (more answers released) replaces every group at once:
    # no group keeps figures from an older set beside fresh ones.
    add_responses(open_wave, 1, organisation=organisation, team=team, value=1)
    wave_refresh_results(open_wave)
    after = groups(open_wave)
    assert not set(before.values()) & {g.pk for g in after.values()}
    assert after[f"team:{team.pk}"].respondents == after["all"].respondents == 11


def test_comments_only_above_comment_minimum_and_after_close(
    closed_wave, organisation, team, other_team
):
    from surveys.selectors import comments_for

    add_responses(
        closed_wave, 10, organisation=organisation, team=team, comment="Workload is too high"
    )
    add_responses(
        closed_wave, 9, organisation=organisation, team=other_team, comment="Parking is awful"
    )
    wave_refresh_results(closed_wave)
    g = groups(closed_wave)
    shown = comments_for(user=None, group=g[f"org:{organisation.pk}"])
    assert shown.visible and len(shown.comments) == 19
    assert shown.themes[0] == ("Workload and staffing", 10)
    hidden = comments_for(user=None, group=g[f"team:{other_team.pk}"])
    assert not hidden.visible and hidden.comments == []
    # The organisation's 19 minus the first team's 10 would be the other
    # team's 9: the team's 10 comments are withheld, although 10 is enough.
    withheld = comments_for(user=None, group=g[f"team:{team.pk}"])
    assert not withheld.visible and withheld.comments == []


def test_exports_neutralise_formula_injection(
    client_for, survey_admin, closed_wave, organisation, team
):
    q = make_question(text='=HYPERLINK("http://evil")')
    closed_wave.survey.items.create(question=q, order=20)
    team.name = "@SUM(A1)"
    team.save()
    add_responses(closed_wave, 6, organisation=organisation, team=team)
    wave_refresh_results(closed_wave)
    client = client_for(survey_admin)
    body = client.get(
        f"/surveys/waves/{closed_wave.pk}/results.csv?scope=team:{team.pk}"
    ).content.decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(body)) for c in row]
    assert '\'=HYPERLINK("http://evil")' in cells and "'@SUM(A1)" in cells
    assert not any(
        c.startswith(("=", "+", "@", "-"))
        for c in cells
        if c and not c.lstrip("-").replace(".", "").isdigit()
    )
    xlsx = client.get(f"/surveys/waves/{closed_wave.pk}/heatmap.xlsx?level=team").content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://evil")' in values and "'@SUM(A1)" in values
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_trend_and_change_since_previous_wave(survey, organisation, team):
    import datetime

    from django.utils import timezone

    from surveys.selectors import results_for

    today = timezone.localdate()
    w1 = make_wave(
        survey,
        opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=50),
        organisations=[organisation],
    )
    w2 = make_wave(
        survey,
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today - datetime.timedelta(days=20),
        organisations=[organisation],
    )
    add_responses(w1, 10, organisation=organisation, team=team, value=2)
    add_responses(w2, 10, organisation=organisation, team=team, value=5)
    wave_refresh_results(w1)
    wave_refresh_results(w2)
    group = GroupResult.objects.get(wave=w2, scope=f"team:{team.pk}")
    r = results_for(user=None, group=group)
    assert [t.wave_id for t in r.trend] == [w1.pk, w2.pk]
    assert r.rows[0].change == 100.0
    assert r.engagement_change == 100.0


def test_driver_analysis_finds_the_item_that_moves_with_enps():
    rows = []
    for i in range(60):
        level = i % 5 + 1
        rows += [(i, 1, level), (i, 2, 3 if i % 2 else 4), (i, 9, level * 2)]
    df = pd.DataFrame(rows, columns=["response", "question", "value"])
    out = analytics.drivers(
        df, enps_question=9, wellbeing_questions=[], agreement_questions=[1, 2], minimum=5
    )
    assert out[0]["question"] == 1 and out[0]["enps"] == pytest.approx(1.0)


def test_suppress_and_roll_up_units():
    hidden = analytics.suppress({"p": 20, "a": 10, "b": 6, "c": 4}, [("p", ["a", "b", "c"])], 5)
    assert set(hidden) == {"c", "b"}
    assert analytics.suppress({"p": 20, "a": 10, "b": 10}, [("p", ["a", "b"])], 5) == {}
    assert set(analytics.suppress({"p": 12, "a": 10}, [("p", ["a"])], 5)) == {
        "a"
    }  # 2 outside any child
    assert analytics.roll_up_teams({1: 3, 2: 8, 3: 2}, {1: 3, 2: 3, 3: None}, 5) == {
        1: 3,
        2: 2,
        3: 3,
    }
    assert analytics.roll_up_teams({1: 3}, {1: None}, 5) == {1: None}


def test_heat_level_has_words():
    assert (
        analytics.heat_level(80, 60) == 5
        and analytics.heat_level(50, 60) == 1
        and analytics.heat_level(61, 60) == 3
    )
    assert analytics.HEAT_WORDS[5] == "well above"


def test_survey_with_only_custom_questions(organisation, team):
    survey = make_survey(questions=[make_question(theme="innovation")])
    wave = make_wave(survey, organisations=[organisation])
    add_responses(wave, 5, organisation=organisation, team=team)
    stats = wave_refresh_results(wave, force=True)
    assert stats["responses"] == 5 and groups(wave)["all"].respondents == 5
