import datetime

import pytest
from django.urls import reverse

from appraisals import selectors, services
from appraisals.models import ShoutOut, TeamAction, TeamTime
from bewigan.values.selectors import current_behaviours, current_values
from tests.appraisals.factories import ShoutOutFactory

pytestmark = pytest.mark.django_db


def test_shout_out_reaches_timeline_agenda_and_public_feed(
    staff, colleague, my_time, line_manager, client_for
):
    value = current_values().first()
    response = client_for(colleague).post(
        reverse("appraisals:shout_out_new"),
        {
            "recipient": "staff@wigan.gov.uk",
            "value": value.pk,
            "message": "Calm with a distressed resident",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    shout = ShoutOut.objects.get()
    assert shout.giver == colleague.person and shout.value == value
    assert (
        "Calm with a distressed resident"
        in client_for(staff)
        .get(reverse("appraisals:timeline", args=[staff.person.pk]))
        .content.decode()
    )
    page = selectors.conversation_page(user=line_manager, conversation=my_time)
    assert shout in page.shout_outs
    items = selectors.public_shout_outs(user=staff)
    assert items[0].recipient_name == "Sam Turner" and items[0].giver_name == "Kai Ward"
    assert items[0].value_name == value.name and items[0].url.endswith(f"#shout-out-{shout.pk}")


def test_private_shout_outs_stay_out_of_the_feed(staff, colleague):
    ShoutOutFactory(
        giver=colleague.person, recipient=staff.person, is_public=False, message="quiet thanks"
    )
    assert selectors.public_shout_outs(user=staff) == []


def test_shout_out_to_yourself_or_an_unknown_person_is_refused(staff, client_for):
    value = current_values().first()
    client = client_for(staff)
    r = client.post(
        reverse("appraisals:shout_out_new"),
        {"recipient": "staff@wigan.gov.uk", "value": value.pk, "message": "me"},
    )
    assert r.status_code == 400 and "not yourself" in r.content.decode()
    r = client.post(
        reverse("appraisals:shout_out_new"),
        {"recipient": "ghost@wigan.gov.uk", "value": value.pk, "message": "x"},
    )
    assert r.status_code == 400 and "No colleague with that email" in r.content.decode()
    assert not ShoutOut.objects.exists()


@pytest.mark.parametrize("n", [2, 20])
def test_public_feed_query_count(n, staff, colleague, django_assert_max_num_queries):
    for _ in range(n):
        ShoutOutFactory(giver=colleague.person, recipient=staff.person)
    with django_assert_max_num_queries(1):
        assert len(selectors.public_shout_outs(user=staff, limit=10)) == min(n, 10)


@pytest.fixture
def team_time(line_manager, team, today):
    return services.team_time_create(actor=line_manager, team=team, meeting_date=today)


def test_team_time_session(team_time, line_manager, staff, colleague, outsider, client_for, today):
    client = client_for(line_manager)
    url = reverse("appraisals:team_time_detail", args=[team_time.pk])
    value = current_values().first()
    behaviour = current_behaviours().first()
    r = client.post(
        url,
        {
            "form": "checkin",
            "attendees": [staff.person.pk, colleague.person.pk, line_manager.person.pk],
            "how_are_we_score": "3",
            "how_are_we": "Stretched after winter",
        },
    )
    assert r.status_code == 302
    r = client.post(
        url,
        {
            "form": "appreciation",
            "recipient": staff.person.pk,
            "value": value.pk,
            "message": "I saw Sam be courageous when she challenged the discharge plan",
        },
    )
    assert r.status_code == 302
    r = client.post(
        url,
        {
            "form": "feedback",
            "recipient": colleague.person.pk,
            "behaviour": behaviour.pk,
            "does_well": "Listens",
            "to_try": "Speak up sooner",
        },
    )
    assert r.status_code == 302
    r = client.post(
        url,
        {
            "form": "action",
            "owner": colleague.person.pk,
            "text": "Fix the rota",
            "due_date": (today + datetime.timedelta(days=14)).isoformat(),
        },
    )
    assert r.status_code == 302
    team_time.refresh_from_db()
    assert team_time.how_are_we_score == 3 and team_time.attendees.count() == 3
    assert ShoutOut.objects.get().team_time == team_time  # appreciation lands on Sam's timeline too
    # an owner outside the team is refused with a clear error
    r = client.post(
        url,
        {
            "form": "action",
            "owner": outsider.person.pk,
            "text": "x",
            "due_date": (today + datetime.timedelta(days=14)).isoformat(),
        },
    )
    assert r.status_code == 400 and "The owner must be a member of the team" in r.content.decode()
    # open actions carry over to the next session
    later = services.team_time_create(
        actor=line_manager, team=team_time.team, meeting_date=today + datetime.timedelta(days=28)
    )
    page = selectors.team_time_page(team_time=later)
    assert [a.text for a in page.carried_actions] == ["Fix the rota"]
    services.team_action_set_done(actor=colleague, action=TeamAction.objects.get(), done=True)
    assert selectors.team_time_page(team_time=later).carried_actions == []


def test_team_time_permissions(team_time, staff, outsider, client_for):
    url = reverse("appraisals:team_time_detail", args=[team_time.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(staff).get(url).status_code == 200
    # a member who is not the facilitator cannot record the check-in
    assert client_for(staff).post(url, {"form": "checkin", "how_are_we": "x"}).status_code == 403
    assert TeamTime.objects.get().how_are_we == ""
