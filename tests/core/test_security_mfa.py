"""MFA is required for privileged roles (RequireMfaMiddleware), on every
page including the Wagtail admin; sign-in with TOTP works end to end."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.core.signin import csrf_client, csrf_token, sign_in, signed_in_user_id, totp_code
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"
PAGES = ["/", "/values/", "/people/me/", "/notifications/", "/admin/", "/admin/pages/"]
PRIVILEGED = ["hr_admin", "survey_admin", "recruiting_manager", "superuser"]


@pytest.fixture
def superuser(organisation, team):
    return UserFactory(email="root@wigan.gov.uk", is_superuser=True, is_staff=True)


@pytest.mark.parametrize("persona", PRIVILEGED)
def test_privileged_roles_without_mfa_are_sent_to_set_it_up(request, persona):
    user = request.getfixturevalue(persona)
    client = csrf_client()
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)
    for path in PAGES:
        page = client.get(path)
        assert page.status_code == 302, path
        assert page["Location"] == ACTIVATE, path


def test_mfa_redirect_ends_on_a_usable_page(hr_admin):
    """No loop: the activation page asks for the password again first."""
    client = csrf_client()
    sign_in(client, hr_admin.email)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    assert "two-factor authentication" in response.content.decode()


def test_staff_are_not_affected(staff, line_manager):
    for user in (staff, line_manager):
        client = csrf_client()
        sign_in(client, user.email)
        assert client.get("/values/").status_code == 200
        assert client.get("/people/me/").status_code == 200


def test_exempt_list_only_works_for_listed_emails(settings, hr_admin, survey_admin):
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = ["HR@wigan.gov.uk"]
    hr = csrf_client()
    sign_in(hr, hr_admin.email)
    assert hr.get("/values/").status_code == 200
    assert hr.get("/admin/").status_code == 200
    other = csrf_client()
    sign_in(other, survey_admin.email)
    assert other.get("/values/")["Location"] == ACTIVATE


def test_production_settings_exempt_nobody():
    from bewigan.settings import base

    assert base.BEWIGAN_MFA_EXEMPT_EMAILS == []
    assert not getattr(base, "MFA_TOTP_INSECURE_BYPASS_CODE", None)


def activate_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def test_sign_in_with_totp_end_to_end(hr_admin):
    secret = activate_totp(hr_admin)
    client = csrf_client()
    response = sign_in(client, hr_admin.email, next_path="/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    # Password alone does not sign in.
    assert signed_in_user_id(client) is None
    assert client.get("/values/")["Location"].startswith("/accounts/login/")

    token = csrf_token(client, "/accounts/2fa/authenticate/")
    wrong = client.post(
        "/accounts/2fa/authenticate/", {"code": "000000", "csrfmiddlewaretoken": token}
    )
    assert wrong.status_code == 200 and signed_in_user_id(client) is None

    done = client.post(
        "/accounts/2fa/authenticate/", {"code": totp_code(secret), "csrfmiddlewaretoken": token}
    )
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert signed_in_user_id(client) == str(hr_admin.pk)
    for path in PAGES:
        page = client.get(path)
        # HR admins use the admin but edit no pages: Wagtail sends them to its dashboard.
        expected = (302, "/admin/") if path == "/admin/pages/" else (200, None)
        assert (page.status_code, page.get("Location")) == expected, path
        assert not page.get("Location", "").startswith(("/accounts/", ACTIVATE)), path
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/values-framework/").status_code == 200


def test_a_totp_code_cannot_be_replayed(hr_admin):
    """Replay protection lives in the (shared) cache."""
    secret = activate_totp(hr_admin)
    code = totp_code(secret)
    first = csrf_client()
    sign_in(first, hr_admin.email)
    token = csrf_token(first, "/accounts/2fa/authenticate/")
    first.post("/accounts/2fa/authenticate/", {"code": code, "csrfmiddlewaretoken": token})
    assert signed_in_user_id(first) == str(hr_admin.pk)

    second = csrf_client()
    sign_in(second, hr_admin.email)
    token = csrf_token(second, "/accounts/2fa/authenticate/")
    replay = second.post(
        "/accounts/2fa/authenticate/", {"code": code, "csrfmiddlewaretoken": token}
    )
    assert replay.status_code == 200
    assert signed_in_user_id(second) is None


def test_passkey_counts_as_mfa(survey_admin):
    Authenticator.objects.create(
        user=survey_admin,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Laptop", "credential": {}},
    )
    from allauth.mfa.utils import is_mfa_enabled

    from bewigan.core.middleware import mfa_required_for

    assert mfa_required_for(survey_admin)
    assert is_mfa_enabled(survey_admin, ["totp", "webauthn"])


def test_login_post_without_csrf_token_is_refused(staff, password):
    client = csrf_client()
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"login": staff.email, "password": password})
    assert response.status_code == 403
    assert signed_in_user_id(client) is None
