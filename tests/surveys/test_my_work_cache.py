""" "My work" on the home page is kept per worker (bewigan.core.work): a wave
that opens (by date, or newly scheduled) appears at once, and an answered
one leaves at once, through the cache."""

import datetime

import pytest
from django.utils import timezone

from bewigan.core import work
from surveys import services
from surveys.models import Participation, Survey
from surveys.services import Submission

from .factories import make_survey, make_wave

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached(settings):
    settings.BEWIGAN_MY_WORK_CACHE_SECONDS = 300  # as in production
    work.memo_clear()
    yield
    work.memo_clear()


def titles(user) -> list[str]:
    return [i.title for i in work.collect_my_work(user=user).get("Surveys", [])]


def _answers(wave) -> Submission:
    scores, comments = {}, {}
    for item in wave.survey.items.select_related("question"):
        q = item.question
        if q.kind == "text":
            comments[q.pk] = "Fewer meetings"
        else:
            scores[q.pk] = {"agreement": 4, "enps": 8, "single": 1}[q.kind]
    return Submission(scores=scores, multiple={}, comments=comments)


def test_a_wave_opens_on_its_day(staff, organisation, monkeypatch):
    survey = make_survey(title="Pulse")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    make_wave(survey, opens_on=tomorrow, closes_on=tomorrow + datetime.timedelta(days=7),
              organisations=[organisation], number=1)  # fmt: skip
    assert titles(staff) == []
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    assert titles(staff) == ["Answer Pulse (wave 1)"]


def test_scheduled_waves_appear_and_an_answered_wave_leaves_at_once(
    staff, colleague, survey_admin, organisation
):
    survey = make_survey(title="Pulse", frequency=Survey.Frequency.ONCE)
    assert titles(staff) == titles(colleague) == []
    [wave] = services.survey_schedule_waves(
        user=survey_admin,
        survey=survey,
        first_opens_on=timezone.localdate(),
        open_days=7,
        count=1,
        organisations=[organisation],
    )
    assert titles(staff) == titles(colleague) == ["Answer Pulse (wave 1)"]
    services.response_submit(wave=wave, person=staff.person, submission=_answers(wave))
    assert titles(staff) == []
    assert titles(colleague) == ["Answer Pulse (wave 1)"]


def test_a_wave_whose_audience_changes_in_the_admin(staff, organisation, other_organisation):
    wave = make_wave(make_survey(title="Pulse"), organisations=[other_organisation], number=1)
    assert titles(staff) == []
    wave.organisations.add(organisation)  # surveys.Wave is in BEWIGAN_MY_WORK_WATCH
    assert titles(staff) == ["Answer Pulse (wave 1)"]
    wave.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    wave.opens_on = wave.closes_on - datetime.timedelta(days=7)
    wave.save()
    assert titles(staff) == []


def test_the_cache_really_is_used(staff, open_wave):
    """A write that bypasses the services is not seen until the TTL: the
    tests above pass because the services say what changed."""
    assert len(titles(staff)) == 1
    Participation.objects.bulk_create([Participation(wave=open_wave, person=staff.person)])
    assert len(titles(staff)) == 1
    work.my_work_changed([staff.pk])
    assert titles(staff) == []
