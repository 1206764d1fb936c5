"""Two people saving the same record at once: exactly one save wins and the
other gets a conflict, never a silent overwrite. Run on PostgreSQL (real
concurrent transactions); SQLite serialises writers."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from appraisals import services
from appraisals.models import Conversation, TalkingPoint

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"),
]


def _run_together(*fns):
    barrier = threading.Barrier(len(fns))
    results = [None] * len(fns)

    def wrap(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the outcome is what we check
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_simultaneous_saves_one_wins_one_conflicts(staff, line_manager):
    conversation = services.conversation_plan(
        actor=staff,
        person=staff.person,
        meeting_date=timezone.localdate() + datetime.timedelta(days=3),
    )

    def save(user, words):
        def fn():
            c = Conversation.objects.select_related("person__user", "person__line_manager").get(
                pk=conversation.pk
            )
            return services.conversation_update(
                actor=user, conversation=c, expected_version=1, data={"what_matters": words}
            )

        return fn

    results = _run_together(save(staff, "from staff"), save(line_manager, "from manager"))
    conflicts = [r for r in results if isinstance(r, services.ConversationConflict)]
    wins = [r for r in results if isinstance(r, Conversation)]
    assert len(conflicts) == 1 and len(wins) == 1, results
    conversation.refresh_from_db()
    assert conversation.version == 2
    assert conversation.what_matters == wins[0].what_matters


def test_simultaneous_talking_points_are_all_kept(staff, line_manager):
    conversation = services.conversation_plan(
        actor=staff,
        person=staff.person,
        meeting_date=timezone.localdate() + datetime.timedelta(days=3),
    )

    def add(user, text):
        def fn():
            c = Conversation.objects.select_related("person__user", "person__line_manager").get(
                pk=conversation.pk
            )
            return services.talking_point_add(actor=user, conversation=c, text=text)

        return fn

    _run_together(*[add(u, f"{u.email}-{i}") for i in range(3) for u in (staff, line_manager)])
    assert TalkingPoint.objects.filter(conversation=conversation).count() == 6
