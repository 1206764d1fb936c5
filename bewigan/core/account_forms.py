"""allauth's forms with every password field capped in length.

Hashing is deliberately slow (PBKDF2 costs ~0.3 s per sign-in), and its cost
grows with the password's length: a 1 MB password took ~3 s. Each form here
refuses an over-long password in the field's own validation, before
anything hashes or compares it (sign-in, reauthentication, the current
password on the change form, new passwords). New passwords everywhere else
(Django's admin) meet the same cap through MaximumLengthValidator, first in
AUTH_PASSWORD_VALIDATORS.
"""

from allauth.account import forms as allauth_forms
from allauth.account.fields import PasswordField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator


def password_max_length() -> int:
    return settings.BEWIGAN_PASSWORD_MAX_LENGTH


class _CappedPasswords:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cap = password_max_length()
        for field in self.fields.values():
            if isinstance(field, PasswordField):
                field.max_length = cap
                field.widget.attrs["maxlength"] = str(cap)
                field.validators.append(
                    MaxLengthValidator(
                        cap, message=f"Enter a password of {cap} characters or fewer"
                    )
                )


class LoginForm(_CappedPasswords, allauth_forms.LoginForm):
    pass


class SignupForm(_CappedPasswords, allauth_forms.SignupForm):
    pass


class ChangePasswordForm(_CappedPasswords, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(_CappedPasswords, allauth_forms.SetPasswordForm):
    pass


class ResetPasswordKeyForm(_CappedPasswords, allauth_forms.ResetPasswordKeyForm):
    pass


class ReauthenticateForm(_CappedPasswords, allauth_forms.ReauthenticateForm):
    pass


class MaximumLengthValidator:
    """AUTH_PASSWORD_VALIDATORS: new passwords no longer than the cap."""

    def validate(self, password, user=None):
        cap = password_max_length()
        if len(password) > cap:
            raise ValidationError(
                f"Enter a password of {cap} characters or fewer", code="password_too_long"
            )

    def get_help_text(self):
        return f"Your password can be up to {password_max_length()} characters long."
