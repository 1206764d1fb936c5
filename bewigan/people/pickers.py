"""Colleague pickers: wherever a form wants a colleague.

A plain text input that takes a name or a work email, so it works without
JavaScript; `js/colleague-picker.js` turns it into an ARIA 1.2 combobox fed by
`people:suggest`. The server always decides: the text is resolved against the
form's own queryset (the people in reach for that form), so a suggestion, a
typed name or a hand-edited request all meet the same rule.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django import forms
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower
from django.urls import reverse

from .models import Person

EMAIL_IN_TEXT = re.compile(r"[^\s<>()@,;]+@[^\s<>(),;]+")
NOT_FOUND_BY_EMAIL = "No colleague with that email address was found"


def colleague_label(person: Person) -> str:
    """What a picker puts in the box: a name a person reads, and the email
    that makes it unambiguous for the server."""
    return f"{person.name} ({person.user.email})"


def colleague_resolve(text: str, *, queryset, not_found: str = NOT_FOUND_BY_EMAIL) -> Person | None:
    """The one person `text` names in `queryset`: by the email in it (what the
    picker sends, or what someone types), otherwise by their full name.
    Raises ValidationError when nobody or several people match."""
    text = " ".join((text or "").split())
    if not text:
        return None
    match = EMAIL_IN_TEXT.search(text)
    if match:
        email = match.group(0).rstrip(".").lower()
        person = queryset.select_related("user").filter(user__email__iexact=email).first()
        if person is None:
            raise forms.ValidationError(not_found)
        return person
    people = list(
        queryset.select_related("user", "organisation")
        .annotate(full_name=Lower(Concat("user__first_name", Value(" "), "user__last_name")))
        .filter(full_name=text.lower())[:3]
    )
    if not people:
        raise forms.ValidationError(
            f"No colleague called {text} was found: check the spelling or type their work email"
        )
    if len(people) > 1:
        raise forms.ValidationError(
            f"More than one colleague is called {text}: choose them from the list or type their work email"
        )
    return people[0]


class ColleagueInput(forms.TextInput):
    """A text input that names the suggestions endpoint for the enhancement."""

    def __init__(self, attrs=None, *, params=None):
        super().__init__(attrs)
        self.params = params or {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        query = urlencode(self.params, doseq=True)
        url = reverse("people:suggest") + (f"?{query}" if query else "")
        context["widget"]["attrs"].update(
            {"data-colleague-picker": url, "autocomplete": "off", "spellcheck": "false"}
        )
        return context


class ColleagueField(forms.CharField):
    """One colleague, by name or work email; cleans to a Person.

    `queryset`: whom this form may pick (active staff by default);
    `params`: the same limit for the suggestions (`scope=hr`, `org=<id>`),
    which only narrow the list a person sees and are never trusted."""

    def __init__(self, *, queryset=None, params=None, not_found=NOT_FOUND_BY_EMAIL, **kwargs):
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("error_messages", {"required": "Enter their name or work email address"})
        kwargs.setdefault("widget", ColleagueInput(params=params))
        super().__init__(**kwargs)
        self.queryset = queryset
        self.not_found = not_found

    def set_limits(self, *, queryset=None, params=None):
        if queryset is not None:
            self.queryset = queryset
        if params is not None:
            self.widget.params = params

    def _queryset(self):
        return self.queryset if self.queryset is not None else Person.objects.active()

    def clean(self, value):
        text = super().clean(value)
        return colleague_resolve(text, queryset=self._queryset(), not_found=self.not_found)


def colleagues_resolve(
    text: str, *, queryset, not_found_prefix: str = "No colleague found for: "
) -> list[Person]:
    """Several colleagues, one a line (or separated by commas when they are
    plain emails). Every line is checked; the error lists what was not found."""
    lines = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if "(" not in line and "," in line:
            lines.extend(p.strip() for p in line.split(",") if p.strip())
        else:
            lines.append(line)
    people, missing, problems = [], [], []
    for line in lines:
        try:
            person = colleague_resolve(line, queryset=queryset)
        except forms.ValidationError as exc:
            if EMAIL_IN_TEXT.search(line):
                missing.append(EMAIL_IN_TEXT.search(line).group(0).lower())
            else:
                problems.extend(exc.messages)
            continue
        if person not in people:
            people.append(person)
    errors = []
    if missing:
        errors.append(not_found_prefix + ", ".join(missing[:5]))
    errors.extend(problems[:5])
    if errors:
        raise forms.ValidationError(errors)
    return people


def suggestions(*, queryset, q: str, limit: int = 10) -> list[Person]:
    """People whose name (or email) starts with what was typed: every word
    must begin a first name, last name or the email. Two queries at most."""
    words = [w for w in re.split(r"[\s,()]+", q.lower()) if w][:4]
    if not words or len(q.strip()) < 2:
        return []
    condition = Q()
    for word in words:
        condition &= (
            Q(user__first_name__istartswith=word)
            | Q(user__last_name__istartswith=word)
            | Q(user__email__istartswith=word)
        )
    return list(
        queryset.filter(condition)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "pk")[:limit]
    )
