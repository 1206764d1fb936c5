"""Forms for the HR-admin pages (invitations, audit log filters)."""

from django import forms
from django.contrib.auth import get_user_model

from bewigan.core.forms import GovukDateInput
from bewigan.core.labels import record_kind
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
    """Filters for the audit log. Every field is optional; `filters()` gives
    the ones filled in, as keyword arguments for `audit_filter`."""

    subject = forms.CharField(
        label="About (name or email)",
        required=False,
        max_length=254,
        help_text="The person the record is about.",
    )
    actor = forms.CharField(
        label="Done by (name or email)",
        required=False,
        max_length=254,
        help_text="Who did it. Type “system” for automatic jobs such as retention.",
    )
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *AuditEntry.Action.choices]
    )
    object_type = forms.ChoiceField(label="Kind of record", required=False)
    object_id = forms.CharField(
        label="Record number",
        required=False,
        max_length=64,
        help_text="With a kind of record: that one record.",
    )
    date_from = forms.DateField(label="From", required=False, widget=GovukDateInput())
    date_to = forms.DateField(
        label="To", required=False, widget=GovukDateInput(), help_text="Includes this day."
    )

    def __init__(self, *args, object_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Any kind")] + sorted(
            ((t, record_kind(t)) for t in object_types), key=lambda choice: choice[1]
        )

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        if cleaned.get("object_id") and not cleaned.get("object_type"):
            self.add_error("object_type", "Choose the kind of record the number belongs to")
        return cleaned

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}
