""" "My work" on the home page is kept per worker (bewigan.core.work): every
my-time write that changes someone's items says so, so the items appear and
disappear at once, through the cache, for both people in a conversation."""

import datetime

import pytest
from django.utils import timezone

from appraisals import services
from appraisals.models import Conversation, FeedbackRequest
from bewigan.core import work
from bewigan.values.selectors import current_values
from tests.appraisals.factories import ConversationFactory
from tests.conftest import make_persona

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached(settings):
    settings.BEWIGAN_MY_WORK_CACHE_SECONDS = 300  # as in production
    work.memo_clear()
    yield
    work.memo_clear()


def titles(user) -> list[str]:
    return [i.title for items in work.collect_my_work(user=user).values() for i in items]


def _last_my_time(person, days_ago):
    now = timezone.now()
    return ConversationFactory(
        person=person,
        meeting_date=timezone.localdate() - datetime.timedelta(days=days_ago),
        recorded_at=now,
        person_confirmed_at=now,
        manager_confirmed_at=now,
    )


def test_a_my_time_becomes_due_as_the_days_pass(staff, line_manager, monkeypatch):
    _last_my_time(staff.person, days_ago=10)  # next due in 20 days (30-day cadence)
    assert "Plan a my time with Sam Turner" not in titles(line_manager)
    assert "Plan your next my time with your manager" not in titles(staff)
    in_a_week = timezone.localdate() + datetime.timedelta(days=7)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: in_a_week)
    assert "Plan a my time with Sam Turner" in titles(line_manager)  # due within 14 days
    assert "Plan your next my time with your manager" in titles(staff)


def test_a_shorter_cadence_makes_a_my_time_due_at_once(staff, line_manager):
    _last_my_time(staff.person, days_ago=10)
    assert "Plan a my time with Sam Turner" not in titles(line_manager)
    services.cadence_set(actor=line_manager, person=staff.person, days=14)
    assert "Plan a my time with Sam Turner" in titles(line_manager)
    assert "Plan your next my time with your manager" in titles(staff)


def test_planning_recording_and_confirming_move_the_items(staff, line_manager, colleague):
    assert "Plan a my time with Sam Turner" in titles(line_manager)
    assert "Plan a my time with Kai Ward" in titles(line_manager)
    assert "Plan your next my time with your manager" in titles(staff)
    my_time = services.conversation_plan(
        actor=staff,
        person=staff.person,
        meeting_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    manager_titles = titles(line_manager)
    assert "Plan a my time with Sam Turner" not in manager_titles
    assert "Plan a my time with Kai Ward" in manager_titles
    assert "Add talking points for your my time with Sam Turner" in manager_titles
    assert titles(staff) == ["Add talking points for your my time with Priya Shah"]

    services.talking_point_add(actor=staff, conversation=my_time, text="My course")
    assert titles(staff) == []
    assert "Add talking points for your my time with Sam Turner" in titles(line_manager)

    services.conversation_update(
        actor=line_manager,
        conversation=my_time,
        expected_version=my_time.version,
        data={"wellbeing_score": 4, "what_matters": "My course"},
    )
    assert titles(staff) == ["Confirm the record of your my time with Priya Shah"]
    assert "Confirm the record of your my time with Sam Turner" in titles(line_manager)

    services.conversation_confirm(actor=staff, conversation=Conversation.objects.get(pk=my_time.pk))
    assert titles(staff) == []
    assert "Confirm the record of your my time with Sam Turner" in titles(line_manager)
    services.conversation_confirm(
        actor=line_manager, conversation=Conversation.objects.get(pk=my_time.pk)
    )
    assert not any("Sam Turner" in t for t in titles(line_manager))


def test_a_360_request_appears_for_the_rater_and_goes_once_answered_or_declined(
    staff, organisation, team
):
    raters = [
        make_persona(organisation, team, f"r{i}@wigan.gov.uk", first_name=f"R{i}", last_name="X")
        for i in range(2)
    ]
    assert titles(raters[0]) == titles(raters[1]) == []
    feedback_round = services.feedback_round_create(
        actor=staff,
        subject=staff.person,
        raters=[r.person for r in raters],
        message="Thanks!",
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    assert titles(raters[0]) == titles(raters[1]) == ["Give 360 feedback to Sam Turner"]
    first, second = (
        FeedbackRequest.objects.get(round=feedback_round, rater=r.person) for r in raters
    )
    services.feedback_answer(
        actor=raters[0],
        request=first,
        anonymous=True,
        answers={current_values().first(): ("Kind", "")},
    )
    assert titles(raters[0]) == []
    services.feedback_request_decline(actor=raters[1], request=second)
    assert titles(raters[1]) == []


def test_a_new_line_manager_sees_the_report_at_once(staff, line_manager, organisation, team):
    new_manager = make_persona(
        organisation, team, "new.manager@wigan.gov.uk", first_name="Nia", last_name="Bell"
    )
    assert "Plan a my time with Sam Turner" in titles(line_manager)
    assert titles(new_manager) == []
    person = staff.person
    person.line_manager = new_manager.person
    person.save()  # people.Person is in BEWIGAN_MY_WORK_WATCH (admin edits)
    assert "Plan a my time with Sam Turner" not in titles(line_manager)
    assert titles(new_manager) == ["Plan a my time with Sam Turner"]


def test_the_cache_really_is_used(staff, line_manager):
    """A write that bypasses the services is not seen until the TTL: the
    tests above pass because the services say what changed."""
    assert "Plan your next my time with your manager" in titles(staff)
    Conversation.objects.bulk_create(
        [
            Conversation(
                person=staff.person,
                manager=line_manager.person,
                meeting_date=timezone.localdate() + datetime.timedelta(days=3),
            )
        ]
    )
    assert "Plan your next my time with your manager" in titles(staff)
    work.my_work_changed([staff.pk])
    assert titles(staff) == ["Add talking points for your my time with Priya Shah"]
