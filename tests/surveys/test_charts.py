"""Survey result charts: server-rendered SVG with a title, a description and
a table of the same figures beside it; colour never the only carrier; the
driver analysis reaches team managers from their organisation."""

import re

import pytest

from bewigan.people.models import TeamMembership
from surveys import charts
from surveys.models import GroupResult
from surveys.services import wave_refresh_results
from tests.people.factories import TeamFactory

from .factories import add_responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(closed_wave, organisation, team, other_team, line_manager):
    TeamMembership.objects.filter(person=line_manager.person, team=team).update(role="lead")
    # Answers that vary together, so the driver analysis has something to find.
    add_responses(closed_wave, 10, organisation=organisation, team=team, value=5, enps=10)
    add_responses(closed_wave, 12, organisation=organisation, team=other_team, value=2, enps=3)
    third = TeamFactory(organisation=organisation, code="third", name="Third team")
    add_responses(closed_wave, 10, organisation=organisation, team=third, value=3, enps=7)
    wave_refresh_results(closed_wave, force=True)
    return closed_wave


def _svgs(html):
    return re.findall(r"<svg[^>]*role=\"img\"[^>]*>.*?</svg>", html, flags=re.S)


def test_results_page_draws_accessible_charts_with_tables(client_for, survey_admin, results, team):
    page = (
        client_for(survey_admin)
        .get(f"/surveys/waves/{results.pk}/results/", {"scope": "all"})
        .content.decode()
    )
    svgs = _svgs(page)
    assert len(svgs) >= 3  # eNPS, questions, trend (and drivers)
    for svg in svgs:
        ids = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
        for i in ids:
            assert f'id="{i}"' in svg
        assert "<title" in svg and "<desc" in svg
    assert "Employee net promoter score" in page
    assert "Promoters (9 or 10)" in page and "<caption" in page
    # Unfavourable is hatched as well as red, and the legend says so in words.
    assert "hatched" in page and "-hatch)" in page
    assert "Engagement over 1 waves" in page or "Engagement over" in page


def test_team_manager_sees_drivers_from_their_organisation(client_for, line_manager, results, team):
    scope = GroupResult.objects.get(wave=results, scope=f"team:{team.pk}").scope
    page = (
        client_for(line_manager)
        .get(f"/surveys/waves/{results.pk}/results/", {"scope": scope})
        .content.decode()
    )
    assert "What matters most here" in page
    assert "needs 30 or more people" in page
    assert 'id="chart-drivers-title"' in page


def test_heatmap_shows_its_colour_scale_as_a_chart(client_for, survey_admin, results):
    page = client_for(survey_admin).get(f"/surveys/waves/{results.pk}/heatmap/").content.decode()
    assert 'id="chart-heat-scale-title"' in page
    assert "well below" in page and "−10 or less" in page


def test_trend_breaks_at_a_hidden_wave():
    class W:
        def __init__(self, n):
            self.number = n

    class G:
        def __init__(self, n, engagement, suppressed=False):
            self.wave, self.engagement, self.suppressed = W(n), engagement, suppressed

    chart = charts.trend(
        [G(1, 60.0), G(2, 65.5), G(3, None, True), G(4, 70.0), G(5, 72.0)], group_label="Team"
    )
    assert [p.label for p in chart.points] == ["60%", "65.5%", "70%", "72%"]
    assert len(chart.lines) == 2 and chart.gaps[0].axis_label == "W3"
    assert "wave 3 hidden" in chart.description


def test_segments_are_labelled_with_their_figures():
    class R:
        favourable, neutral, unfavourable = 70.0, 25.0, 5.0

    class Q:
        text = "I feel valued"

    class Row:
        question, result = Q(), R()

    chart = charts.score_distribution([Row()], group_label="All")
    fav, neutral, unfav = chart.rows[0].segments
    assert (fav.label, fav.show_label) == ("70%", True)
    assert unfav.hatched and not unfav.show_label  # too narrow: the table has it
    assert "I feel valued (70%)" not in chart.description  # one question: no best/worst
