"""allauth adapters: who may sign up, and how single sign-on matches people."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.http import HttpResponseForbidden

from .services import person_create_for_signup, signup_allowed_organisation

SIGNUP_URL_NAMES = {"account_signup", "socialaccount_signup"}


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        email = super().clean_email(email)
        request = getattr(self, "request", None)
        # Only sign-up (with a password, or after single sign-on) is
        # restricted; other forms (add email, reset) pass.
        match = getattr(request, "resolver_match", None) if request is not None else None
        is_signup = match is not None and match.url_name in SIGNUP_URL_NAMES
        if is_signup and signup_allowed_organisation(email) is None:
            raise forms.ValidationError(
                "Use your work email address. If your organisation is not part of "
                "BeWigan yet, ask an HR admin to invite you."
            )
        return email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            person_create_for_signup(user=user)
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Microsoft Entra ID: each partner's tenant is pinned in its app settings
    and people are matched on tenant + object id (the uid), never on email."""

    def pre_social_login(self, request, sociallogin):
        app = sociallogin.account.get_provider().app
        pinned = (app.settings or {}).get("tenant_id")
        if pinned:
            data = sociallogin.account.extra_data or {}
            # The tenant id comes from the ID token (which allauth has
            # verified); a token without one is refused too.
            claims = data.get("id_token") or data
            if str(claims.get("tid", "")).strip().lower() != str(pinned).strip().lower():
                raise ImmediateHttpResponse(
                    HttpResponseForbidden("This sign-in is not from your organisation's tenant.")
                )
        return super().pre_social_login(request, sociallogin)

    def is_auto_signup_allowed(self, request, sociallogin):
        # People confirm their details on the sign-up form, whose email
        # address must be in a partner's domains or invited.
        return False

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        person_create_for_signup(user=user)
        return user
