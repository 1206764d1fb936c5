"""`manage.py db_worker` waits out a database outage instead of exiting."""

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from bewigan.core.management.commands import db_worker


@task()
def add(a: int, b: int) -> int:
    return a + b


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def waits(monkeypatch):
    """The worker's back-off waits, recorded instead of slept."""
    recorded = []
    monkeypatch.setattr(db_worker.time, "sleep", recorded.append)
    return recorded


@pytest.mark.django_db(transaction=True)
def test_worker_retries_with_back_off_and_then_runs_the_queue(database_backend, waits, caplog):
    result = add.enqueue(2, 3)
    refused = {"left": 3}

    def outage(execute, sql, params, many, context):
        if refused["left"]:
            refused["left"] -= 1
            raise OperationalError("could not connect to server: Connection refused")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(outage):
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--verbosity", "0"
        )

    assert refused["left"] == 0
    backoff = [w for w in waits if w]  # the batch worker's own polling waits are 0
    assert len(backoff) == 3
    assert backoff[0] < backoff[1] < backoff[2]  # 0.5, 1, 2 s, with jitter
    assert backoff[2] <= 2 * 1.2
    assert caplog.text.count("Database unavailable") == 3
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_the_wait_never_exceeds_retry_max(database_backend, waits):
    refused = {"left": 8}

    def outage(execute, sql, params, many, context):
        if refused["left"]:
            refused["left"] -= 1
            raise OperationalError("the database system is shutting down")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(outage):
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--retry-max",
            "3",
            "--verbosity",
            "0",
        )
    assert max(waits) <= 3 * 1.2
    assert len([w for w in waits if w]) == 8
