"""One response per person per wave under real concurrency (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from surveys.models import Answer, Participation, Response
from surveys.services import SubmissionRefused, response_submit, wave_release_answers

from .factories import make_member
from .test_anonymity import _submission

pytestmark = pytest.mark.postgres


def _race(fn, n):
    barrier = threading.Barrier(n)
    outcomes = []

    def run(i):
        try:
            barrier.wait()
            fn(i)
            outcomes.append("ok")
        except SubmissionRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_simultaneous_double_submission_counts_once(open_wave, staff):
    outcomes = _race(
        lambda i: response_submit(
            wave=open_wave, person=staff.person, submission=_submission(open_wave)
        ),
        6,
    )
    assert sorted(outcomes) == ["ok"] + ["refused"] * 5
    assert Participation.objects.filter(wave=open_wave).count() == 1
    assert wave_release_answers(open_wave, final=True) == 1  # sealed until released
    assert Response.objects.filter(wave=open_wave).count() == 1
    assert Answer.objects.filter(wave=open_wave).count() == 4


@pytest.mark.django_db(transaction=True)
def test_many_people_at_once_lose_nothing(open_wave, organisation, team):
    people = [make_member(organisation, team) for _ in range(16)]
    outcomes = _race(
        lambda i: response_submit(
            wave=open_wave, person=people[i], submission=_submission(open_wave)
        ),
        16,
    )
    assert outcomes == ["ok"] * 16
    assert Participation.objects.filter(wave=open_wave).count() == 16
    assert wave_release_answers(open_wave, final=True) == 16  # sealed until released
    assert Response.objects.filter(wave=open_wave).count() == 16
