"""The people finder and the colleague pickers: search by name, team and
organisation (working details only), a constant number of queries, and
pickers that take a name or an email and are checked on the server."""

import datetime

import pytest
from django import forms

from bewigan.people.models import Person
from bewigan.people.pickers import colleague_resolve, colleagues_resolve
from tests.conftest import make_persona
from tests.people.factories import TeamFactory

pytestmark = pytest.mark.django_db


def _many(organisation, team, n, prefix="bulk"):
    for i in range(n):
        make_persona(
            organisation, team, f"{prefix}{i}@wigan.gov.uk", first_name="Alex", last_name=f"Bulk{i}"
        )


def test_finds_by_name_team_and_organisation(
    client_for, staff, colleague, outsider, organisation, other_organisation
):
    client = client_for(staff)
    page = client.get("/people/find/", {"q": "kai"}).content.decode()
    assert "Kai Ward" in page and "Olu Ade" not in page
    assert "1 colleague found" in page
    by_team = client.get("/people/find/", {"q": "reablement"}).content.decode()
    assert "Kai Ward" in by_team and "Sam Turner" in by_team and "Olu Ade" not in by_team
    by_org = client.get("/people/find/", {"q": "WWL"}).content.decode()
    assert "Olu Ade" in by_org and "Kai Ward" not in by_org
    filtered = client.get(
        "/people/find/", {"q": "", "organisation": other_organisation.pk}
    ).content.decode()
    assert "Olu Ade" in filtered and "Kai Ward" not in filtered
    # Working details only: no employee numbers or dates.
    assert staff.person.employee_number not in by_team


def test_leavers_are_not_found(client_for, staff, colleague):
    Person.objects.filter(user=colleague).update(leaver_date=datetime.date(2020, 1, 1))
    page = client_for(staff).get("/people/find/", {"q": "kai"}).content.decode()
    assert "Kai Ward" not in page and "0 colleagues found" in page


def test_anonymous_users_sign_in_first(client):
    response = client.get("/people/find/", {"q": "kai"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.get("/people/find/suggest/", {"q": "kai"})
    assert response.status_code == 302


@pytest.mark.parametrize("size", [5, 45])
def test_finder_query_count_is_constant(
    client_for, staff, organisation, team, size, django_assert_max_num_queries
):
    second = TeamFactory(organisation=organisation, name="Night service", code="night")
    _many(organisation, team, size)
    for person in Person.objects.filter(user__last_name__startswith="Bulk"):
        person.memberships.create(team=second, is_primary=False)
    client = client_for(staff)
    client.get("/people/find/", {"q": "alex"})  # warm session and permission caches
    with django_assert_max_num_queries(9):
        page = client.get("/people/find/", {"q": "alex", "page": 2 if size > 20 else 1})
    assert page.status_code == 200
    assert "Night service" in page.content.decode()


def test_pagination_keeps_the_search(client_for, staff, organisation, team):
    _many(organisation, team, 25)
    page = client_for(staff).get("/people/find/", {"q": "alex"}).content.decode()
    assert "25 colleagues found" in page
    assert "?q=alex&amp;page=2" in page


def test_suggestions_are_json_and_scoped(
    client_for, hr_admin, staff, colleague, outsider, other_organisation
):
    client = client_for(staff)
    found = client.get("/people/find/suggest/", {"q": "ol ad"}).json()["results"]
    assert [r["name"] for r in found] == ["Olu Ade"]
    assert found[0]["value"] == "Olu Ade (outsider@wwl.nhs.uk)"
    assert "WWL" in found[0]["detail"]
    # scope=hr: only the HR reach (no grant from WWL here).
    hr = client_for(hr_admin)
    assert hr.get("/people/find/suggest/", {"q": "olu", "scope": "hr"}).json()["results"] == []
    assert hr.get("/people/find/suggest/", {"q": "kai", "scope": "hr"}).json()["results"]
    only = {"q": "olu", "org": str(other_organisation.pk)}
    assert client.get("/people/find/suggest/", only).json()["results"]
    assert client.get("/people/find/suggest/", {"q": "o"}).json()["results"] == []


def test_resolve_by_email_label_or_name(staff, colleague, organisation, team):
    people = Person.objects.active()
    assert colleague_resolve("colleague@wigan.gov.uk", queryset=people) == colleague.person
    assert colleague_resolve("Kai Ward (colleague@wigan.gov.uk)", queryset=people).pk == (
        colleague.person.pk
    )
    assert colleague_resolve("  kai   WARD ", queryset=people) == colleague.person
    with pytest.raises(forms.ValidationError, match="No colleague called Kai Wardle"):
        colleague_resolve("Kai Wardle", queryset=people)
    make_persona(organisation, team, "kai2@wigan.gov.uk", first_name="Kai", last_name="Ward")
    with pytest.raises(forms.ValidationError, match="More than one colleague is called Kai Ward"):
        colleague_resolve("Kai Ward", queryset=people)
    with pytest.raises(forms.ValidationError, match="No colleague with that email"):
        colleague_resolve("nobody@wigan.gov.uk", queryset=people)


def test_several_people_one_a_line(staff, colleague, line_manager):
    people = Person.objects.active()
    text = "Kai Ward (colleague@wigan.gov.uk)\nmanager@wigan.gov.uk, staff@wigan.gov.uk\nKai Ward"
    found = colleagues_resolve(text, queryset=people)
    assert found == [colleague.person, line_manager.person, staff.person]
    with pytest.raises(forms.ValidationError) as exc:
        colleagues_resolve("nobody@nowhere.example\nNo Such", queryset=people)
    assert "No colleague found for: nobody@nowhere.example" in exc.value.messages
    assert any("No colleague called No Such" in m for m in exc.value.messages)


def test_forms_use_pickers_and_check_reach(client_for, staff, colleague, outsider, hr_admin):
    from appraisals.forms import BreakGlassForm, ShoutOutForm
    from recruitment.forms import PanelMemberForm

    page = client_for(staff).get("/my-time/shout-outs/new/").content.decode()
    assert 'data-colleague-picker="/people/find/suggest/"' in page
    form = ShoutOutForm({"recipient": "Kai Ward"})
    form.is_valid()
    assert form.cleaned_data["recipient"] == colleague.person
    assert 'data-colleague-picker="/people/find/suggest/?scope=hr"' in str(BreakGlassForm())
    panel = PanelMemberForm({"email": "Olu Ade"}, organisations=[staff.person.organisation])
    assert not panel.is_valid()  # another partner, not in this panel's organisations
    panel = PanelMemberForm({"email": "Kai Ward"}, organisations=[staff.person.organisation])
    assert panel.is_valid() and panel.user == colleague
    assert f"org={staff.person.organisation_id}" in str(panel["email"])


@pytest.mark.parametrize("size", [3, 40])
def test_suggestions_query_count_is_constant(
    client_for, staff, organisation, team, size, django_assert_max_num_queries
):
    _many(organisation, team, size)
    client = client_for(staff)
    client.get("/people/find/suggest/", {"q": "al"})  # warm the session
    with django_assert_max_num_queries(4):
        found = client.get("/people/find/suggest/", {"q": "alex bu"}).json()["results"]
    assert len(found) == min(size, 10)
