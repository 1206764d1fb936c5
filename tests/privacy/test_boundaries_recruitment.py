"""Recruitment: an HR admin sees the vacancies (candidates, interviews,
analytics) of the organisations in reach for HR only; panel and manager
pickers offer staff of those organisations; cross-organisation panels work
within grants."""

import pytest
from django.urls import reverse

from bewigan.people import roles
from recruitment.models import Decision, PanelMember
from tests.conftest import make_persona
from tests.recruitment.factories import InterviewFactory, VacancyFactory, plan_vacancy

from .grants import GRANT_STATES, apply_state, make_grant

pytestmark = pytest.mark.django_db

TITLE = "Community matron WWL-ONLY"


@pytest.fixture
def wwl_manager(other_organisation):
    return make_persona(
        other_organisation,
        None,
        "recruiter@wwl.nhs.uk",
        [roles.RECRUITING_MANAGER, roles.HIRING_PANEL],
        first_name="Wendy",
        last_name="Walsh",
    )


@pytest.fixture
def wwl_interview(other_organisation, wwl_manager, outsider):
    vacancy = VacancyFactory(
        title=TITLE, organisation=other_organisation, recruiting_manager=wwl_manager
    )
    plan_vacancy(vacancy, panel=[outsider], chair=wwl_manager)
    interview = InterviewFactory(
        candidate__vacancy=vacancy, candidate__first_name="Wanda", candidate__last_name="Wyn"
    )
    Decision.objects.create(
        interview=interview, outcome="appoint", rationale="Strong", decided_by=wwl_manager
    )
    return interview


def pages(interview):
    vacancy = interview.candidate.vacancy
    return {
        "detail": reverse("recruitment:vacancy_detail", args=[vacancy.pk]),
        "edit": reverse("recruitment:vacancy_edit", args=[vacancy.pk]),
        "kit": reverse("recruitment:kit", args=[vacancy.pk]),
        "candidate": reverse("recruitment:candidate_detail", args=[interview.candidate_id]),
        "add_candidate": reverse("recruitment:candidate_create", args=[vacancy.pk]),
        "consensus": reverse("recruitment:consensus", args=[interview.pk]),
        "feedback": reverse("recruitment:feedback", args=[interview.pk]),
    }


@pytest.mark.parametrize("state, reaches", GRANT_STATES)
def test_hr_admin_and_another_partners_vacancies(
    client_for, hr_admin, organisation, other_organisation, wwl_interview, state, reaches
):
    apply_state(state, own=organisation, other=other_organisation)
    client = client_for(hr_admin)
    for name, url in pages(wwl_interview).items():
        assert client.get(url).status_code == (200 if reaches else 404), name
    for listing in ("recruitment:vacancy_list", "recruitment:index"):
        html = client.get(reverse(listing)).content.decode()
        assert (TITLE in html) is reaches, listing
    analytics = client.get(reverse("recruitment:analytics")).content.decode()
    assert (TITLE in analytics) is reaches


def test_own_organisation_vacancies_stay_visible(
    client_for, hr_admin, council_vacancy, council_interview
):
    client = client_for(hr_admin)
    html = client.get(reverse("recruitment:vacancy_list")).content.decode()
    assert council_vacancy.title in html
    for name, url in pages(council_interview).items():
        if name != "feedback":
            assert client.get(url).status_code == 200, name


def test_the_partners_own_people_keep_their_access(
    client_for, settings, wwl_manager, outsider, wwl_interview
):
    """Boundaries limit admins; managers and panellists keep their seats."""
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [*settings.BEWIGAN_MFA_EXEMPT_EMAILS, wwl_manager.email]
    urls = pages(wwl_interview)
    assert client_for(wwl_manager).get(urls["detail"]).status_code == 200
    assert client_for(outsider).get(urls["kit"]).status_code == 200


@pytest.fixture
def council_vacancy(recruiting_manager, organisation):
    return plan_vacancy(
        VacancyFactory(recruiting_manager=recruiting_manager, organisation=organisation),
        chair=recruiting_manager,
    )


@pytest.fixture
def council_interview(council_vacancy):
    return InterviewFactory(candidate__vacancy=council_vacancy)


@pytest.mark.parametrize("who", ["hr_admin", "recruiting_manager"])
@pytest.mark.parametrize("state, reaches", GRANT_STATES)
def test_cross_organisation_panels_work_within_grants(
    request,
    client_for,
    council_vacancy,
    organisation,
    other_organisation,
    outsider,
    who,
    state,
    reaches,
):
    apply_state(state, own=organisation, other=other_organisation)
    client = client_for(request.getfixturevalue(who))
    detail = client.get(reverse("recruitment:vacancy_detail", args=[council_vacancy.pk]))
    help_text = detail.context["panel_form"].fields["email"].help_text
    assert "Council" in help_text and ("WWL" in help_text) is reaches
    assert help_text in detail.content.decode()
    response = client.post(
        reverse("recruitment:panel_add", args=[council_vacancy.pk]), {"email": outsider.email}
    )
    added = PanelMember.objects.filter(vacancy=council_vacancy, user=outsider).exists()
    assert added is reaches
    if not reaches:
        assert response.status_code == 400
        # The same words as for an unknown address: nothing leaks.
        assert "Nobody with this email address has a BeWigan account" in response.content.decode()


def test_vacancy_form_offers_organisations_and_managers_in_reach(
    client_for, hr_admin, organisation, other_organisation, wwl_manager, recruiting_manager
):
    client = client_for(hr_admin)
    form = client.get(reverse("recruitment:vacancy_create")).context["form"]
    assert list(form.fields["organisation"].queryset) == [organisation]
    managers = set(form.fields["recruiting_manager"].queryset)
    assert recruiting_manager in managers and wwl_manager not in managers
    make_grant(other_organisation, organisation, "hr")
    form = client.get(reverse("recruitment:vacancy_create")).context["form"]
    assert set(form.fields["organisation"].queryset) == {organisation, other_organisation}
    assert wwl_manager in set(form.fields["recruiting_manager"].queryset)


def test_vacancy_for_another_partner_is_refused_without_a_grant(
    client_for, hr_admin, other_organisation, recruiting_manager
):
    from bewigan.values.models import Value

    response = client_for(hr_admin).post(
        reverse("recruitment:vacancy_create"),
        {
            "title": "Sneaky",
            "reference": "SNEAK-1",
            "organisation": other_organisation.pk,
            "recruiting_manager": recruiting_manager.pk,
            "values": [v.pk for v in Value.objects.current()],
            "visibility": "after_own",
            "status": "open",
        },
    )
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()


def test_linking_a_new_starter_stays_within_reach(
    client_for, hr_admin, council_interview, outsider, organisation, other_organisation
):
    interview = council_interview
    client = client_for(hr_admin)
    url = reverse("recruitment:candidate_detail", args=[interview.candidate_id])
    refused = client.post(url, {"email": outsider.email})
    assert refused.status_code == 400
    interview.candidate.refresh_from_db()
    assert interview.candidate.appointed_person is None
    make_grant(other_organisation, organisation, "hr")
    assert client.post(url, {"email": outsider.email}).status_code == 302
    interview.candidate.refresh_from_db()
    assert interview.candidate.appointed_person == outsider.person
