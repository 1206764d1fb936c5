"""Real sign-in for security tests: allauth's form, with CSRF enforced.
(force_login is fine elsewhere; never for the thing under test here.)"""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from tests.people.factories import PASSWORD


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def csrf_token(client: Client, path: str = "/accounts/login/") -> str:
    client.get(path)
    return client.cookies["csrftoken"].value


def sign_in(client: Client, email: str, password: str = PASSWORD, next_path: str = ""):
    token = csrf_token(client)
    url = "/accounts/login/" + (f"?next={next_path}" if next_path else "")
    return client.post(url, {"login": email, "password": password, "csrfmiddlewaretoken": token})


def totp_code(secret: str, at: float | None = None) -> str:
    return format_hotp_value(hotp_value(secret, int(at or time.time()) // 30))


def signed_in_user_id(client: Client):
    return client.session.get("_auth_user_id")
