"""A very long password is refused before anything hashes it: on sign-in,
reauthentication, and every form that sets or checks a password."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from bewigan.core.account_forms import ResetPasswordKeyForm, SetPasswordForm
from tests.core.signin import csrf_client, csrf_token, sign_in, signed_in_user_id

HUGE = "x" * 1_000_000  # ~3 s of PBKDF2 in production
CAP = 256
REFUSED = f"Enter a password of {CAP} characters or fewer"


@pytest.fixture
def hashes(monkeypatch):
    """Every password hash or check the test settings' hasher does."""
    calls = []
    encode, verify = MD5PasswordHasher.encode, MD5PasswordHasher.verify

    def counted_encode(self, password, salt):
        calls.append(len(password))
        return encode(self, password, salt)

    def counted_verify(self, password, encoded):
        calls.append(len(password))
        return verify(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counted_encode)
    monkeypatch.setattr(MD5PasswordHasher, "verify", counted_verify)
    return calls


def test_sign_in_refuses_a_huge_password_without_hashing_it(staff, hashes):
    client = csrf_client()
    response = sign_in(client, staff.email, HUGE)
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert signed_in_user_id(client) is None
    assert hashes == []


def test_sign_in_still_checks_a_password_at_the_cap(staff, hashes):
    client = csrf_client()
    response = sign_in(client, staff.email, "y" * CAP)
    assert response.status_code == 200
    assert REFUSED not in response.content.decode()
    assert signed_in_user_id(client) is None
    assert hashes and set(hashes) == {CAP}  # checked (and wrong), not refused


def test_the_sign_in_field_says_its_limit(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert f'maxlength="{CAP}"' in html


def test_signup_refuses_a_huge_password(db, organisation, hashes):
    client = csrf_client()
    token = csrf_token(client, "/accounts/signup/")
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new.starter@wigan.gov.uk",
            "password1": HUGE,
            "password2": HUGE,
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert hashes == []


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts/password/change/", {"oldpassword": HUGE, "password1": "a", "password2": "a"}),
        ("/accounts/password/change/", {"oldpassword": "x", "password1": HUGE, "password2": HUGE}),
        ("/accounts/reauthenticate/", {"password": HUGE}),
    ],
)
def test_signed_in_password_forms_refuse_a_huge_password(client_for, staff, hashes, path, data):
    client = client_for(staff)
    response = client.post(path, data)
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert [n for n in hashes if n > CAP] == []  # a short current password is still checked


@pytest.mark.parametrize("form_class", [SetPasswordForm, ResetPasswordKeyForm])
def test_set_and_reset_forms_refuse_a_huge_password(staff, hashes, form_class):
    kwargs = {"user": staff}
    if form_class is ResetPasswordKeyForm:
        kwargs["temp_key"] = "key"
    form = form_class(data={"password1": HUGE, "password2": HUGE}, **kwargs)
    assert not form.is_valid()
    assert REFUSED in form.errors["password1"]
    assert hashes == []


def test_new_passwords_anywhere_meet_the_cap(staff):
    with pytest.raises(ValidationError) as refused:
        validate_password(HUGE, user=staff)
    assert "password_too_long" in [e.code for e in refused.value.error_list]
    validate_password("a sensible passphrase of five words " + "z" * 200, user=staff)


def test_django_admin_password_change_is_allauths(client_for, staff):
    response = client_for(staff).get("/django-admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/"
