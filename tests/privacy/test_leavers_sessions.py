"""A leaver's sessions end at once, and a session that was missed stops
working on its next request. Sign-in here is allauth's real form (no
force_login): signing in is part of what is under test."""

import datetime
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone

from bewigan.people.models import Person
from bewigan.privacy.leavers import leavers_process
from bewigan.privacy.middleware import CHECKED_KEY
from bewigan.privacy.models import UserSession
from bewigan.privacy.sessions import sessions_end
from tests.core.signin import csrf_client, sign_in

from .leavers_helpers import hr_import, row_for, yesterday

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = csrf_client()
    response = sign_in(client, user.email)
    assert response.status_code == 302 and not response["Location"].startswith("/accounts/")
    assert client.get("/people/me/").status_code == 200
    return client


def assert_sent_to_sign_in(client, path="/people/me/"):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_leaver_from_the_hr_import_is_signed_out_on_their_next_request(
    staff, line_manager, django_capture_on_commit_callbacks
):
    client = signed_in(staff)
    key = client.session.session_key
    assert UserSession.objects.filter(user=staff, session_key=key).exists()

    hr_import(
        [row_for(staff, leaver_date=yesterday().isoformat())], django_capture_on_commit_callbacks
    )

    staff.refresh_from_db()
    assert not staff.is_active
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(user=staff).exists()
    assert_sent_to_sign_in(client)
    assert_sent_to_sign_in(client, "/my-time/")
    # Signing in again does not work either.
    again = csrf_client()
    sign_in(again, staff.email)
    assert SESSION_KEY not in again.session


def test_every_session_of_the_leaver_ends_and_nobody_elses(staff, colleague):
    laptop, phone, other = signed_in(staff), signed_in(staff), signed_in(colleague)
    assert UserSession.objects.filter(user=staff).count() == 2

    Person.objects.filter(user=staff).update(leaver_date=timezone.localdate())
    result = leavers_process([staff.person.pk], actor=None)

    assert result.records[0].counts["sessions_ended"] == 2
    assert_sent_to_sign_in(laptop)
    assert_sent_to_sign_in(phone)
    assert other.get("/people/me/").status_code == 200


def test_a_deactivated_account_is_signed_out_even_if_its_session_was_missed(staff):
    client = signed_in(staff)
    key = client.session.session_key
    UserSession.objects.all().delete()  # as for a session older than the index
    type(staff).objects.filter(pk=staff.pk).update(is_active=False)

    assert_sent_to_sign_in(client)
    # The stale session is gone for good: re-activating the account (a
    # rehire) does not bring it back to life.
    assert not Session.objects.filter(session_key=key).exists()
    type(staff).objects.filter(pk=staff.pk).update(is_active=True)
    assert_sent_to_sign_in(client)


def test_a_leaving_date_reached_signs_out_an_account_that_is_still_active(staff):
    # A leaving date set in advance by the import arrives before the daily job.
    Person.objects.filter(user=staff).update(leaver_date=timezone.localdate())
    client = signed_in_allowing_redirect(staff)
    assert_sent_to_sign_in(client)
    assert SESSION_KEY not in client.session


def signed_in_allowing_redirect(user):
    client = csrf_client()
    sign_in(client, user.email)
    return client


def test_the_leaving_date_is_checked_again_each_day(staff):
    client = signed_in(staff)
    assert client.session[CHECKED_KEY] == timezone.localdate().isoformat()
    Person.objects.filter(user=staff).update(leaver_date=timezone.localdate())
    # Next morning (the session was last checked yesterday):
    session = client.session
    session[CHECKED_KEY] = yesterday().isoformat()
    session.save()
    assert_sent_to_sign_in(client)


def test_a_future_leaving_date_does_not_sign_anyone_out(staff):
    Person.objects.filter(user=staff).update(
        leaver_date=timezone.localdate() + datetime.timedelta(days=3)
    )
    client = signed_in(staff)
    assert client.get("/my-time/").status_code == 200


def test_signing_out_forgets_the_session(staff):
    client = signed_in(staff)
    token = client.cookies["csrftoken"].value
    client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert not UserSession.objects.filter(user=staff).exists()


def test_a_changed_session_key_is_indexed_and_ended_too(staff, password):
    client = signed_in(staff)
    old_key = client.session.session_key
    token = client.cookies["csrftoken"].value
    new_password = "a-brand-new-long-password-2026"
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": password,
            "password1": new_password,
            "password2": new_password,
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    new_key = client.session.session_key
    assert new_key != old_key
    assert client.get("/people/me/").status_code == 200
    assert UserSession.objects.filter(user=staff, session_key=new_key).exists()

    sessions_end([staff.pk])
    assert not Session.objects.filter(session_key=new_key).exists()


def test_cached_sessions_are_removed_from_the_cache_as_well(settings, staff):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = signed_in(staff)
    key = client.session.session_key
    store = import_module(settings.SESSION_ENGINE).SessionStore
    cache = caches[settings.SESSION_CACHE_ALIAS]
    assert cache.get(store.cache_key_prefix + key) is not None

    ended = sessions_end([staff.pk])

    assert ended[staff.pk] == 1
    assert cache.get(store.cache_key_prefix + key) is None
    assert not Session.objects.filter(session_key=key).exists()
    # Even with the account still active, the session is gone.
    assert_sent_to_sign_in(client)


def test_old_index_rows_are_pruned_at_sign_in(staff):
    UserSession.objects.create(
        user=staff,
        session_key="x" * 32,
        created_at=timezone.now() - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60),
    )
    signed_in(staff)
    assert list(UserSession.objects.filter(user=staff).values_list("session_key", flat=True)) != [
        "x" * 32
    ]
    assert not UserSession.objects.filter(session_key="x" * 32).exists()
