"""The per-worker "my work" cache (bewigan.core.work): a kept entry is used
only while nothing that feeds it has changed; the providers' own
invalidation is tested in each app (tests/<app>/test_my_work_cache.py)."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from bewigan.core import work
from bewigan.core.work import WorkItem, collect_my_work, my_work_changed
from tests.people.factories import TeamFactory

pytestmark = pytest.mark.django_db

calls: list[int] = []
items_by_user: dict[int, list[WorkItem]] = {}


def provider(*, user):
    calls.append(user.pk)
    return items_by_user.get(user.pk, [])


@pytest.fixture(autouse=True)
def cached(settings):
    settings.BEWIGAN_MY_WORK_PROVIDERS = ["tests.core.test_my_work.provider"]
    settings.BEWIGAN_MY_WORK_CACHE_SECONDS = 300
    work.memo_clear()
    calls.clear()
    items_by_user.clear()
    yield
    work.memo_clear()


def _item(title, **kw):
    return WorkItem(title=title, url="/x/", area="Things", **kw)


def test_a_kept_entry_costs_one_query_and_no_provider_call(
    staff, colleague, django_assert_num_queries
):
    items_by_user[staff.pk] = [_item("Answer the survey")]
    assert collect_my_work(user=staff) == {"Things": [_item("Answer the survey")]}
    assert calls == [staff.pk]
    with django_assert_num_queries(1):  # the two tokens, in one cache read
        assert collect_my_work(user=staff) == {"Things": [_item("Answer the survey")]}
    assert calls == [staff.pk]


def test_a_change_for_one_person_is_seen_at_once_and_only_theirs_is_recomputed(staff, colleague):
    items_by_user[staff.pk] = [_item("Old")]
    collect_my_work(user=staff)
    collect_my_work(user=colleague)
    items_by_user[staff.pk] = [_item("New")]
    assert collect_my_work(user=staff) == {"Things": [_item("Old")]}  # nobody said so yet
    my_work_changed([staff.pk, None])
    assert collect_my_work(user=staff) == {"Things": [_item("New")]}
    calls.clear()
    collect_my_work(user=colleague)
    assert calls == []


def test_a_change_for_everyone(staff, colleague):
    collect_my_work(user=staff)
    collect_my_work(user=colleague)
    my_work_changed(everyone=True)
    calls.clear()
    collect_my_work(user=staff)
    collect_my_work(user=colleague)
    assert calls == [staff.pk, colleague.pk]


def test_another_workers_entry_is_not_trusted_after_a_change(staff):
    """Entries live in each worker; the tokens they were made under live in
    the shared cache, so a change made through any worker reaches all."""
    collect_my_work(user=staff)
    kept_by_other_worker = dict(work._MEMO)
    my_work_changed([staff.pk])  # e.g. a POST served by this worker
    work._MEMO.clear()
    work._MEMO.update(kept_by_other_worker)
    calls.clear()
    collect_my_work(user=staff)
    assert calls == [staff.pk]


def test_a_new_day_recomputes(staff, monkeypatch):
    collect_my_work(user=staff)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    calls.clear()
    collect_my_work(user=staff)
    assert calls == [staff.pk]


def test_an_item_is_kept_no_longer_than_its_valid_until_nor_the_ttl(staff, monkeypatch, settings):
    now = timezone.now()
    items_by_user[staff.pk] = [_item("Score Sam", valid_until=now + datetime.timedelta(minutes=2))]
    collect_my_work(user=staff)
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(minutes=1))
    calls.clear()
    collect_my_work(user=staff)
    assert calls == []
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(minutes=3))
    collect_my_work(user=staff)
    assert calls == [staff.pk]
    items_by_user.clear()
    collect_my_work(user=staff)  # kept from here, without an item that expires
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(minutes=9))
    calls.clear()
    collect_my_work(user=staff)
    assert calls == [staff.pk]  # past the TTL (5 minutes)


def test_a_cleared_cache_trusts_nothing_kept_before(staff):
    from django.core.cache import cache

    collect_my_work(user=staff)
    cache.clear()  # or the cache evicted the tokens
    calls.clear()
    collect_my_work(user=staff)
    assert calls == [staff.pk]


def test_without_a_cache_nothing_is_kept(staff, settings):
    settings.BEWIGAN_MY_WORK_CACHE_SECONDS = 0
    collect_my_work(user=staff)
    collect_my_work(user=staff)
    assert calls == [staff.pk, staff.pk]


def test_a_cache_that_is_down_does_not_break_the_page_or_the_write(staff):
    broken = mock.Mock()
    broken.get_many.side_effect = ConnectionError("cache down")
    broken.set_many.side_effect = ConnectionError("cache down")
    items_by_user[staff.pk] = [_item("Still here")]
    with mock.patch.object(work, "caches", {"default": broken}):
        assert collect_my_work(user=staff) == {"Things": [_item("Still here")]}
        my_work_changed([staff.pk])
    assert calls == [staff.pk]


def test_saving_a_watched_model_changes_everyones(staff, colleague, organisation):
    collect_my_work(user=staff)
    collect_my_work(user=colleague)
    TeamFactory(organisation=organisation, name="Libraries", code="libraries")  # a Team is watched
    calls.clear()
    collect_my_work(user=staff)
    collect_my_work(user=colleague)
    assert calls == [staff.pk, colleague.pk]


def test_a_cache_outside_the_database_is_told_again_on_commit(
    staff, settings, django_capture_on_commit_callbacks
):
    """With Redis, a request could read the first token while the write's
    transaction is still open, and keep the old data under it: the token
    changes again once the transaction commits."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    from django.core.cache import caches

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        my_work_changed([staff.pk])
    first = caches["default"].get(work._user_key(staff.pk))
    assert first and len(callbacks) == 1
    callbacks[0]()
    assert caches["default"].get(work._user_key(staff.pk)) not in (None, first)


def test_the_memo_is_bounded(staff, monkeypatch):
    monkeypatch.setattr(work, "MEMO_MAX_ENTRIES", 1)
    work._MEMO[-1] = ("stale", 0, {})
    collect_my_work(user=staff)
    assert list(work._MEMO) == [staff.pk]
