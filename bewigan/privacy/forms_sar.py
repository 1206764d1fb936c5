"""Forms for subject access requests. They validate and render; the views
and services decide who may do what."""

import re

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import SubjectAccessMention

Decision = SubjectAccessMention.Decision


class SubjectSearchForm(forms.Form):
    q = forms.CharField(
        label="Find the person",
        help_text="Name, work or personal email, employee number, applicant reference or "
        "vacancy reference",
        max_length=100,
    )


class RequestForm(forms.Form):
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

    def __init__(self, *args, mentions, **kwargs):
        super().__init__(*args, **kwargs)
        self.mentions = list(mentions)
        for m in self.mentions:
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
