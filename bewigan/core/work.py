""" "My work": what is waiting for a person, gathered from every capability.

Each capability exposes `my_work(*, user) -> list[WorkItem]` in its
selectors; settings.BEWIGAN_MY_WORK_PROVIDERS lists them. Core knows no
domain: it only defines the shape, collects, and caches.

Caching. The home page shows "my work" on every visit, and the providers
cost more than the rest of the page, so each worker keeps a person's items
(`_MEMO`) for at most BEWIGAN_MY_WORK_CACHE_SECONDS and trusts them only
while nothing that feeds them has changed:

- every service whose write can add, change or remove someone's item calls
  `my_work_changed(user_ids)` (or `everyone=True` for writes that touch many
  people: a people import, new survey waves). That puts a new random token
  in the shared cache for each of those users; a kept entry whose token no
  longer matches is computed again, in every worker, on the next request.
  Services must call it themselves: many write with `QuerySet.update()` and
  `bulk_create()`, which send no signals.
- saving or deleting a model in settings.BEWIGAN_MY_WORK_WATCH (the org
  structure, survey waves, vacancies: things also edited in the admins)
  does the same for everyone (`connect_signals`, from core's AppConfig).
- the date is part of the key (items that fall due, open or close by date),
  and an item whose wording changes by the clock alone carries
  `valid_until` (e.g. an interview that becomes "held"): it is kept no
  longer than that.
- the TTL is the backstop for anything else (a colleague's new name).

A hit costs one cache read for the two tokens (one query with the
database cache, one round trip with Redis); a miss runs the providers.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkItem:
    title: str
    url: str
    area: str  # "My time", "Recruitment", "Surveys", ...
    due: date | None = None
    overdue: bool = False
    hint: str = ""
    # When the clock alone changes this item (its hint or overdue flag),
    # e.g. an interview that has now been held: caches keep it no longer.
    valid_until: datetime | None = None


EVERYONE_KEY = "bewigan:my-work:everyone"
MEMO_MAX_ENTRIES = 5000
_MEMO: dict = {}  # user pk -> (stamp, expires at (epoch seconds), items by area)


def _user_key(user_id) -> str:
    return f"bewigan:my-work:user:{user_id}"


def _ttl() -> int:
    return getattr(settings, "BEWIGAN_MY_WORK_CACHE_SECONDS", 300)


def collect_uncached(*, user) -> dict[str, list[WorkItem]]:
    """Items per area, in the order of the settings; areas with nothing are left out."""
    out: dict[str, list[WorkItem]] = {}
    for dotted in settings.BEWIGAN_MY_WORK_PROVIDERS:
        items = import_string(dotted)(user=user)
        for item in items:
            out.setdefault(item.area, []).append(item)
    return out


def collect_my_work(*, user) -> dict[str, list[WorkItem]]:
    """`collect_uncached`, kept per worker as the module docstring says.
    Treat the result as read-only: it may be shared with later requests."""
    providers = tuple(settings.BEWIGAN_MY_WORK_PROVIDERS)
    ttl = _ttl()
    if ttl <= 0 or not providers or not user.is_authenticated:
        return collect_uncached(user=user)
    started = timezone.now().timestamp()  # the providers' clock too
    try:
        tokens = caches["default"].get_many([EVERYONE_KEY, _user_key(user.pk)])
        everyone = tokens.get(EVERYONE_KEY) or _new_everyone_token()
    except Exception:  # a cache that is down must not take the home page with it
        logger.warning("my work: cache unavailable, not caching", exc_info=True)
        return collect_uncached(user=user)
    stamp = (providers, timezone.localdate(), everyone, tokens.get(_user_key(user.pk)))
    hit = _MEMO.get(user.pk)
    if hit is not None and hit[0] == stamp and hit[1] > started:
        return hit[2]
    value = collect_uncached(user=user)
    expires = started + ttl
    for items in value.values():
        for item in items:
            if item.valid_until is not None:
                expires = min(expires, item.valid_until.timestamp())
    if len(_MEMO) >= MEMO_MAX_ENTRIES:
        _MEMO.clear()  # bounded; the busiest people fill it again first
    _MEMO[user.pk] = (stamp, expires, value)
    return value


def _new_everyone_token() -> str:
    """The shared token has gone (first use, the cache was cleared or
    evicted it): start a new one, so that nothing kept before is trusted."""
    cache = caches["default"]
    token = secrets.token_hex(8)
    if cache.add(EVERYONE_KEY, token, timeout=None):
        return token
    return cache.get(EVERYONE_KEY) or token


def my_work_changed(user_ids=(), *, everyone: bool = False, timeless: bool = False) -> None:
    """Call after a write that can change these users' "my work" (user ids,
    None ignored; a values_list query is fine and runs at once), or
    everyone's. Their kept items are not used again, in any worker.

    The new token is written at once, and again when the transaction
    commits: a request that read the old data while the transaction was
    open, but the first token, must not keep that data. (The database
    cache's write is part of the transaction itself, so once is enough.)"""
    if everyone:
        keys = [EVERYONE_KEY]
        timeout = None
    else:
        keys = [_user_key(u) for u in {u for u in user_ids if u is not None}]
        # A token must outlive every entry kept under the one before it.
        # `timeless` (an anonymous answer was just submitted): no expiry at
        # all, because an expiry is the time of the write plus the TTL.
        timeout = None if timeless else _ttl() + 60
    if not keys:
        return
    cache = caches["default"]

    def bump():
        token = secrets.token_hex(8)
        try:
            cache.set_many(dict.fromkeys(keys, token), timeout=timeout)
        except Exception:  # the write itself has happened: keep it, rely on the TTL
            logger.warning("my work: could not mark %s as changed", keys, exc_info=True)

    bump()
    if transaction.get_connection().in_atomic_block and not isinstance(cache, DatabaseCache):
        transaction.on_commit(bump)


def memo_clear() -> None:
    _MEMO.clear()


# --- Models also written outside the services (admins, imports) --------------


def _everyone_changed(sender, **kwargs):
    if kwargs.get("raw"):  # loaddata
        return
    action = kwargs.get("action")  # m2m_changed: only once it has happened
    if action is not None and not action.startswith("post_"):
        return
    my_work_changed(everyone=True)


def connect_signals() -> None:
    """Saving or deleting a model in BEWIGAN_MY_WORK_WATCH (or changing its
    many-to-many fields) changes everyone's "my work"."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for label in getattr(settings, "BEWIGAN_MY_WORK_WATCH", []):
        model = apps.get_model(label)
        uid = f"bw-my-work-{label}"
        post_save.connect(_everyone_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_everyone_changed, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _everyone_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
            )
