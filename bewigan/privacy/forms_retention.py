"""Forms for the retention schedule, legal holds and erasure. They validate
and render; the services decide who may do what."""

from django import forms
from django.core.exceptions import ValidationError

from .holds import holdable_records
from .retention import Kind, validate_period


class RetentionRuleForm(forms.Form):
    period_months = forms.IntegerField(
        label="How long to keep them, in months",
        error_messages={
            "required": "Enter how many months to keep them",
            "invalid": "Enter the period as a whole number of months, like 12",
        },
    )
    enabled = forms.BooleanField(
        label="Apply this rule",
        required=False,
        help_text="When switched off, these records are kept until you switch it on again.",
    )

    def __init__(self, *args, kind: Kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        field = self.fields["period_months"]
        field.help_text = (
            f"Counted {kind.starts}. At least {kind.minimum_months}, at most "
            f"{kind.maximum_months}. The default is {kind.default_months}."
        )
        field.widget.attrs.update(
            {"class": "govuk-input--width-4", "inputmode": "numeric", "spellcheck": "false"}
        )
        field.widget.input_type = "text"

    def clean_period_months(self):
        months = self.cleaned_data["period_months"]
        try:
            validate_period(self.kind, months)
        except ValidationError as error:
            raise ValidationError(error.message_dict["period_months"]) from None
        return months


class SubjectSearchForm(forms.Form):
    q = forms.CharField(
        label="Find a person or candidate",
        help_text="Name, email address, employee number or applicant reference",
        max_length=100,
        required=False,
    )


class HoldReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why must their records be kept?",
        help_text="For example the employment tribunal claim and its reference.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter why the records must be kept"},
    )


class HoldRecordForm(HoldReasonForm):
    object_type = forms.ChoiceField(
        label="Kind of record",
        choices=lambda: (
            [("", "Choose a kind of record")]
            + [(label, words) for label, (words, _) in holdable_records().items()]
        ),
        error_messages={"required": "Choose the kind of record"},
    )
    object_id = forms.CharField(
        label="Record number",
        help_text="The number shown in the record's address or in the audit log.",
        max_length=20,
        error_messages={"required": "Enter the record number"},
    )
    field_order = ["object_type", "object_id", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_id"].widget.attrs.update(
            {"class": "govuk-input--width-10", "inputmode": "numeric", "spellcheck": "false"}
        )

    def clean_object_id(self):
        value = self.cleaned_data["object_id"].strip().lstrip("#")
        if not value.isdigit():
            raise ValidationError("Enter the record number using digits only, like 123")
        return value


class HoldReleaseForm(forms.Form):
    reason = forms.CharField(
        label="Why can the hold be released?",
        help_text="For example: the claim was settled on 3 March; case closed.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter why the hold can be released"},
    )


class ErasureForm(forms.Form):
    reference = forms.CharField(
        label="Request reference",
        help_text="Your reference for the erasure request.",
        max_length=60,
        error_messages={"required": "Enter the request's reference"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Why the request is granted, for the audit log.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter the reason"},
    )
    confirm = forms.BooleanField(
        label="I understand that this cannot be undone",
        error_messages={"required": "Confirm that you understand this cannot be undone"},
    )
