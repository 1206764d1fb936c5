from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from bewigan.core.forms import BoundedFileField

from .reader import ImportFileError, sniff_kind


class PeopleImportForm(forms.Form):
    file = forms.Field()  # replaced in __init__, so the size limit follows settings
    full_organisation = forms.BooleanField(
        required=False,
        label="This file lists everyone in its organisations",
        help_text="People in those organisations who are not in the file will be marked as leavers today "
        "and will no longer be able to sign in.",
    )

    def __init__(self, *args, organisation_names=None, **kwargs):
        """`organisation_names`: whom the uploader may import for (their own
        organisation and those that granted it access for HR)."""
        super().__init__(*args, **kwargs)
        self.fields["file"] = BoundedFileField(
            max_bytes=settings.BEWIGAN_IMPORT_MAX_BYTES,
            extensions=("csv", "xlsx"),
            label="HR export file",
        )
        if organisation_names:
            self.fields["file"].help_text += (
                ". One file can hold people of "
                + _and(organisation_names)
                + (
                    " (partners whose data-sharing grant lets you)"
                    if len(organisation_names) > 1
                    else ""
                )
            )
        self.order_fields(["file", "full_organisation"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        content = b"".join(upload.chunks())
        try:
            sniff_kind(content, upload.name)
        except ImportFileError as exc:
            raise ValidationError(str(exc), code="file_content") from exc
        self.cleaned_data["content"] = content
        return upload


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
