"""Linking answers to people, attacked with the whole database in hand.

Several people submit through the service (releases run as they would after
each commit); then an attacker who reads every table, with the hidden
columns each database keeps (SQLite rowid; PostgreSQL ctid and xmin), tries
to match each person to their answers. Each person answers with a unique
fingerprint, so the test knows the truth and counts the attacker's hits."""

from __future__ import annotations

import datetime
import logging
import random

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from bewigan.core import sealed
from bewigan.core.models import AuditEntry, SealedAnswer
from surveys.models import Answer, Comment, Participation, Response
from surveys.services import Submission, answers_channel, response_submit, wave_release_answers

from .attacker import assert_no_time_written
from .factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 30
MINIMUM = 5


def _scored(wave) -> list:
    return [
        item.question
        for item in wave.survey.items.select_related("question").order_by("order", "id")
        if item.question.kind in ("agreement", "enps")
    ]


def _digits(wave, index: int) -> tuple[int, ...]:
    """`index` written in the scales of the scored questions (1-5, 0-10)."""
    out = []
    for q in _scored(wave):
        low, high = q.scale
        out.append(low + index % (high - low + 1))
        index //= high - low + 1
    return tuple(out)


def _fingerprint(wave, index: int) -> Submission:
    """A response recognisable in the answer tables: its scored answers
    spell `index`."""
    scores = dict(zip([q.pk for q in _scored(wave)], _digits(wave, index), strict=True))
    comments = {}
    for item in wave.survey.items.select_related("question"):
        if item.question.kind == "single":
            scores[item.question_id] = 0
        elif item.question.kind == "text":
            comments[item.question_id] = f"comment {index}"
    return Submission(scores=scores, multiple={}, comments=comments)


def _identity_of(wave) -> dict[int, int]:
    """Response id -> index of the person who wrote it (the test's truth)."""
    order = [q.pk for q in _scored(wave)]
    answers: dict[int, dict[int, int]] = {}
    for response_id, question_id, value in Answer.objects.filter(
        wave=wave, question_id__in=order
    ).values_list("response_id", "question_id", "value"):
        answers.setdefault(response_id, {})[question_id] = value
    index_of = {_digits(wave, i): i for i in range(PEOPLE)}
    return {pk: index_of[tuple(a[q] for q in order)] for pk, a in answers.items()}


def _hidden_order(table: str) -> list[tuple]:
    """Rows of `table` in physical order, with (id, hidden columns)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT id, ctid::text, xmin::text FROM {quote(table)} ORDER BY ctid"  # noqa: S608
            )
        else:
            cursor.execute(f"SELECT id, rowid, rowid FROM {quote(table)} ORDER BY rowid")  # noqa: S608
        return cursor.fetchall()


@pytest.fixture
def submitted(open_wave, organisation, team, monkeypatch, django_capture_on_commit_callbacks):
    # A fixed seed for the release's shuffle makes the count of lucky hits
    # repeatable; the production code draws from the operating system.
    monkeypatch.setattr(sealed, "_random", random.Random(20261206))
    people = [make_member(organisation, team) for _ in range(PEOPLE)]
    start = timezone.now()
    for index, person in enumerate(people):
        with django_capture_on_commit_callbacks(execute=True):
            response_submit(
                wave=open_wave, person=person, submission=_fingerprint(open_wave, index)
            )
    end = timezone.now()
    return open_wave, people, start, end


def test_released_in_batches_of_at_least_the_minimum_leaving_the_minimum_sealed(submitted):
    wave, people, _, _ = submitted
    pending = SealedAnswer.objects.filter(channel=answers_channel(wave.pk)).count()
    released = Response.objects.filter(wave=wave).count()
    assert pending == MINIMUM and released == PEOPLE - MINIMUM
    assert wave_release_answers(wave) == 0  # still open: the last few wait
    wave.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    wave.save()
    assert wave_release_answers(wave) == MINIMUM
    assert sorted(_identity_of(wave).values()) == list(range(PEOPLE))  # nothing lost or doubled


def test_physical_order_and_ids_do_not_match_answers_to_people(submitted):
    wave, people, _, _ = submitted
    truth = _identity_of(wave)
    submitted_order = {p.pk: i for i, p in enumerate(people)}
    participation = [
        submitted_order[Participation.objects.get(pk=pk).person_id]
        for pk, *_ in _hidden_order(Participation._meta.db_table)
    ]
    responses = [truth[pk] for pk, *_ in _hidden_order(Response._meta.db_table)]
    by_id = [truth[pk] for pk in sorted(truth)]
    # Attack: the n-th response (by physical position or by id) belongs to the
    # n-th person to take part (by physical position, or by submission order).
    for guess in (responses, by_id):
        for people_order in (participation, list(range(PEOPLE))):
            hits = sum(1 for a, b in zip(guess, people_order, strict=False) if a == b)
            # Shuffled batches: about one lucky hit per batch, as by chance.
            assert hits <= 8, (guess, people_order)


@pytest.mark.postgres
def test_no_answer_shares_a_transaction_with_who_answered(submitted):
    wave, _, _, _ = submitted
    who = {xmin for _, _, xmin in _hidden_order(Participation._meta.db_table)}
    batches: dict[str, int] = {}
    for table in (Response, Answer, Comment):
        for _, _, xmin in _hidden_order(table._meta.db_table):
            assert xmin not in who
            if table is Response:
                batches[xmin] = batches.get(xmin, 0) + 1
    assert batches and min(batches.values()) >= MINIMUM


def test_nothing_written_at_submission_records_its_time(submitted):
    """Every table, every column: no date-time from the submission window
    except where the person's account itself was created by the test."""
    _, _, start, end = submitted
    assert_no_time_written(start, end)


def test_submission_sends_no_task_notification_audit_or_log(
    open_wave, organisation, team, caplog, django_capture_on_commit_callbacks
):
    from bewigan.core.models import Notification

    people = [make_member(organisation, team) for _ in range(3)]
    with (
        override_settings(
            TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        ),
        caplog.at_level(logging.DEBUG),
    ):
        from django_tasks import default_task_backend

        before_notes = Notification.objects.count()
        for index, person in enumerate(people):
            with django_capture_on_commit_callbacks(execute=True):
                response_submit(
                    wave=open_wave, person=person, submission=_fingerprint(open_wave, index)
                )
        assert list(getattr(default_task_backend, "results", [])) == []
        assert Notification.objects.count() == before_notes
    assert not [r for r in caplog.records if not r.name.startswith("django.db")]
    assert not AuditEntry.objects.filter(
        at__gte=timezone.now() - datetime.timedelta(minutes=5)
    ).exists()
