"""Production hashes passwords with Argon2id at OWASP's minimum (cheap
enough for a morning of sign-ins, bewigan/core/hashers.py); older PBKDF2
hashes still sign people in and are rewritten as Argon2id when they do."""

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password

from bewigan.settings import base as production
from tests.core.signin import csrf_client, sign_in, signed_in_user_id
from tests.people.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def test_new_passwords_are_argon2id_with_owasp_minimum_parameters(production_hashers):
    encoded = make_password("a long enough passphrase")
    assert encoded.startswith("argon2$argon2id$")
    params = identify_hasher(encoded).decode(encoded)
    assert (params["memory_cost"], params["time_cost"], params["parallelism"]) == (19456, 2, 1)


def test_a_pbkdf2_hash_signs_in_and_is_rewritten_as_argon2id(production_hashers, staff):
    staff.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    staff.save(update_fields=["password"])
    client = csrf_client()
    response = sign_in(client, staff.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(staff.pk)
    staff.refresh_from_db()
    assert staff.password.startswith("argon2$argon2id$")
    assert staff.check_password(PASSWORD)


def test_a_wrong_password_is_refused_and_the_hash_left_alone(production_hashers, staff):
    staff.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    staff.save(update_fields=["password"])
    before = staff.password
    client = csrf_client()
    sign_in(client, staff.email, "not the password at all")
    assert signed_in_user_id(client) is None
    staff.refresh_from_db()
    assert staff.password == before
