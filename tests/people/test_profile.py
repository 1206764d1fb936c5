import pytest
from django.urls import reverse

from tests.people.factories import PersonFactory, TeamMembershipFactory


@pytest.mark.django_db
def test_profile_shows_person_manager_teams_and_values(client_for, staff):
    response = client_for(staff).get(reverse("people:my_profile"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sam Turner" in html
    assert "Priya Shah" in html  # line manager
    assert "Reablement Wigan" in html  # team
    for value in ("Positive", "Accountable", "Courageous"):
        assert value in html
    assert response["Cache-Control"].startswith("no-store")


@pytest.mark.django_db
def test_manager_sees_reports_and_their_details(client_for, line_manager, staff, colleague):
    html = client_for(line_manager).get(reverse("people:my_profile")).content.decode()
    assert "Sam Turner" in html and "Kai Ward" in html
    detail = client_for(line_manager).get(reverse("people:person_detail", args=[staff.person.pk]))
    assert staff.person.employee_number in detail.content.decode()


@pytest.mark.django_db
def test_colleague_sees_working_profile_but_not_personal_details(client_for, staff, colleague):
    response = client_for(colleague).get(reverse("people:person_detail", args=[staff.person.pk]))
    assert response.status_code == 200
    assert "Sam Turner" in response.content.decode()
    assert staff.person.employee_number not in response.content.decode()


@pytest.mark.django_db
def test_hr_admin_of_another_organisation_does_not_see_details(client_for, staff, outsider):
    from django.contrib.auth.models import Group

    outsider.groups.add(Group.objects.get_or_create(name="HR admin")[0])
    response = client_for(outsider).get(reverse("people:person_detail", args=[staff.person.pk]))
    assert staff.person.employee_number not in response.content.decode()


@pytest.mark.django_db
def test_hr_admin_of_same_organisation_sees_details(client_for, staff, hr_admin):
    response = client_for(hr_admin).get(reverse("people:person_detail", args=[staff.person.pk]))
    assert staff.person.employee_number in response.content.decode()


@pytest.mark.django_db
def test_missing_person_is_404(client_for, staff):
    assert client_for(staff).get(reverse("people:person_detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, staff):
    response = client.get(reverse("people:person_detail", args=[staff.person.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _build_reports(manager_person, n, organisation, team):
    for _ in range(n):
        p = PersonFactory(organisation=organisation, line_manager=manager_person)
        TeamMembershipFactory(person=p, team=team)


@pytest.mark.django_db
@pytest.mark.parametrize("reports", [5, 60])
def test_profile_query_count_does_not_grow_with_reports(
    client_for, line_manager, organisation, team, reports, django_assert_max_num_queries
):
    _build_reports(line_manager.person, reports, organisation, team)
    # a second level under the first report
    _build_reports(line_manager.person.direct_reports.first(), 3, organisation, team)
    client = client_for(line_manager)
    client.get(reverse("people:my_profile"))  # the session's first write happens once a minute
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:my_profile"))
    assert response.status_code == 200
    assert f"{reports + 3} people in all" in response.content.decode()


@pytest.mark.django_db
def test_person_without_profile_gets_a_clear_page(client):
    from tests.people.factories import UserFactory

    user = UserFactory(email="nobody@wigan.gov.uk")
    client.force_login(user)
    response = client.get(reverse("people:my_profile"))
    assert response.status_code == 200
    assert "no staff profile" in response.content.decode()
