"""Admin forms for the values framework. Published versions are frozen: the
value form refuses any change to a value that belongs to one, whatever the
browser sends (the admin hooks refuse the page as well)."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from .models import FrameworkVersion, Value

FROZEN_MESSAGE = (
    "Published versions cannot change; create a new draft version and edit that instead."
)


def value_is_frozen(value: Value) -> bool:
    """True if the stored row belongs to a published version (the database
    decides, not the submitted form)."""
    if value.pk is None:
        return False
    return Value.objects.filter(
        pk=value.pk, version__status=FrameworkVersion.Status.PUBLISHED
    ).exists()


class ValueAdminForm(WagtailAdminModelForm):
    """The Wagtail form for a value and its behaviours (an InlinePanel)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "version" in self.fields:
            self.fields["version"].queryset = FrameworkVersion.objects.filter(
                status=FrameworkVersion.Status.DRAFT
            ).select_related("framework")
            self.fields["version"].help_text = "Only draft versions can take new or changed values."

    def clean(self):
        cleaned = super().clean()
        if value_is_frozen(self.instance):
            raise ValidationError(FROZEN_MESSAGE, code="frozen")
        version = cleaned.get("version")
        if version is not None and version.is_frozen:
            self.add_error("version", FROZEN_MESSAGE)
        return cleaned


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label="In use from",
        help_text="The current version stops the day before. For example, 2027-04-01.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    change_note = forms.CharField(
        label="What changed, and why",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Shown to HR admins in the version history.",
    )
