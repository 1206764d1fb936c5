"""One journey: a recruiting manager builds a plan from the bank, two
panellists score independently (each blind to the other until they submit),
the chair records consensus and decision. Axe on every page visited."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bewigan.people import roles


@pytest.fixture(autouse=True)
def _bank(_wagtail_rows):
    from bewigan.values.models import Behaviour, Value
    from recruitment.models import Question, QuestionVersion, RoleFamily
    from recruitment.question_bank import seed_question_bank

    seed_question_bank(
        RoleFamily=RoleFamily,
        Question=Question,
        QuestionVersion=QuestionVersion,
        Value=Value,
        Behaviour=Behaviour,
    )


@pytest.fixture
def second_panellist(organisation, team):
    from tests.conftest import make_persona

    return make_persona(
        organisation,
        team,
        "panel2@wwl.nhs.uk",
        [roles.HIRING_PANEL],
        first_name="Ann",
        last_name="Lee",
    )


def _switch(page, sign_in, user, path):
    page.context.clear_cookies()
    sign_in(user, next_path=path)


def _score_everything(page, score):
    for radio_group in page.locator(f"input[type=radio][value='{score}']").all():
        radio_group.check()
    for area in page.locator("textarea").all():
        area.fill(f"Specific example, scored {score}")


def test_plan_independent_scoring_consensus_and_decision(
    page, live_server, sign_in, axe, mfa_exempt, recruiting_manager, panellist, second_panellist
):
    from recruitment import services
    from recruitment.models import Decision, Interview
    from tests.recruitment.factories import VacancyFactory

    vacancy = VacancyFactory(
        recruiting_manager=recruiting_manager,
        organisation=recruiting_manager.person.organisation,
        title="Reablement support worker",
    )
    services.panel_member_add(
        user=recruiting_manager, vacancy=vacancy, member=panellist, is_chair=True
    )
    services.panel_member_add(user=recruiting_manager, vacancy=vacancy, member=second_panellist)

    # 1. The recruiting manager builds the plan from the bank.
    sign_in(recruiting_manager, next_path=f"/recruitment/vacancies/{vacancy.pk}/")
    expect(page.get_by_text("The plan has no questions yet.")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Add questions from the bank").click()
    page.get_by_label("Value").select_option("positive")
    page.get_by_label("Question style").select_option("asset")
    page.get_by_role("button", name="Filter").click()
    axe(page)
    page.get_by_role("button", name="Add POS-02 to the plan").click()
    expect(page.get_by_text("Added POS-02 to the plan.")).to_be_visible()
    for value, code in (("accountable", "ACC-01"), ("courageous", "COU-01")):
        page.get_by_label("Value").select_option(value)
        page.get_by_role("button", name="Filter").click()
        page.get_by_role("button", name=f"Add {code} to the plan").click()
    page.get_by_role("link", name=re.compile("Back to Reablement")).click()
    expect(page.get_by_text("Coverage check passed")).to_be_visible()
    page.get_by_role("link", name="Printable interview kit").click()
    expect(page.get_by_role("heading", name="Kit for Joe Fletcher (chair)")).to_be_visible()
    axe(page)

    candidate = services.candidate_create(
        user=recruiting_manager,
        vacancy=vacancy,
        data={
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.org",
            "scheduled_at": timezone.now(),
        },
    )
    interview = Interview.objects.get(candidate=candidate)
    scorecard_url = f"/recruitment/interviews/{interview.pk}/scorecard/"
    consensus_url = f"/recruitment/interviews/{interview.pk}/consensus/"

    # 2. The second panellist saves a draft: nobody else can see it.
    _switch(page, sign_in, second_panellist, scorecard_url)
    axe(page)
    _score_everything(page, 2)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved. Only you can see it.")).to_be_visible()

    # 3. The chair scores; blind to the draft, then submits and sees only submitted scores.
    _switch(page, sign_in, panellist, consensus_url)
    expect(page).to_have_url(re.compile(r"/scorecard/$"))
    expect(page.get_by_text("Specific example, scored 2")).to_have_count(0)
    _score_everything(page, 4)
    page.get_by_role("button", name="Submit scorecard").click()
    expect(page.get_by_text("Scorecard submitted.")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="See the panel's scores side by side").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Panel consensus: Ada Lovelace")
    expect(page.get_by_text("Specific example, scored 2")).to_have_count(0)
    expect(page.get_by_text("Still to submit: Ann Lee.")).to_be_visible()
    axe(page)

    # 4. The second panellist submits (their draft was kept).
    _switch(page, sign_in, second_panellist, scorecard_url)
    expect(page.locator("textarea").first).to_have_value("Specific example, scored 2")
    page.get_by_role("button", name="Submit scorecard").click()
    expect(page.get_by_text("Scorecard submitted.")).to_be_visible()

    # 5. The chair records consensus and decision, then edits and sends feedback.
    _switch(page, sign_in, panellist, consensus_url)
    expect(page.get_by_text("Discuss").first).to_be_visible()
    axe(page)
    for group in page.locator("fieldset").filter(has_text="Agreed score for").all():
        group.locator("input[value='3']").check()
    page.get_by_label("Reserve list").check()
    page.get_by_label("Reasons for the decision").fill(
        "Good evidence; another candidate was stronger on Courageous."
    )
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback for Ada Lovelace")
    axe(page)
    page.get_by_label("Strengths the panel saw").fill(
        "You listen closely and build on what people can do."
    )
    page.get_by_role("button", name=re.compile("Save and send")).click()
    expect(page.get_by_text("Feedback sent to the candidate.")).to_be_visible()
    assert Decision.objects.get(interview=interview).outcome == "reserve"


def test_manager_and_hr_pages_are_accessible(
    page,
    live_server,
    sign_in,
    axe,
    mfa_exempt,
    recruiting_manager,
    hr_admin,
    panellist,
    organisation,
):
    from recruitment.models import Question
    from tests.recruitment.factories import CandidateFactory, VacancyFactory, plan_vacancy

    # HR admins reach vacancies of their own organisation (and partners that granted it).
    vacancy = plan_vacancy(
        VacancyFactory(recruiting_manager=recruiting_manager, organisation=organisation),
        panel=[panellist],
    )
    candidate = CandidateFactory(vacancy=vacancy)
    sign_in(recruiting_manager, next_path="/recruitment/")
    axe(page)
    for path in [
        "/recruitment/vacancies/",
        "/recruitment/vacancies/new/",
        f"/recruitment/vacancies/{vacancy.pk}/edit/",
        f"/recruitment/vacancies/{vacancy.pk}/candidates/new/",
        f"/recruitment/vacancies/{vacancy.pk}/candidates/import/",
        "/recruitment/questions/new/",
        "/recruitment/questions/import/",
        f"/recruitment/questions/{Question.objects.get(code='POS-01').pk}/",
        f"/recruitment/questions/{Question.objects.get(code='POS-01').pk}/edit/",
    ]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        axe(page)
    page.goto(live_server.url + "/recruitment/vacancies/new/")
    page.get_by_role("button", name="Save vacancy").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe(page)
    _switch(page, sign_in, hr_admin, "/recruitment/analytics/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recruitment analytics")
    axe(page)
    page.goto(f"{live_server.url}/recruitment/candidates/{candidate.pk}/")
    expect(page.get_by_text("Your view has been recorded in the audit log.")).to_be_visible()
    axe(page)
