"""Single sign-on (OpenID Connect, e.g. Microsoft Entra ID): switched on by
settings alone; each partner's tenant is pinned; people are matched on the
object id within that tenant, never on an email claim."""

import pytest
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.test import RequestFactory

from bewigan.people.adapters import SocialAccountAdapter
from tests.core.test_security_rate_limits import load_base_settings

pytestmark = pytest.mark.django_db

TENANT = "6b1c4e8e-0000-4000-8000-00000000a1a1"
OTHER_TENANT = "9f9f9f9f-0000-4000-8000-00000000b2b2"
PROVIDER = {
    "id": "wigan-council",
    "name": "Wigan Council",
    "tenant_id": TENANT,
    "client_id": "client-123",
    "secret": "not-a-real-secret",
}


def test_sso_providers_env_becomes_pinned_openid_connect_apps():
    import json

    loaded = load_base_settings(SSO_PROVIDERS=json.dumps([PROVIDER]))
    (app,) = loaded["SOCIAL"]["openid_connect"]["APPS"]
    assert app["provider_id"] == "wigan-council" and app["client_id"] == "client-123"
    assert app["settings"]["uid_field"] == "oid"
    assert app["settings"]["tenant_id"] == TENANT
    assert app["settings"]["server_url"] == f"https://login.microsoftonline.com/{TENANT}/v2.0"
    assert app["settings"]["fetch_userinfo"] is False
    assert loaded["SOCIAL"]["openid_connect"]["OAUTH_PKCE_ENABLED"] is True
    assert loaded["EMAIL_AUTH"] is False and loaded["AUTO_CONNECT"] is False
    assert load_base_settings()["SOCIAL"]["openid_connect"]["APPS"] == []


@pytest.fixture
def sso_settings(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": PROVIDER["id"],
                    "name": PROVIDER["name"],
                    "client_id": PROVIDER["client_id"],
                    "secret": PROVIDER["secret"],
                    "settings": {
                        "server_url": f"https://login.microsoftonline.com/{TENANT}/v2.0",
                        "uid_field": "oid",
                        "tenant_id": TENANT,
                        "fetch_userinfo": False,
                    },
                }
            ]
        }
    }
    assert settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION is False
    assert settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT is False
    assert settings.SOCIALACCOUNT_AUTO_SIGNUP is False


@pytest.fixture
def request_in_context(client):
    request = RequestFactory().get("/accounts/oidc/wigan-council/login/callback/")
    request.session = client.session
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with context.request_context(request):
        yield request


def claims(**overrides):
    return {
        "tid": TENANT,
        "oid": "00000000-aaaa-4bbb-8ccc-000000000001",
        "sub": "pairwise-subject",
        "email": "staff@wigan.gov.uk",
        "email_verified": True,
        "given_name": "Sam",
        "family_name": "Turner",
        **overrides,
    }


def social_login(request, id_token) -> SocialLogin:
    provider = get_social_adapter().get_provider(request, provider="wigan-council")
    return provider.sociallogin_from_response(request, {"id_token": id_token})


def test_uid_is_the_object_id_in_the_pinned_tenant(sso_settings, request_in_context):
    login = social_login(request_in_context, claims())
    assert login.account.provider == "wigan-council"
    assert login.account.uid == "00000000-aaaa-4bbb-8ccc-000000000001"


def test_token_from_the_pinned_tenant_is_accepted(sso_settings, request_in_context):
    login = social_login(request_in_context, claims())
    # Accepted: no ImmediateHttpResponse, and the tenant it checked is the pinned one.
    assert SocialAccountAdapter().pre_social_login(request_in_context, login) is None
    assert (login.account.extra_data.get("id_token") or login.account.extra_data)["tid"] == TENANT


@pytest.mark.parametrize("tid", [OTHER_TENANT, "", None, "common"])
def test_token_from_another_tenant_is_refused(sso_settings, request_in_context, tid):
    token = (
        claims(tid=tid) if tid is not None else {k: v for k, v in claims().items() if k != "tid"}
    )
    login = social_login(request_in_context, token)
    with pytest.raises(ImmediateHttpResponse) as refused:
        SocialAccountAdapter().pre_social_login(request_in_context, login)
    assert refused.value.response.status_code == 403


def test_email_claim_never_connects_to_an_existing_account(sso_settings, request_in_context, staff):
    """Someone who controls an Entra account with staff's email address must
    not become staff: lookup is by (provider, oid) only."""
    login = social_login(request_in_context, claims(email=staff.email))
    login.lookup()
    assert not login.is_existing
    assert not SocialAccount.objects.filter(user=staff).exists()


def test_known_object_id_signs_in_that_person(sso_settings, request_in_context, staff):
    SocialAccount.objects.create(
        user=staff,
        provider="wigan-council",
        uid="00000000-aaaa-4bbb-8ccc-000000000001",
        extra_data={},
    )
    login = social_login(request_in_context, claims(email="changed@wigan.gov.uk"))
    login.lookup()
    assert login.is_existing and login.user == staff


def test_same_object_id_from_another_provider_is_a_different_account(
    sso_settings, request_in_context, staff
):
    SocialAccount.objects.create(
        user=staff,
        provider="another-partner",
        uid="00000000-aaaa-4bbb-8ccc-000000000001",
        extra_data={},
    )
    login = social_login(request_in_context, claims())
    login.lookup()
    assert not login.is_existing


def test_sso_is_never_auto_signup(sso_settings, request_in_context):
    login = social_login(request_in_context, claims())
    assert SocialAccountAdapter().is_auto_signup_allowed(request_in_context, login) is False
