"""Ending someone's sessions at once.

Django's session table keeps the user id only inside each session's encoded
data, so it cannot be searched by user. `UserSession` is the index: a row is
written when someone signs in (the `user_logged_in` signal) and whenever
their session's key changes (checked by `middleware.LeaverSignOutMiddleware`
after each response), and removed when they sign out.

`sessions_end(user_ids)` deletes those users' sessions from the session store
(the database table, and the cache for the `cached_db` and `cache` engines)
with a few queries, whatever the number of users. A session the index never
saw (one that began before it existed) still stops working on its next
request, because every leaver's account is deactivated: see the middleware.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.cache import caches
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from bewigan.core.db import chunks

from .models import UserSession

TRACKED_KEY = "_bewigan_session_tracked"


def session_track(request, user) -> None:
    """Index the request's session under `user`, unless it already is.
    Costs nothing when the session's key has not changed since last time."""
    session = getattr(request, "session", None)
    key = session.session_key if session is not None else None
    if not key or user is None or not getattr(user, "pk", None):
        return
    if session.get(TRACKED_KEY) == key:
        return
    UserSession.objects.bulk_create(
        [UserSession(user_id=user.pk, session_key=key, created_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["session_key"],
        update_fields=["user", "created_at"],
    )
    session[TRACKED_KEY] = key


def session_forget(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


@receiver(user_logged_in, dispatch_uid="privacy-session-track")
def _track_sign_in(sender, request, user, **kwargs):
    if request is None:
        return
    session_track(request, user)
    # Rows older than the longest a session can live point at nothing.
    UserSession.objects.filter(
        user_id=user.pk,
        created_at__lt=timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE),
    ).delete()


@receiver(user_logged_out, dispatch_uid="privacy-session-forget")
def _forget_sign_out(sender, request, user, **kwargs):
    session = getattr(request, "session", None) if request is not None else None
    if session is not None:
        session_forget(session.session_key)


def sessions_end(user_ids) -> Counter:
    """Delete every indexed session of these users. Returns the number of
    sessions ended per user id."""
    user_ids = list(user_ids)
    owner: dict[str, int] = {}
    for chunk in chunks(user_ids):
        owner.update(
            UserSession.objects.filter(user_id__in=chunk).values_list("session_key", "user_id")
        )
    ended: Counter = Counter()
    if not owner:
        return ended
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(owner)
    get_model_class = getattr(store, "get_model_class", None)
    if get_model_class is not None:  # db and cached_db
        model = get_model_class()
        for chunk in chunks(keys):
            live = list(model.objects.filter(session_key__in=chunk).values_list("pk", flat=True))
            model.objects.filter(session_key__in=live).delete()
            ended.update(owner[k] for k in live)
    prefix = getattr(store, "cache_key_prefix", None)
    if prefix is not None:  # cached_db and cache
        cache = caches[settings.SESSION_CACHE_ALIAS]
        cache_keys = [prefix + k for k in keys]
        cache.delete_many(cache_keys)
        # Again once the rows are gone for good: a request that read the row
        # before this transaction committed may have put it back in the cache.
        transaction.on_commit(lambda: cache.delete_many(cache_keys), robust=True)
        if get_model_class is None:
            ended.update(owner.values())
    for chunk in chunks(user_ids):
        UserSession.objects.filter(user_id__in=chunk).delete()
    return ended
