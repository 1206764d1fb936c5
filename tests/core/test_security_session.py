"""Sessions end after idle time and after a maximum age; signed-in pages are
never cached; every page of ours carries a strict Content-Security-Policy."""

import re
import time
from unittest import mock

import pytest
from django.conf import settings

from tests.core.signin import csrf_client, sign_in, signed_in_user_id

pytestmark = pytest.mark.django_db


class Clock:
    """Time travel for the session middleware only."""

    def __init__(self):
        self.now = time.time()

    def time(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock():
    c = Clock()
    with mock.patch("bewigan.core.middleware.time", c):
        yield c


def test_idle_session_is_signed_out(clock, staff):
    client = csrf_client()
    sign_in(client, staff.email)
    assert client.get("/values/").status_code == 200
    clock.advance(settings.BEWIGAN_SESSION_IDLE_TIMEOUT + 1)
    response = client.get("/values/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "next=/values/" in response["Location"] or "next=%2Fvalues%2F" in response["Location"]
    assert signed_in_user_id(client) is None
    login_page = client.get(response["Location"])
    assert "signed out to keep your account safe" in login_page.content.decode()


def test_activity_keeps_the_session_until_its_maximum_age(clock, staff):
    client = csrf_client()
    sign_in(client, staff.email)
    step = settings.BEWIGAN_SESSION_IDLE_TIMEOUT - 60
    elapsed = 0
    while elapsed + step < settings.SESSION_COOKIE_AGE:
        assert client.get("/values/").status_code == 200, elapsed
        clock.advance(step)
        elapsed += step
    clock.advance(settings.SESSION_COOKIE_AGE - elapsed + 1)
    response = client.get("/values/")
    assert response.status_code == 302
    assert signed_in_user_id(client) is None


def test_timeouts_are_configured():
    assert 0 < settings.BEWIGAN_SESSION_IDLE_TIMEOUT <= 60 * 60
    assert settings.BEWIGAN_SESSION_IDLE_TIMEOUT < settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.parametrize(
    "path", ["/", "/values/", "/people/me/", "/notifications/", "/people/audit/"]
)
def test_signed_in_pages_are_not_stored(client_for, hr_admin, path):
    response = client_for(hr_admin).get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def content_security_policy(response) -> dict:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.strip().split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("path", ["/values/", "/people/me/", "/people/invite/", "/"])
def test_strict_csp_on_our_pages(client_for, hr_admin, path):
    response = client_for(hr_admin).get(path)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    csp = content_security_policy(response)
    # 'self' and this response's nonce: the one inline script is GOV.UK
    # Frontend's body-class snippet, which carries that nonce.
    # (Wagtail's bare welcome page at "/" in the test database has none.)
    body = response.content.decode()
    assert csp["script-src"][0] == "'self'"
    nonces = csp["script-src"][1:]
    assert len(nonces) == body.count("<script nonce=") <= 1
    for nonce in nonces:
        assert re.fullmatch(r"'nonce-[A-Za-z0-9+/=_-]{16,}'", nonce) and nonce[7:-1] in body
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "<script>" not in body
    assert ' style="' not in body


def test_strict_csp_on_the_sign_in_page(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_sign_in_page_in_demo_mode_says_mfa_is_relaxed(client, settings):
    settings.BEWIGAN_DEMO_MODE = True
    html = client.get("/accounts/login/").content.decode()
    assert "skip the two-factor step" in html
    settings.BEWIGAN_DEMO_MODE = False
    assert "skip the two-factor step" not in client.get("/accounts/login/").content.decode()


def test_dev_settings_relax_mfa_only_for_demo_sign_ins():
    from bewigan.people.demo import DEMO_SIGN_INS
    from bewigan.settings import dev

    assert dev.BEWIGAN_DEMO_MODE is True
    # The demo sign-ins and the demo data protection officer, nobody else.
    assert sorted(dev.BEWIGAN_MFA_EXEMPT_EMAILS) == sorted(
        [s.email for s in DEMO_SIGN_INS] + ["dpo@wigan.gov.uk"]
    )


def test_no_store_replaces_a_weaker_header_for_signed_in_people(rf, staff):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from bewigan.core.middleware import NoStoreMiddleware

    def view(request):
        response = HttpResponse("personal")
        response["Cache-Control"] = "public, max-age=600"
        return response

    request = rf.get("/")
    request.user = staff
    assert NoStoreMiddleware(view)(request)["Cache-Control"] == "no-store, private"
    request.user = AnonymousUser()
    assert NoStoreMiddleware(view)(request)["Cache-Control"] == "public, max-age=600"
