import pytest

from tests.recruitment.factories import InterviewFactory, VacancyFactory, plan_vacancy


@pytest.fixture
def second_panellist(organisation, team):
    from bewigan.people import roles
    from tests.conftest import make_persona

    return make_persona(
        organisation,
        team,
        "panel2@wwl.nhs.uk",
        [roles.HIRING_PANEL],
        first_name="Ann",
        last_name="Lee",
    )


@pytest.fixture
def vacancy(recruiting_manager, organisation, panellist, second_panellist):
    v = VacancyFactory(recruiting_manager=recruiting_manager, organisation=organisation)
    return plan_vacancy(v, panel=[panellist, second_panellist], chair=recruiting_manager)


@pytest.fixture
def interview(vacancy):
    return InterviewFactory(candidate__vacancy=vacancy)


@pytest.fixture(autouse=True)
def _framework_and_bank(db):
    """Transactional tests flush the database, removing what the data
    migrations seeded: put the values framework and the bank back."""
    from django.contrib.auth.models import Group

    from bewigan.people import roles
    from bewigan.values.models import Behaviour, Framework, FrameworkVersion, Value
    from bewigan.values.seed import seed_frameworks
    from recruitment.models import Question, QuestionVersion, RoleFamily
    from recruitment.question_bank import seed_question_bank

    for name in roles.ALL_GROUPS:
        Group.objects.get_or_create(name=name)
    seed_frameworks(Framework, FrameworkVersion, Value, Behaviour)
    seed_question_bank(
        RoleFamily=RoleFamily,
        Question=Question,
        QuestionVersion=QuestionVersion,
        Value=Value,
        Behaviour=Behaviour,
    )
