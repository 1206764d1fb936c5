"""Forms for subject access requests. They validate and render; the views
and services decide who may do what."""

import re

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from bewigan.core.forms import GovukDateInput

from .models import SubjectAccessMention, SubjectAccessRequest

Decision = SubjectAccessMention.Decision


class SubjectSearchForm(forms.Form):
    q = forms.CharField(
        label="Find the person",
        help_text="Name, work or personal email, employee number, applicant reference or "
        "vacancy reference",
        max_length=100,
    )


class RequestForm(forms.Form):
    """The request as the person made it: a pack is made only for a
    recorded request."""

    received_on = forms.DateField(
        label="When did the request arrive?",
        help_text="The response is due one month after this date.",
        widget=GovukDateInput(),
    )
    received_via = forms.ChoiceField(
        label="How did the person make the request?",
        choices=SubjectAccessRequest.Channel.choices,
        widget=forms.RadioSelect,
    )
    reference = forms.CharField(
        label="Request reference",
        help_text="Your reference for the request, for example from the case or information "
        "governance log",
        max_length=60,
    )
    reason = forms.CharField(
        label="Reason",
        help_text="For example: subject access request received by email on 3 March. "
        "Recorded in the audit log with every step.",
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        error_messages={"min_length": "Give the reason in at least 10 characters"},
    )

    def clean_reference(self):
        return self.cleaned_data["reference"].strip()

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date the request arrived must be today or earlier")
        return value


def _highlight(excerpt: str, words: list[str]) -> str:
    """The excerpt, escaped, with the found words in <mark>."""
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return escape(excerpt)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    parts, last = [], 0
    for m in pattern.finditer(excerpt):
        parts.append(escape(excerpt[last : m.start()]))
        parts.append(f"<mark>{escape(m.group(0))}</mark>")
        last = m.end()
    parts.append(escape(excerpt[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


class MentionReviewForm(forms.Form):
    """One redact/release choice per mention. Choices may be left for later:
    an undecided mention stays "not reviewed" and the pack waits."""

    CHOICES = [(Decision.REDACT, "Redact the name"), (Decision.RELEASE, "Release as written")]
    SECTION_CHOICES = [
        (Decision.RELEASE, "Release the section: it is the person's personal data"),
        (Decision.REDACT, "Withhold the section: an exemption applies"),
    ]

    def __init__(self, *args, mentions, **kwargs):
        super().__init__(*args, **kwargs)
        self.mentions = list(mentions)
        for m in self.mentions:
            if m.kind == SubjectAccessMention.Kind.CONFIDENTIAL:
                self.fields[f"mention_{m.pk}"] = forms.ChoiceField(
                    label=f"Confidential section: “{m.section}” ({m.occurrences} records)",
                    help_text="Written about the person by someone else in confidence. The "
                    "person has a right to it unless an exemption applies; its authors are told "
                    "if it is released. The first records: " + m.excerpt,
                    choices=self.SECTION_CHOICES,
                    widget=forms.RadioSelect,
                    required=False,
                    initial=m.decision if m.decision != Decision.PENDING else None,
                )
                continue
            hint = _highlight(m.excerpt, m.forms or [m.name])
            if m.occurrences > 1:
                hint = mark_safe(f"{hint} ({m.occurrences} times in this section)")  # noqa: S308 - escaped above; an int
            self.fields[f"mention_{m.pk}"] = forms.ChoiceField(
                label=f"{m.name} in “{m.section}”",
                help_text=hint,
                choices=self.CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=m.decision if m.decision != Decision.PENDING else None,
            )
            self.fields[f"mention_{m.pk}"].small = True

    def decisions(self) -> dict[int, str]:
        return {
            m.pk: self.cleaned_data[f"mention_{m.pk}"]
            for m in self.mentions
            if self.cleaned_data.get(f"mention_{m.pk}")
        }

    def rows(self):
        """(mention, bound field) pairs for the template."""
        return [(m, self[f"mention_{m.pk}"]) for m in self.mentions]
