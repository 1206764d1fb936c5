"""The Django admin's and Wagtail's own sign-in forms send people to allauth,
so rate limits and MFA cannot be side-stepped with a password-only POST."""

import pytest

from tests.core.signin import csrf_client, csrf_token, signed_in_user_id
from tests.people.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@wigan.gov.uk", is_superuser=True, is_staff=True)


def ends_on_allauth_login(client, path) -> bool:
    response = client.get(path, follow=True)
    return response.status_code == 200 and response.redirect_chain[-1][0].startswith(
        "/accounts/login/"
    )


@pytest.mark.parametrize("path", ["/admin/login/", "/_util/login/", "/django-admin/login/"])
def test_legacy_login_pages_redirect_to_allauth(client, path):
    response = client.get(f"{path}?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "next=/admin/" in response["Location"] or "next=%2Fadmin%2F" in response["Location"]


@pytest.mark.parametrize("path", ["/admin/login/", "/_util/login/", "/django-admin/login/"])
@pytest.mark.parametrize("persona", ["superuser", "hr_admin"])
def test_password_post_to_legacy_login_does_not_sign_in(request, path, persona):
    user = request.getfixturevalue(persona)
    client = csrf_client()
    token = csrf_token(client)
    response = client.post(
        path,
        {
            "username": user.email,
            "email": user.email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
        },
    )
    # Sent on to allauth's form, which alone signs in (with MFA).
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert signed_in_user_id(client) is None
    for admin_path in ("/admin/", "/django-admin/"):
        assert ends_on_allauth_login(client, admin_path), admin_path


def test_wagtail_and_django_admin_anonymous_go_to_allauth(client):
    for path in ("/admin/", "/admin/pages/", "/django-admin/", "/admin/values-framework/"):
        assert ends_on_allauth_login(client, path), path
