"""One form renderer for the whole project: every Django form renders
GOV.UK Frontend markup (labels, hints, errors beside fields)."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "components/forms/form.html"
    field_template_name = "components/forms/field.html"


class BoundedFileField(forms.FileField):
    """A file upload with a size limit and an allow-list of extensions."""

    def __init__(self, *, max_bytes: int, extensions: tuple[str, ...], **kwargs):
        self.max_bytes = max_bytes
        self.extensions = tuple(e.lower() for e in extensions)
        kwargs.setdefault(
            "help_text",
            f"{', '.join(e.upper() for e in self.extensions)} file, up to {max_bytes // (1024 * 1024)} MB",
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ",".join(f".{e}" for e in self.extensions))

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is None:
            return upload
        name = upload.name.lower()
        if not name.endswith(tuple(f".{e}" for e in self.extensions)):
            raise ValidationError(
                "The selected file must be a "
                + " or ".join(e.upper() for e in self.extensions)
                + " file",
                code="file_type",
            )
        if upload.size > self.max_bytes:
            raise ValidationError(
                f"The selected file must be smaller than {self.max_bytes // (1024 * 1024)} MB",
                code="file_size",
            )
        return upload


class GovukDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
