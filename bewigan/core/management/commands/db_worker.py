"""`manage.py db_worker`: django-tasks-db's worker, kept alive through a
database outage.

The stock worker exits on the first OperationalError, so restarting
PostgreSQL stopped every worker (and, under `make serve`, the whole stack).
This one keeps the same options and behaviour, and when the database is
unreachable it logs one line, waits with exponential back-off and jitter
(`--retry-max`, 30 s by default) and carries on once the database answers.
A task that was running when the connection broke is left as the database
last recorded it; tasks still waiting stay READY and run after recovery.
Ctrl-C and SIGTERM stop it at once, also while it waits.
"""

import contextlib
import logging
import random
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker as stock

logger = logging.getLogger("bewigan.tasks")

RETRY_FIRST = 0.5  # seconds
RETRY_RESET_AFTER = 60  # seconds of good running before the back-off starts again


class ResilientWorker(stock.Worker):
    retry_max = 30.0

    def run(self) -> None:
        delay = RETRY_FIRST
        while self.running:
            started = time.monotonic()
            try:
                return super().run()
            except (OperationalError, InterfaceError) as exc:
                if time.monotonic() - started > RETRY_RESET_AFTER:
                    delay = RETRY_FIRST
                logger.warning(
                    "Database unavailable (%s): worker %s retries in %.1f s",
                    str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                    self.worker_id,
                    delay,
                )
                for connection in connections.all(initialized_only=True):
                    with contextlib.suppress(Exception):  # it is broken already
                        connection.close()
                time.sleep(delay * random.uniform(0.8, 1.2))  # noqa: S311 - jitter
                delay = min(delay * 2, self.retry_max)
        return None


class Command(stock.Command):
    help = stock.Command.help + ", retrying with back-off while the database is unavailable"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--retry-max",
            type=stock.valid_interval,
            default=ResilientWorker.retry_max,
            help="Longest wait, in seconds, between attempts to reach an unavailable "
            "database (default: %(default)r)",
        )

    def handle(self, *args, retry_max: float, **options) -> None:
        # The stock command builds its Worker by the module-level name: give
        # it ours for the length of this command (the process runs only it).
        worker_class = type("Worker", (ResilientWorker,), {"retry_max": retry_max})
        stock.Worker, original = worker_class, stock.Worker
        try:
            super().handle(*args, **options)
        finally:
            stock.Worker = original
