"""Helpers for benchmarks: a fresh database, timing, query counting, memory."""

import resource
import statistics
import time
from contextlib import contextmanager

from django.core.management import call_command
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext


def fresh_database():
    """Migrate the bench database from scratch (flush keeps migrations fast)."""
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("flush", verbosity=0, interactive=False)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


@contextmanager
def timer():
    box = {}
    started = time.perf_counter()
    yield box
    box["seconds"] = time.perf_counter() - started


def count_queries(fn):
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def time_requests(client, url, n=20):
    """Median server time in ms for n GETs (after one warm-up)."""
    client.get(url)
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, f"{url} -> {response.status_code}"
    return round(statistics.median(samples), 1)
