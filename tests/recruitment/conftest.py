import pytest

from tests.recruitment.factories import InterviewFactory, VacancyFactory, plan_vacancy


@pytest.fixture
def second_panellist(organisation, team):
    from bewigan.people import roles
    from tests.conftest import make_persona

    return make_persona(organisation, team, "panel2@wwl.nhs.uk", [roles.HIRING_PANEL], first_name="Ann", last_name="Lee")


@pytest.fixture
def vacancy(recruiting_manager, organisation, panellist, second_panellist):
    v = VacancyFactory(recruiting_manager=recruiting_manager, organisation=organisation)
    return plan_vacancy(v, panel=[panellist, second_panellist], chair=recruiting_manager)


@pytest.fixture
def interview(vacancy):
    return InterviewFactory(candidate__vacancy=vacancy)
