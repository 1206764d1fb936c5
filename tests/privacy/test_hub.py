"""The data protection hub: HR admins only, linking every tool."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_hr_admin_sees_every_tool(client_for, hr_admin):
    response = client_for(hr_admin).get(reverse("privacy:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "privacy:sar_list",
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
