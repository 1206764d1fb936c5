"""Surveys in a real browser: answering on a phone, a manager reading team
results, the heatmap and comments, and the admin pages; axe on every page."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from bewigan.people.models import TeamMembership
from surveys.services import wave_refresh_results
from tests.people.factories import TeamFactory
from tests.surveys.factories import add_responses, make_survey, make_wave


def test_staff_answer_a_pulse_on_a_phone(page, live_server, sign_in, axe, staff, organisation):
    today = timezone.localdate()
    survey = make_survey(title="Partnership pulse")
    make_wave(
        survey,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=9),
        organisations=[organisation],
    )
    page.set_viewport_size({"width": 375, "height": 667})
    sign_in(staff, next_path="/surveys/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Surveys")
    axe(page)
    page.get_by_role("link", name=re.compile("Partnership pulse, wave 1")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership pulse")
    axe(page)
    # Submitting empty shows the error summary and saves nothing.
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page)
    page.get_by_role("group", name="I can manage my workload.").get_by_label(
        "Agree", exact=True
    ).check()
    page.get_by_role("group", name="I get recognition for good work.").get_by_label(
        "Strongly agree"
    ).check()
    page.get_by_role("group", name="How likely are you to recommend working here?").get_by_label(
        "9", exact=True
    ).check()
    page.get_by_role("group", name="Where do you work?").get_by_label("Community").check()
    page.get_by_label("What would help most?").fill("Fewer meetings")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    axe(page)
    page.goto(f"{live_server.url}/surveys/")
    expect(page.get_by_text("You have no surveys to answer right now.")).to_be_visible()


def test_manager_reads_team_results_heatmap_and_comments(
    page, live_server, sign_in, axe, line_manager, organisation, team
):
    TeamMembership.objects.filter(person=line_manager.person, team=team).update(role="lead")
    today = timezone.localdate()
    survey = make_survey(title="Partnership pulse")
    wave = make_wave(
        survey,
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today - datetime.timedelta(days=30),
        organisations=[organisation],
    )
    child = TeamFactory(
        organisation=organisation, name="Reablement nights", code="nights", parent=team
    )
    add_responses(
        wave,
        11,
        organisation=organisation,
        team=team,
        value=4,
        comment="Workload is heavy but the team is supportive",
    )
    # 10 in the child team, so its comments can be listed too: with fewer, the
    # organisation's list minus the two teams' lists would give them away, and
    # the team's own list would be withheld.
    add_responses(wave, 10, organisation=organisation, team=child, value=2)
    add_responses(
        wave,
        20,
        organisation=organisation,
        team=TeamFactory(organisation=organisation, name="Finance", code="fin"),
        value=3,
    )
    wave_refresh_results(wave)
    sign_in(line_manager, next_path="/surveys/")
    axe(page)
    page.get_by_role("link", name="Reablement Wigan").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reablement Wigan")
    expect(page.get_by_role("row", name=re.compile("I can manage my workload"))).to_contain_text(
        "100.0%"
    )
    axe(page)
    page.get_by_role("link", name="Heatmap of all groups you can see").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Heatmap")
    expect(page.get_by_role("rowheader", name=re.compile("Reablement nights"))).to_be_visible()
    expect(page.get_by_role("rowheader", name=re.compile("Finance"))).to_have_count(0)
    axe(page)
    page.get_by_role("link", name="Reablement Wigan").click()
    page.get_by_role("link", name="Comments for Reablement Wigan").click()
    expect(page.get_by_text("Workload is heavy but the team is supportive")).to_have_count(11)
    axe(page)
    page.locator("summary").first.click()
    page.get_by_label("Your public reply").first.fill(
        "Thank you, we are recruiting two more people."
    )
    page.get_by_role("button", name="Publish reply").first.click()
    expect(page.get_by_text("Reply from Priya Shah")).to_be_visible()
    axe(page)
    page.goto(f"{live_server.url}/surveys/waves/{wave.pk}/actions/new/?scope=team:{team.pk}")
    axe(page)


def test_survey_admin_pages_are_accessible(
    page, live_server, sign_in, axe, survey_admin, mfa_exempt, organisation, team
):
    survey = make_survey(title="Partnership pulse")
    today = timezone.localdate()
    wave = make_wave(
        survey,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=9),
        organisations=[organisation],
    )
    add_responses(wave, 6, organisation=organisation, team=team)
    wave_refresh_results(wave)
    sign_in(survey_admin, next_path="/surveys/manage/")
    for path in [
        "/surveys/manage/",
        "/surveys/manage/questions/",
        "/surveys/manage/questions/new/",
        "/surveys/manage/surveys/new/",
        f"/surveys/manage/surveys/{survey.pk}/",
        "/surveys/calendar/",
        f"/surveys/waves/{wave.pk}/heatmap/?level=org",
        f"/surveys/waves/{wave.pk}/results/?scope=all",
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        axe(page)
