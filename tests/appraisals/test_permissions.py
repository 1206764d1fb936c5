"""Persona × state grids, denials included. 404 for "not yours"."""

import pytest
from django.urls import reverse

from appraisals import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_manager(organisation, team):
    from tests.conftest import make_persona

    return make_persona(
        organisation, team, "other.manager@wigan.gov.uk", first_name="Ola", last_name="Bee"
    )


PERSONAS = [
    "staff",
    "line_manager",
    "colleague",
    "other_manager",
    "hr_admin",
    "superuser",
    "outsider",
]


@pytest.mark.parametrize(
    "persona,view,edit",
    [
        ("staff", 200, 200),
        ("line_manager", 200, 200),
        ("colleague", 404, 404),
        ("other_manager", 404, 404),
        ("hr_admin", 404, 404),
        ("superuser", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_conversation_grid_while_open(persona, view, edit, request, my_time, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert (
        client.get(reverse("appraisals:conversation_detail", args=[my_time.pk])).status_code == view
    )
    assert (
        client.get(reverse("appraisals:conversation_edit", args=[my_time.pk])).status_code == edit
    )


@pytest.mark.parametrize(
    "persona,view,edit", [("staff", 200, 404), ("line_manager", 200, 404), ("hr_admin", 404, 404)]
)
def test_conversation_grid_once_confirmed(
    persona, view, edit, request, recorded, staff, line_manager, client_for
):
    services.conversation_confirm(actor=staff, conversation=recorded)
    services.conversation_confirm(actor=line_manager, conversation=recorded)
    client = client_for(request.getfixturevalue(persona))
    assert (
        client.get(reverse("appraisals:conversation_detail", args=[recorded.pk])).status_code
        == view
    )
    assert (
        client.get(reverse("appraisals:conversation_edit", args=[recorded.pk])).status_code == edit
    )


@pytest.mark.parametrize(
    "persona", ["colleague", "other_manager", "hr_admin", "superuser", "outsider"]
)
def test_writes_are_refused_to_others(persona, request, my_time, client_for):
    client = client_for(request.getfixturevalue(persona))
    for name, data in [
        ("talking_point_add", {"text": "x"}),
        ("action_add", {"text": "x"}),
        ("conversation_confirm", {}),
        ("private_note", {"text": "x"}),
        ("conversation_comment", {"staff_comments": "x"}),
    ]:
        assert (
            client.post(reverse(f"appraisals:{name}", args=[my_time.pk]), data).status_code == 404
        ), name
    assert not my_time.talking_points.exists()


def test_changing_ids_gives_404(my_time, staff, client_for):
    client = client_for(staff)
    assert (
        client.get(reverse("appraisals:conversation_detail", args=[my_time.pk + 999])).status_code
        == 404
    )
    assert client.get(reverse("appraisals:timeline", args=[99999])).status_code == 404


@pytest.mark.parametrize(
    "persona,status",
    [
        ("staff", 200),
        ("line_manager", 200),
        ("colleague", 404),
        ("other_manager", 404),
        ("hr_admin", 404),
        ("superuser", 404),
    ],
)
def test_timeline_grid(persona, status, request, staff, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("appraisals:timeline", args=[staff.person.pk])).status_code == status


@pytest.mark.parametrize(
    "persona,status", [("staff", 404), ("colleague", 404), ("line_manager", 302)]
)
def test_only_the_person_or_their_manager_can_plan(
    persona, status, request, staff, client_for, today
):
    client = client_for(request.getfixturevalue(persona))
    response = client.post(
        reverse("appraisals:plan", args=[staff.person.pk]), {"meeting_date": today.isoformat()}
    )
    expected = 302 if persona == "staff" else status
    assert response.status_code == expected


@pytest.mark.parametrize(
    "persona,status",
    [("hr_admin", 200), ("staff", 403), ("line_manager", 403), ("superuser", 403)],
)
def test_hr_pages_grid(persona, status, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    for name in ("coverage", "break_glass", "support_route_list"):
        assert client.get(reverse(f"appraisals:{name}")).status_code == status, name


def test_dashboard_lists_only_my_own_reports(
    staff, colleague, line_manager, other_manager, client_for
):
    body = client_for(other_manager).get(reverse("appraisals:dashboard")).content.decode()
    assert "Sam Turner" not in body
    body = client_for(line_manager).get(reverse("appraisals:dashboard")).content.decode()
    assert "Sam Turner" in body and "Kai Ward" in body


def test_wellbeing_trend_is_hidden_from_colleagues(recorded, colleague, client_for, staff):
    response = client_for(colleague).get(reverse("appraisals:timeline", args=[staff.person.pk]))
    assert response.status_code == 404
