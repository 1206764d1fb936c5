"""allauth adapters: who may sign up, and how single sign-on matches people."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.http import HttpResponseForbidden

from .services import signup_allowed_organisation


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        email = super().clean_email(email)
        request = getattr(self, "request", None)
        # Only sign-up is restricted; other forms (add email, reset) pass.
        if request is not None and request.resolver_match and request.resolver_match.url_name == "account_signup":
            if signup_allowed_organisation(email) is None:
                raise forms.ValidationError(
                    "Use your work email address. If your organisation is not part of "
                    "BeWigan yet, ask an HR admin to invite you."
                )
        return email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from .services import person_create_for_signup

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
            claims = data.get("id_token") or data.get("userinfo") or data
            if str(claims.get("tid", "")).lower() != str(pinned).lower():
                raise ImmediateHttpResponse(
                    HttpResponseForbidden("This sign-in is not from your organisation's tenant.")
                )
        return super().pre_social_login(request, sociallogin)

    def is_auto_signup_allowed(self, request, sociallogin):
        return False
