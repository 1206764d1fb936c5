"""Forms for the leavers pages. They validate; permissions are the views'."""

import datetime

from django import forms
from django.utils import timezone

from bewigan.core.forms import GovukDateInput


class LeaverSearchForm(forms.Form):
    q = forms.CharField(
        label="Find someone by name or work email",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )


class LeaverMarkForm(forms.Form):
    leaver_date = forms.DateField(
        label="Leaving date",
        help_text=(
            "The first day they no longer work here. Today or earlier closes their account "
            "now; a later date closes it on that day."
        ),
        widget=GovukDateInput(),
        error_messages={"required": "Enter the leaving date", "invalid": "Enter a real date"},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        help_text="Recorded in the audit log, for example ‘Resigned’ or ‘Fixed-term contract ended’.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_leaver_date(self):
        value = self.cleaned_data["leaver_date"]
        start = self.person.start_date
        if start is not None and value < start:
            raise forms.ValidationError(
                f"The leaving date must be on or after their start date, {start:%-d %B %Y}"
            )
        if value > timezone.localdate() + datetime.timedelta(days=366):
            raise forms.ValidationError("The leaving date must be within the next year")
        return value
