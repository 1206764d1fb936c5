"""Forms for the HR-admin pages (invitations, audit log filters)."""

from django import forms
from django.contrib.auth import get_user_model

from bewigan.core.models import AuditEntry

from .models import Invitation


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="They will get an email with a link to create their account.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    organisation = forms.ModelChoiceField(
        label="Organisation they work for",
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("This person already has a BeWigan account.")
        if Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).exists():
            raise forms.ValidationError("An invitation to this email address is already waiting.")
        return email


class AuditFilterForm(forms.Form):
    person = forms.EmailField(
        label="Person's email address",
        required=False,
        help_text="Entries they made or that are about them.",
    )
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *AuditEntry.Action.choices]
    )
    object_type = forms.ChoiceField(label="Kind of record", required=False)

    def __init__(self, *args, object_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Any kind")] + [(t, t) for t in object_types]
