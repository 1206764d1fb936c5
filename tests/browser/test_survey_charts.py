"""Survey result charts in a real browser: a team manager skims the
pictures (eNPS, answers per question, trend over two waves, what matters
most from their organisation) and each has its table; at 320 px nothing
scrolls sideways; the heatmap draws its colour scale. axe on every page."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from bewigan.people.models import TeamMembership
from surveys.services import wave_refresh_results
from tests.people.factories import TeamFactory
from tests.surveys.factories import add_responses, make_survey, make_wave


def test_manager_reads_charts_with_their_tables(
    page, live_server, sign_in, axe, line_manager, organisation, team
):
    TeamMembership.objects.filter(person=line_manager.person, team=team).update(role="lead")
    today = timezone.localdate()
    survey = make_survey(title="Partnership pulse")
    finance = TeamFactory(organisation=organisation, name="Finance", code="fin")
    waves = []
    for months_ago, value in ((3, 3), (1, 4)):
        wave = make_wave(
            survey,
            opens_on=today - datetime.timedelta(days=30 * months_ago + 10),
            closes_on=today - datetime.timedelta(days=30 * months_ago),
            organisations=[organisation],
        )
        add_responses(wave, 11, organisation=organisation, team=team, value=value, enps=9)
        add_responses(wave, 12, organisation=organisation, team=finance, value=2, enps=4)
        add_responses(wave, 10, organisation=organisation, team=None, value=5, enps=10)
        wave_refresh_results(wave, force=True)
        waves.append(wave)
    sign_in(line_manager, next_path=f"/surveys/waves/{waves[1].pk}/results/?scope=team:{team.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reablement Wigan")

    charts = page.locator("svg[role=img]")
    assert charts.count() >= 3
    for i in range(charts.count()):
        chart = charts.nth(i)
        for label_id in chart.get_attribute("aria-labelledby").split():
            expect(page.locator(f"#{label_id}")).to_have_count(1)
    expect(page.get_by_role("img", name=re.compile("Employee net promoter score"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Engagement over 2 waves"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("What moves most with"))).to_be_visible()
    expect(page.get_by_text(re.compile("comes from everyone in"))).to_be_visible()
    expect(page.get_by_role("table").filter(has_text="Promoters (9 or 10)")).to_be_visible()
    axe(page)

    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"results page scrolls sideways at 320 px ({width} px)"

    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{live_server.url}/surveys/waves/{waves[1].pk}/heatmap/")
    expect(page.get_by_role("img", name=re.compile("Heatmap colour scale"))).to_be_visible()
    axe(page)
