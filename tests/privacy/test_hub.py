"""The data protection hub: HR admins and data protection officers, linking
every tool they may use; counts only what is in the user's reach."""

import pytest
from django.urls import reverse

from bewigan.privacy.holds import hold_place
from tests.people.factories import PersonFactory
from tests.privacy.sar_fixtures import dpo, other_hr_admin  # noqa: F401

pytestmark = pytest.mark.django_db


def test_hr_admin_sees_every_tool_but_subject_access(client_for, hr_admin):
    response = client_for(hr_admin).get(reverse("privacy:index"))
    assert response.status_code == 200
    html = response.content.decode()
    # Subject access packs are the data protection officer's.
    assert f'href="{reverse("privacy:sar_list")}"' not in html
    assert "data protection officer records and answers them" in html
    for name in (
        "privacy:retention_schedule",
        "privacy:hold_list",
        "privacy:erasure_list",
        "privacy:leaver_list",
        "people:audit_log",
    ):
        assert f'href="{reverse(name)}"' in html
    assert 'href="/admin/data-sharing-grants/"' in html


@pytest.mark.parametrize("persona", ["staff", "line_manager", "survey_admin", "comms_editor"])
def test_others_are_refused(client_for, request, persona):
    person = request.getfixturevalue(persona)
    response = client_for(person).get(reverse("privacy:index"))
    assert response.status_code == 403


def test_profile_links_hr_admin_to_the_hub(client_for, hr_admin, staff):
    hub = reverse("privacy:index")
    assert hub in client_for(hr_admin).get(reverse("people:my_profile")).content.decode()
    assert hub not in client_for(staff).get(reverse("people:my_profile")).content.decode()


def test_data_protection_officer_sees_subject_access(client_for, dpo):  # noqa: F811
    html = client_for(dpo).get(reverse("privacy:index")).content.decode()
    assert f'href="{reverse("privacy:sar_list")}"' in html


def test_legal_holds_are_counted_only_within_reach(
    client_for,
    hr_admin,
    other_hr_admin,  # noqa: F811
    organisation,
    other_organisation,
):
    mine = PersonFactory(organisation=organisation)
    theirs = [PersonFactory(organisation=other_organisation) for _ in range(3)]
    hold_place(user=hr_admin, person=mine, reason="Tribunal claim")
    for person in theirs:
        hold_place(user=other_hr_admin, person=person, reason="Grievance")
    html = client_for(hr_admin).get(reverse("privacy:index")).content.decode()
    assert "1 hold in place." in html and "4 holds" not in html
    html = client_for(other_hr_admin).get(reverse("privacy:index")).content.decode()
    assert "3 holds in place." in html
