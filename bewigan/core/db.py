"""Database routing: an optional read replica for analytics queries.

When `DATABASE_REPLICA_URL` is set, settings add a "replica" database and
`ReplicaRouter`. Ordinary reads and every write stay on "default", so a
person always reads what they have just saved. Analytics code (survey result
refreshes, dashboards, exports: the pandas in each app's `analytics.py`)
opts in, either per queryset:

    Response.objects.using(analytics_db_alias()).filter(...)

or for a whole block of selector calls:

    with analytics_reads():
        rows = list(selectors.wave_rows(wave=wave))

Without a replica both fall back to "default", so the same code runs on a
laptop, in tests and on one VM.
"""

import contextvars
from contextlib import contextmanager

from django.conf import settings

REPLICA_ALIAS = "replica"

_analytics = contextvars.ContextVar("bewigan_analytics_reads", default=False)


def replica_configured() -> bool:
    return REPLICA_ALIAS in settings.DATABASES


def analytics_db_alias() -> str:
    """The database alias analytics reads should use."""
    return REPLICA_ALIAS if replica_configured() else "default"


@contextmanager
def analytics_reads():
    """Send the reads made inside this block to the replica (if any)."""
    token = _analytics.set(True)
    try:
        yield analytics_db_alias()
    finally:
        _analytics.reset(token)


class ReplicaRouter:
    """Reads go to the replica only inside `analytics_reads()`; writes and
    migrations only ever go to "default" (the replica is a streaming copy)."""

    def db_for_read(self, model, **hints):
        if _analytics.get() and replica_configured():
            return REPLICA_ALIAS
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows, so relations between them are fine.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


IN_LIST_CHUNK = 2000  # keeps `IN (...)` lists well under every database's parameter limit


def chunks(values, size: int = IN_LIST_CHUNK):
    """`values` in lists of at most `size`, for `pk__in=` filters on large sets."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]
