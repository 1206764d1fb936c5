"""Persona × state grid: grants and denials, including ids changed in URLs."""

import pytest

from tests.recruitment.factories import InterviewFactory, VacancyFactory, plan_vacancy, submit

pytestmark = pytest.mark.django_db

PERSONAS = [
    "staff",
    "outsider",
    "panellist",
    "second_panellist",
    "recruiting_manager",
    "hr_admin",
    "other_manager",
]


@pytest.fixture
def other_manager(organisation, team):
    from bewigan.people import roles
    from tests.conftest import make_persona

    return make_persona(
        organisation,
        team,
        "recruiter2@wigan.gov.uk",
        [roles.RECRUITING_MANAGER, roles.HIRING_PANEL],
    )


@pytest.fixture
def other_vacancy(other_manager, organisation, outsider):
    v = VacancyFactory(
        recruiting_manager=other_manager, organisation=organisation, title="Another vacancy"
    )
    return plan_vacancy(v, panel=[outsider], chair=other_manager)


@pytest.fixture
def other_interview(other_vacancy):
    return InterviewFactory(candidate__vacancy=other_vacancy)


@pytest.fixture
def world(request, interview, other_interview, settings):
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [
        "hr@wigan.gov.uk",
        "recruiter@wigan.gov.uk",
        "recruiter2@wigan.gov.uk",
        "panel@wigan.gov.uk",
    ]
    return {"interview": interview, "other": other_interview}


# url template, expected status per persona (200/302 ok; 403 forbidden; 404 not yours)
GRID = [
    ("/recruitment/", dict.fromkeys(PERSONAS, 200)),
    (
        "/recruitment/questions/",
        {
            "staff": 403,
            "outsider": 403,
            "panellist": 200,
            "second_panellist": 200,
            "recruiting_manager": 200,
            "hr_admin": 200,
            "other_manager": 200,
        },
    ),
    (
        "/recruitment/questions/new/",
        {
            "staff": 403,
            "outsider": 403,
            "panellist": 403,
            "second_panellist": 403,
            "recruiting_manager": 200,
            "hr_admin": 200,
            "other_manager": 200,
        },
    ),
    (
        "/recruitment/vacancies/new/",
        {
            "staff": 403,
            "outsider": 403,
            "panellist": 403,
            "second_panellist": 403,
            "recruiting_manager": 200,
            "hr_admin": 200,
            "other_manager": 200,
        },
    ),
    (
        "/recruitment/vacancies/{v}/",
        {
            "staff": 404,
            "outsider": 404,
            "panellist": 200,
            "second_panellist": 200,
            "recruiting_manager": 200,
            "hr_admin": 200,
            "other_manager": 404,
        },
    ),
    (
        "/recruitment/vacancies/{v}/edit/",
        {
            "staff": 404,
            "outsider": 404,
            "panellist": 404,
            "second_panellist": 404,
            "recruiting_manager": 200,
            "hr_admin": 200,
            "other_manager": 404,
        },
    ),
    (
        "/recruitment/vacancies/{v}/candidates/new/",
        {
            "staff": 404,
            "outsider": 404,
            "panellist": 404,
            "second_panellist": 404,
            "recruiting_manager": 200,
            "hr_admin": 200,
            "other_manager": 404,
        },
    ),
    (
        "/recruitment/vacancies/{v}/kit/",
        {
            "staff": 404,
            "outsider": 404,
            "panellist": 200,
            "second_panellist": 200,
            "recruiting_manager": 200,
            "hr_admin": 200,
            "other_manager": 404,
        },
    ),
    (
        "/recruitment/vacancies/{ov}/",
        {
            "staff": 404,
            "outsider": 200,
            "panellist": 404,
            "second_panellist": 404,
            "recruiting_manager": 404,
            "hr_admin": 200,
            "other_manager": 200,
        },
    ),
    (
        "/recruitment/interviews/{i}/scorecard/",
        {
            "staff": 404,
            "outsider": 404,
            "panellist": 200,
            "second_panellist": 200,
            "recruiting_manager": 200,
            "hr_admin": 404,
            "other_manager": 404,
        },
    ),
    (
        "/recruitment/interviews/{oi}/scorecard/",
        {
            "staff": 404,
            "outsider": 200,
            "panellist": 404,
            "second_panellist": 404,
            "recruiting_manager": 404,
            "hr_admin": 404,
            "other_manager": 200,
        },
    ),
    # before anyone submits: panellists are sent to their own scorecard (302)
    (
        "/recruitment/interviews/{i}/consensus/",
        {
            "staff": 404,
            "outsider": 404,
            "panellist": 302,
            "second_panellist": 302,
            "recruiting_manager": 302,
            "hr_admin": 200,
            "other_manager": 404,
        },
    ),
    (
        "/recruitment/interviews/{i}/feedback/",
        {
            "staff": 404,
            "outsider": 404,
            "panellist": 404,
            "second_panellist": 404,
            "recruiting_manager": 404,
            "hr_admin": 404,
            "other_manager": 404,
        },
    ),  # no decision yet
    (
        "/recruitment/candidates/{c}/",
        {
            "staff": 404,
            "outsider": 404,
            "panellist": 404,
            "second_panellist": 404,
            "recruiting_manager": 404,
            "hr_admin": 200,
            "other_manager": 404,
        },
    ),
    (
        "/recruitment/analytics/",
        {
            "staff": 403,
            "outsider": 403,
            "panellist": 403,
            "second_panellist": 403,
            "recruiting_manager": 403,
            "hr_admin": 200,
            "other_manager": 403,
        },
    ),
    ("/recruitment/vacancies/999999/", dict.fromkeys(PERSONAS, 404)),
    ("/recruitment/interviews/999999/scorecard/", dict.fromkeys(PERSONAS, 404)),
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_grid(request, client, world, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    i, oi = world["interview"], world["other"]
    ids = {
        "v": i.candidate.vacancy_id,
        "ov": oi.candidate.vacancy_id,
        "i": i.pk,
        "oi": oi.pk,
        "c": i.candidate_id,
    }
    failures = []
    for template, expected in GRID:
        url = template.format(**ids)
        status = client.get(url).status_code
        if status != expected[persona]:
            failures.append(f"{url}: {status} != {expected[persona]}")
    assert failures == []


def test_writes_on_another_managers_vacancy_are_404(client_for, world, recruiting_manager):
    c = client_for(recruiting_manager)
    ov = world["other"].candidate.vacancy
    pq = ov.plan_questions.first()
    assert c.post(f"/recruitment/vacancies/{ov.pk}/plan/add/", {"question": 1}).status_code == 404
    assert (
        c.post(f"/recruitment/vacancies/{ov.pk}/plan/{pq.pk}/", {"action": "remove"}).status_code
        == 404
    )
    assert c.post(f"/recruitment/vacancies/{ov.pk}/panel/", {"email": "x@y.z"}).status_code == 404
    assert ov.plan_questions.count() == 3
    # a plan question id from another vacancy, under my own vacancy's URL
    mine = world["interview"].candidate.vacancy
    r = c.post(f"/recruitment/vacancies/{mine.pk}/plan/{pq.pk}/", {"action": "remove"})
    assert r.status_code == 302 and ov.plan_questions.count() == 3


def test_after_decision_feedback_is_for_chair_manager_and_hr_only(
    client_for, world, panellist, second_panellist, recruiting_manager, hr_admin
):
    from recruitment import selectors, services

    interview = world["interview"]
    for u in (panellist, second_panellist, recruiting_manager):
        submit(interview, u)
    vacancy = interview.candidate.vacancy
    values = selectors.rated_values(vacancy=vacancy, plan=selectors.plan_questions(vacancy=vacancy))
    services.decision_record(
        user=recruiting_manager,
        interview=interview,
        agreed={v.pk: 4 for v in values},
        outcome="reserve",
        rationale="Close second",
    )
    url = f"/recruitment/interviews/{interview.pk}/feedback/"
    assert client_for(recruiting_manager).get(url).status_code == 200
    assert client_for(hr_admin).get(url).status_code == 200
    assert client_for(panellist).get(url).status_code == 404
    # a panellist can read the consensus after submitting, but not decide
    assert (
        client_for(panellist).get(f"/recruitment/interviews/{interview.pk}/consensus/").status_code
        == 200
    )
    assert (
        client_for(panellist)
        .post(f"/recruitment/interviews/{interview.pk}/consensus/", {})
        .status_code
        == 403
    )
