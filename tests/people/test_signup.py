"""Self sign-up only for configured organisations' email domains; an HR
admin's invitation lets anyone else in. Real forms, CSRF enforced."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from bewigan.people.models import Invitation, Person
from bewigan.people.services import invitation_create
from tests.core.signin import csrf_client, csrf_token, signed_in_user_id

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def sign_up(email):
    client = csrf_client()
    token = csrf_token(client, "/accounts/signup/")
    response = client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "csrfmiddlewaretoken": token,
        },
    )
    return client, response


def test_staff_in_a_configured_domain_can_sign_up(organisation):
    client, response = sign_up("New.Starter@Wigan.gov.uk")
    assert response.status_code == 302
    user = get_user_model().objects.get(email__iexact="new.starter@wigan.gov.uk")
    assert user.person.organisation == organisation
    assert user.groups.filter(name="Staff").exists()
    # Email verification is mandatory before the account can be used.
    assert response["Location"].startswith("/accounts/confirm-email/")
    assert signed_in_user_id(client) is None
    assert any("wigan.gov.uk" in m.to[0].lower() for m in mail.outbox)


def test_other_domains_cannot_sign_up(organisation):
    _, response = sign_up("someone@gmail.com")
    assert response.status_code == 200
    assert "Use your work email address" in response.content.decode()
    assert not get_user_model().objects.filter(email="someone@gmail.com").exists()


def test_subdomain_lookalikes_cannot_sign_up(organisation):
    for email in ("x@evil-wigan.gov.uk", "x@wigan.gov.uk.evil.com", "x@notwigan.gov.uk"):
        _, response = sign_up(email)
        assert response.status_code == 200, email
        assert not get_user_model().objects.filter(email=email).exists()


def test_organisation_without_self_sign_up_is_refused(organisation):
    organisation.self_sign_up = False
    organisation.save()
    _, response = sign_up("new@wigan.gov.uk")
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="new@wigan.gov.uk").exists()


def test_an_invitation_lets_someone_else_in(
    organisation, hr_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            email="agency.worker@gmail.com", organisation=organisation, invited_by=hr_admin
        )
    assert mail.outbox[-1].to == ["agency.worker@gmail.com"]
    _, response = sign_up("agency.worker@gmail.com")
    assert response.status_code == 302
    person = Person.objects.get(user__email="agency.worker@gmail.com")
    assert person.organisation == organisation
    assert Invitation.objects.get(email="agency.worker@gmail.com").accepted_at is not None


def test_an_accepted_invitation_cannot_be_used_twice(organisation, hr_admin):
    invitation_create(email="once@gmail.com", organisation=organisation, invited_by=hr_admin)
    sign_up("once@gmail.com")
    get_user_model().objects.filter(email="once@gmail.com").delete()
    _, response = sign_up("once@gmail.com")
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="once@gmail.com").exists()


def test_signup_without_csrf_token_is_refused(organisation):
    client = csrf_client()
    client.get("/accounts/signup/")
    response = client.post(
        "/accounts/signup/",
        {"email": "n@wigan.gov.uk", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 403
    assert not get_user_model().objects.filter(email="n@wigan.gov.uk").exists()


@pytest.mark.parametrize("url_name", ["account_signup", "socialaccount_signup"])
def test_single_sign_on_sign_up_is_restricted_too(organisation, rf, url_name):
    from allauth.core import context
    from django import forms
    from django.urls import ResolverMatch

    from bewigan.people.adapters import AccountAdapter

    request = rf.post("/accounts/3rdparty/signup/")
    request.resolver_match = ResolverMatch(lambda r: None, (), {}, url_name=url_name)
    with context.request_context(request):
        adapter = AccountAdapter()
        assert adapter.clean_email("someone@wigan.gov.uk") == "someone@wigan.gov.uk"
        with pytest.raises(forms.ValidationError):
            adapter.clean_email("someone@gmail.com")
