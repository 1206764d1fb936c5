""" "My work" on the home page is kept per worker (bewigan.core.work): every
recruitment write that changes a panellist's or decider's items says so, so
scorecards and decisions appear and disappear at once, through the cache."""

import datetime

import pytest
from django.utils import timezone

from bewigan.core import work
from recruitment import services
from recruitment.models import Scorecard
from tests.recruitment.factories import CandidateFactory, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached(settings):
    settings.BEWIGAN_MY_WORK_CACHE_SECONDS = 300  # as in production
    work.memo_clear()
    yield
    work.memo_clear()


def items(user):
    return work.collect_my_work(user=user).get("Recruitment", [])


def titles(user) -> list[str]:
    return [i.title for i in items(user)]


def test_scheduling_assigns_scorecards_and_submitting_clears_them(
    vacancy, panellist, second_panellist, recruiting_manager
):
    candidate = CandidateFactory(vacancy=vacancy, first_name="Ola", last_name="Ray")
    assert titles(panellist) == titles(recruiting_manager) == []
    interview = services.interview_schedule(
        user=recruiting_manager,
        candidate=candidate,
        scheduled_at=timezone.now() - datetime.timedelta(hours=1),
    )
    expected = [f"Score Ola Ray for {vacancy.title}"]
    assert titles(panellist) == titles(second_panellist) == titles(recruiting_manager) == expected
    submit(interview, panellist)
    assert titles(panellist) == []
    assert titles(second_panellist) == expected
    submit(interview, second_panellist)
    submit(interview, recruiting_manager)
    # the chair (the recruiting manager here) now records the decision
    assert titles(recruiting_manager) == ["Record the panel's decision on Ola Ray"]
    from tests.recruitment.test_decisions_and_contracts import _decide_data

    data = _decide_data(interview)
    agreed = {int(k.split("_")[1]): int(v) for k, v in data.items() if k.startswith("agreed_")}
    services.decision_record(
        user=recruiting_manager,
        interview=interview,
        agreed=agreed,
        outcome=data["outcome"],
        rationale=data["rationale"],
    )
    assert titles(recruiting_manager) == []


def test_joining_and_leaving_a_panel(vacancy, interview, colleague, recruiting_manager):
    assert titles(colleague) == []
    services.panel_member_add(user=recruiting_manager, vacancy=vacancy, member=colleague)
    assert titles(colleague) == [f"Score {interview.candidate.name} for {vacancy.title}"]
    seat = vacancy.panel.get(user=colleague)
    services.panel_member_remove(user=recruiting_manager, vacancy=vacancy, seat_id=seat.pk)
    assert titles(colleague) == []


def test_anonymising_a_candidate_removes_their_interview(vacancy, interview, panellist):
    assert len(titles(panellist)) == 1
    services.candidate_anonymise(candidate=interview.candidate, reason="Erasure request")
    assert titles(panellist) == []


def test_a_vacancy_edited_in_the_admin_shows_at_once(vacancy, interview, panellist):
    assert titles(panellist) == [f"Score {interview.candidate.name} for {vacancy.title}"]
    vacancy.title = "Night support worker"
    vacancy.save()  # recruitment.Vacancy is in BEWIGAN_MY_WORK_WATCH
    assert titles(panellist) == [f"Score {interview.candidate.name} for Night support worker"]


def test_an_interview_item_changes_its_hint_when_the_interview_starts(
    vacancy, panellist, recruiting_manager, monkeypatch
):
    starts = timezone.now() + datetime.timedelta(hours=3)
    services.interview_schedule(
        user=recruiting_manager, candidate=CandidateFactory(vacancy=vacancy), scheduled_at=starts
    )
    [item] = items(panellist)
    assert item.hint.startswith("Interview on") and not item.overdue
    assert item.valid_until == starts
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(hours=4))
    [item] = items(panellist)
    assert item.hint == "Interview held – your scorecard is outstanding" and not item.overdue
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(days=3))
    [item] = items(panellist)
    assert item.overdue and item.valid_until is None


def test_the_cache_really_is_used(vacancy, interview, panellist):
    """A write that bypasses the services is not seen until the TTL: the
    tests above pass because the services say what changed."""
    assert len(titles(panellist)) == 1
    card = services.scorecard_for(interview=interview, user=panellist)
    Scorecard.objects.filter(pk=card.pk).update(
        status=Scorecard.Status.SUBMITTED, submitted_at=timezone.now()
    )
    assert len(titles(panellist)) == 1
    work.my_work_changed([panellist.pk])
    assert titles(panellist) == []
