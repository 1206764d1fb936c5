"""The shape of a personal-data declaration (issue #16).

Every app that holds personal data (core, people and each capability) has
one `personal_data.py` module with a `DECLARATION = PersonalData(...)`:
its subject access sections, erasure steps, retention kinds, leaver and
handover steps and hold checks. settings.BEWIGAN_PERSONAL_DATA lists them,
the way BEWIGAN_MY_WORK_PROVIDERS lists "my work" providers, and the data
protection tools (bewigan.privacy) run whatever is declared. Privacy
imports no capability; adding a personal-data model to an app means
editing that app's module only.

This module is the contract between the two: plain types and small
helpers, no domain. It lives in core because every app may import core.
"""

from __future__ import annotations

import calendar
import datetime
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

FREE = "free"  # a field of free text people typed: searched for others' names
ERASED_NAME = "Erased person"

# --- Subject access ------------------------------------------------------------------


@dataclass
class Subject:
    """Who a subject access pack is about: a member of staff (`person`,
    with any candidacies that led to their job) or a candidate (`person`
    None, their applications to one organisation)."""

    person: object | None
    candidates: list
    label: str
    connected: set[tuple[str, str]] = field(default_factory=set)

    @property
    def user(self):
        return self.person.user if self.person else None

    def connect(self, user) -> None:
        """Remember a person linked to the subject (for first-name matching)."""
        if user is not None and user.first_name and user.last_name:
            self.connected.add((user.first_name, user.last_name))


def value(v):
    """A JSON-ready value: local ISO datetimes and dates, decimals as text."""
    if isinstance(v, datetime.datetime):
        return timezone.localtime(v).isoformat(timespec="seconds")
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    return v


def name_of(person_or_user) -> str:
    if person_or_user is None:
        return ""
    user = getattr(person_or_user, "user", person_or_user)
    return user.get_full_name() or user.email


def details_text(details) -> str:
    if not details:
        return ""
    return json.dumps(details, sort_keys=True, default=str)


def section(key, title, description, fields, rows, *, confidential: bool = False) -> dict:
    """One section of a pack. `confidential`: it holds other people's
    confidential writing about the subject (a line manager's private notes),
    so the data protection officer reviews it before release."""
    keys = [f[0] for f in fields]
    out = {
        "key": key,
        "title": title,
        "description": description,
        "fields": [list(f) for f in fields],
        "records": [{k: value(row.get(k)) for k in keys} for row in rows],
    }
    if confidential:
        out["confidential"] = True
    return out


SectionCollector = Callable[[Subject], list[dict]]

AUDIT_FIELDS = [
    ("at", "When", "datetime"),
    ("actor", "Who", "text"),
    ("action", "What", "text"),
    ("record", "Record", FREE),
    ("record_type", "Kind of record", "text"),
    ("reason", "Reason given", FREE),
    ("details", "Details", FREE),
]


def audit_rows(entries) -> list[dict]:
    """Audit log entries as pack records."""
    return [
        {
            "at": e.at,
            "actor": name_of(e.actor) if e.actor_id else "BeWigan (automatic)",
            "action": e.get_action_display(),
            "record": e.object_repr,
            "record_type": e.object_type,
            "reason": e.reason,
            "details": details_text(e.details),
        }
        for e in entries
    ]


@dataclass(frozen=True)
class ConfidentialItem:
    """One piece of someone else's confidential writing in a pack: the
    section it appears in, the record (for the audit log), its author (who
    is told when it is released) and a date."""

    section: str
    obj: object
    author: object
    on: datetime.date | None


# --- Retention -----------------------------------------------------------------------

DELETE = "delete"
ANONYMISE = "anonymise"
ACTION_LABELS = {DELETE: "Delete", ANONYMISE: "Anonymise"}
MAXIMUM_MONTHS = 240  # 20 years: longer than any legal limitation period


def months_before(value, months: int):
    """`value` (a date or datetime) moved back by calendar months; the day is
    clamped to the month's length (31 March - 1 month = 28/29 February)."""
    index = value.year * 12 + value.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class Cutoff:
    """Records whose starting event is before `moment` (datetimes) or
    `date` (dates) have expired."""

    moment: datetime.datetime
    date: datetime.date
    months: int

    @classmethod
    def of(cls, now: datetime.datetime, months: int) -> Cutoff:
        local = timezone.localtime(now)
        return cls(
            moment=months_before(local, months),
            date=months_before(local.date(), months),
            months=months,
        )


@dataclass(frozen=True)
class ActiveHolds:
    """Every active legal hold, loaded once per retention run."""

    person_ids: frozenset[int] = frozenset()
    user_ids: frozenset[int] = frozenset()
    candidate_ids: frozenset[int] = frozenset()
    objects: dict[str, frozenset[str]] = field(default_factory=dict)

    def ids(self, label: str) -> list[int]:
        """Held ids of one record type, as integers."""
        return sorted(int(i) for i in self.objects.get(label, ()) if i.lstrip("-").isdigit())

    def audit_q(self) -> Q:
        """Audit entries kept by a hold: about or by a held person, or about a
        held record (any type), or held themselves."""
        q = Q(subject_id__in=self.user_ids) | Q(actor_id__in=self.user_ids)
        for label, ids in self.objects.items():
            q |= Q(object_type=label, object_id__in=sorted(ids))
        if self.candidate_ids:
            q |= Q(
                object_type="recruitment.candidate",
                object_id__in=[str(i) for i in sorted(self.candidate_ids)],
            )
        q |= Q(pk__in=self.ids("core.auditentry"))
        return q

    def __bool__(self) -> bool:
        return bool(self.person_ids or self.candidate_ids or self.objects)


def count_all(querysets: dict[str, QuerySet]) -> int:
    return sum(qs.count() for qs in querysets.values())


def delete_all(querysets: dict[str, QuerySet], cutoff: Cutoff, reason: str) -> int:
    """Delete each top-level queryset; children go with them (CASCADE) and
    are not counted separately."""
    total = 0
    for qs in querysets.values():
        total += qs.count()
        qs.delete()
    return total


@dataclass(frozen=True)
class RetentionKind:
    key: str
    label: str
    records: str  # what is removed, in words
    starts: str  # the starting event, in words ("after the decision")
    action: str
    default_months: int
    minimum_months: int
    legal_basis: str
    held_by: str  # which holds keep these records, in words
    # (cutoff, holds, with_holds=True) -> {name: queryset}: the records due
    due: Callable[..., dict[str, QuerySet]]
    # (querysets, cutoff, reason) -> number of records deleted or anonymised
    apply: Callable[[dict[str, QuerySet], Cutoff, str], int]
    maximum_months: int = MAXIMUM_MONTHS

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


# --- Erasure -------------------------------------------------------------------------


def deleted(counts: Counter, key: str, qs: QuerySet, *, parts_key: str = "") -> None:
    """Delete `qs`; count its rows under `key` and what went with them
    (CASCADE) under `parts_key`."""
    total, per_model = qs.delete()
    own = per_model.get(qs.model._meta.label, 0)
    counts[key] += own
    if parts_key:
        counts[parts_key] += total - own


def name_forms(*, first_name: str = "", last_name: str = "", email: str = "") -> list[str]:
    """The words that identify a person in free text: their full name (both
    orders) and email address. First names alone are too common to remove."""
    forms = []
    if first_name and last_name:
        forms += [f"{first_name} {last_name}", f"{last_name}, {first_name}"]
    if email:
        forms.append(email)
    return [f for f in forms if len(f.strip()) > 2]


def scrub(text: str, forms: Iterable[str], replacement: str = ERASED_NAME) -> str:
    """`text` with every form (any case, flexible spaces) replaced."""
    if not text:
        return text
    for form in sorted(set(forms), key=len, reverse=True):
        pattern = r"\s+".join(re.escape(w) for w in form.split())
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    return text


def scrub_rows(qs: QuerySet, fields: list[str], forms: list[str]) -> int:
    """Replace `forms` in the free-text `fields` of every row of `qs` that
    contains one (found in the database, changed in Python). Returns the
    number of rows changed."""
    if not forms:
        return 0
    match = Q()
    for f in fields:
        for form in forms:
            match |= Q(**{f"{f}__icontains": form})
    changed = 0
    for row in qs.filter(match).only("pk", *fields):
        updates = {f: scrub(getattr(row, f), forms) for f in fields}
        if any(updates[f] != getattr(row, f) for f in fields):
            type(row)._default_manager.filter(pk=row.pk).update(**updates)
            changed += 1
    return changed


@dataclass(frozen=True)
class FreeText:
    """Free-text fields where anyone may have written another person's name:
    erasure replaces the erased person's name and email there."""

    model: str  # "app_label.Model"
    fields: tuple[str, ...]


# --- Leavers and handover ------------------------------------------------------------


@dataclass(frozen=True)
class Owned:
    kind: str
    obj: object
    due: datetime.date | None = None


@dataclass(frozen=True)
class OpenItem:
    kind: str
    heading: str
    text: str
    url: str = ""
    due: datetime.date | None = None


@dataclass(frozen=True)
class HandoverKind:
    """One kind of open work a leaver can leave behind."""

    key: str
    one: str  # "my time action"
    many: str  # "my time actions"
    heading: str
    # (owned object, viewer) -> (text, url): what the viewer may read of it
    describe: Callable[[object, object], tuple[str, str]]


@dataclass
class LeaverBatch:
    """The leavers being processed together, for each app's leaver step.
    Steps add counts per person (`counts[person_id][key] += n`) and may
    queue notifications to send after their changes."""

    people: list
    today: datetime.date
    counts: dict[int, Counter]

    @property
    def person_ids(self) -> list[int]:
        return [p.pk for p in self.people]

    @property
    def user_ids(self) -> list[int]:
        return [p.user_id for p in self.people]

    def person_of_user(self) -> dict[int, int]:
        return {p.user_id: p.pk for p in self.people}


# --- Legal holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class Holdable:
    """A kind of record that can be held on its own: the words HR sees and
    the path to the organisation it belongs to (None: the partnership's)."""

    label: str  # "app_label.model"
    words: str
    organisation_path: str | None


# --- Candidates ----------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateDirectory:
    """How the data protection tools find candidates without importing the
    app that holds them (recruitment declares it)."""

    model: type
    # candidate -> organisation id (a candidate belongs to the vacancy's)
    organisation_id: Callable[[object], int]
    organisation_path: str  # "vacancy__organisation"
    # (queryset, word) -> queryset matching one search word
    search_q: Callable[[str], Q]
    # candidate -> every candidacy of the same applicant (one organisation)
    same_applicant: Callable[[object], QuerySet]
    # person -> the candidacies that led to their job
    of_person: Callable[[object], QuerySet]
    # (candidate, reason, now) -> records anonymised
    anonymise: Callable[..., int]
    # candidate -> Q on LegalHold for holds that stop its erasure
    holds_q: Callable[[object], Q]


# --- The declaration -----------------------------------------------------------------


@dataclass
class PersonalData:
    app: str
    # Subject access: (position in the pack, progress label, collector) for
    # staff and for candidates; packs list sections by position.
    person_sections: list[tuple[int, str, SectionCollector]] = field(default_factory=list)
    candidate_sections: list[tuple[int, str, SectionCollector]] = field(default_factory=list)
    # (title, explanation): what a staff member's pack never contains, and why.
    not_included: list[tuple[str, str]] = field(default_factory=list)
    # person -> other people's confidential writing about them in the pack
    # (each item is audited and its author told when the pack is made).
    confidential: list[Callable[[object], Iterable[ConfidentialItem]]] = field(default_factory=list)
    # Erasure: (person, now) -> Counter of what was deleted or anonymised.
    erase_person: list[Callable[[object, datetime.datetime], Counter]] = field(default_factory=list)
    # (candidate, now, reference) -> Counter
    erase_candidate: list[Callable[..., Counter]] = field(default_factory=list)
    count_labels: dict[str, str] = field(default_factory=dict)
    free_text: list[FreeText] = field(default_factory=list)
    # Tables (db_table) where an erased person's name may stay, and why:
    # the retention schedule keeps them (the audit log's accountability).
    kept_after_erasure: dict[str, str] = field(default_factory=dict)
    retention: list[RetentionKind] = field(default_factory=list)
    # Leavers: steps run on each batch, and the open work they leave behind.
    leaver_steps: list[Callable[[LeaverBatch], None]] = field(default_factory=list)
    # person ids -> {person id: [Owned, ...]}
    open_work: list[Callable[[list[int]], dict[int, list[Owned]]]] = field(default_factory=list)
    handover_kinds: list[HandoverKind] = field(default_factory=list)
    # Legal holds: records that may be held on their own, and for a person
    # the (label, queryset of their records) a record hold would block.
    holdable: list[Holdable] = field(default_factory=list)
    person_records: list[Callable[[object], list[tuple[str, QuerySet]]]] = field(
        default_factory=list
    )
    candidates: CandidateDirectory | None = None
