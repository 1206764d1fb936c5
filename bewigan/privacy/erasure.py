"""Erasure on request (UK GDPR Art. 17) of a member of staff or a candidate.

A person is erased in place, because other people's records point at them
(their reports' my times they held, feedback they gave, panels they sat on,
ideas they posted) and must stay whole:

- their account becomes "Erased person": a random email on a reserved
  domain, no usable password, inactive, no groups, no sign-in methods; the
  staff profile loses employee number, job title, dates, line manager and
  team memberships;
- their own private records are deleted: their my time and annual
  conversations (agenda, actions, notes), 360 rounds about them, shout-outs
  and team feedback they received, private notes and drafts they wrote,
  cadences, reminders, break-glass records, notifications, survey drafts and
  the record of which waves they answered; subject access packs about them
  are emptied; story pages no longer tag them;
- what they gave others is kept but anonymised by the same step: feedback,
  shout-outs, talking points, actions, decisions and scorecards now show
  "Erased person";
- published aggregates are untouched: survey answers carry no link to
  anyone, and recruitment scores stay without words;
- the audit log keeps its entries (accountability), now pointing at the
  erased account, until the retention schedule removes them.

A candidate is anonymised with the recruitment anonymisation the retention
schedule uses (recruitment declares it).

What to delete or anonymise is declared by each app in its
`personal_data.py` (`erase_person`, `erase_candidate`); this module runs
every declared step, then replaces the person's full name and email in the
free text every app declared (`free_text`: notifications to other people,
my-time notes, feedback, ideas...) and in the subject access requests and
erasure records about them. What is left naming them is what the retention
schedule keeps on purpose (`kept_after_erasure`: the audit log).

An active legal hold blocks erasure. Each erasure happens in one
transaction with its `ErasureRecord` (counts, never content) and an audit
entry. `*_erasure_preview` runs the same steps in a transaction that is
rolled back, so the confirmation page shows exact counts.
"""

from __future__ import annotations

from collections import Counter

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from bewigan.core.personal_data import ERASED_EMAIL_DOMAIN
from bewigan.core.personal_data_types import name_forms, scrub, scrub_rows
from bewigan.core.services import audit_record
from bewigan.core.work import my_work_changed
from bewigan.partners.boundaries import HR, filter_in_reach, organisations_in_reach, person_in_reach
from bewigan.people.models import Person

from . import registry
from .holds import holds_blocking_candidate, holds_blocking_person
from .models import ErasureRecord, SubjectAccessRequest
from .retention import sar_packs_clear
from .sessions import sessions_end

PERSON = "person"
CANDIDATE = "candidate"

# Count keys of the data protection records themselves; each app adds its
# own (`count_labels`), listed in registry order.
OWN_COUNT_LABELS = {
    "subject_access_packs": "Subject access packs emptied",
    "free_text": "Other people's records no longer naming them (notes, notifications, feedback)",
}


def count_labels() -> dict[str, str]:
    return {**registry.count_labels(), **OWN_COUNT_LABELS}


class ErasureError(ValidationError):
    """Erasure cannot go ahead (a message for the person)."""


class _Rollback(Exception):
    def __init__(self, counts):
        self.counts = counts


# --- Reads ---------------------------------------------------------------------------


def person_for_erasure(*, user, pk: int) -> Person | None:
    """A person the user may erase or hold (in reach), else None."""
    person = Person.objects.select_related("user", "organisation").filter(pk=pk).first()
    if person is None or not person_in_reach(user, person, HR):
        return None
    return person


def candidate_for_erasure(*, user, pk: int):
    directory = registry.candidates()
    candidate = (
        directory.model.objects.select_related(directory.organisation_path).filter(pk=pk).first()
    )
    if candidate is None or not _candidate_in_reach(user, candidate):
        return None
    return candidate


def _candidate_in_reach(user, candidate) -> bool:
    return bool(
        user.is_superuser
        or registry.candidates().organisation_id(candidate) in organisations_in_reach(user, HR)
    )


def subjects_matching(*, user, text: str, limit: int = 20):
    """People and candidates in reach whose name, email, employee number or
    applicant reference match every word of `text`. Two queries."""
    directory = registry.candidates()
    words = text.split()
    if not words:
        return [], []
    people = filter_in_reach(Person.objects.select_related("user", "organisation"), user, HR)
    candidates = directory.model.objects.filter(anonymised_at__isnull=True).select_related(
        directory.organisation_path
    )
    candidates = filter_in_reach(candidates, user, HR, field=directory.organisation_path)
    for word in words:
        people = people.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(employee_number__iexact=word)
        )
        candidates = candidates.filter(directory.search_q(word))
    people = people.exclude(user__email__endswith=f"@{ERASED_EMAIL_DOMAIN}")
    return list(people[:limit]), list(candidates[:limit])


def erasure_records_visible_to(*, user) -> QuerySet[ErasureRecord]:
    """Records of erasures of people and candidates now in reach."""
    directory = registry.candidates()
    qs = ErasureRecord.objects.select_related("erased_by")
    if user.is_superuser:
        return qs
    people = filter_in_reach(Person.objects.all(), user, HR).values("pk")
    candidates = filter_in_reach(
        directory.model.objects.all(), user, HR, field=directory.organisation_path
    ).values("pk")
    return qs.filter(
        Q(subject_kind=PERSON, subject_id__in=people)
        | Q(subject_kind=CANDIDATE, subject_id__in=candidates)
    )


def erasure_record_get_for_user(*, user, pk: int) -> ErasureRecord | None:
    return erasure_records_visible_to(user=user).filter(pk=pk).first()


def is_erased(person: Person) -> bool:
    return ErasureRecord.objects.filter(subject_kind=PERSON, subject_id=person.pk).exists()


def count_lines(counts: dict) -> list[tuple[str, int]]:
    """(label, number) for display, in a stable order."""
    labels = count_labels()
    known = [(labels[k], counts[k]) for k in labels if counts.get(k)]
    other = [(k, v) for k, v in counts.items() if k not in labels and v]
    return known + other


# --- Checks --------------------------------------------------------------------------


def person_erasure_problems(*, user, person: Person) -> list[str]:
    """Why this person cannot be erased now (empty: they can)."""
    problems = []
    if is_erased(person):
        problems.append("This person has already been erased.")
    if person.user_id == user.pk:
        problems.append("You cannot erase yourself. Ask another HR admin.")
    if person.user.is_superuser:
        problems.append("A superuser cannot be erased. Remove superuser status first.")
    holds = list(holds_blocking_person(person))
    if holds:
        problems.append(
            f"There {'is an active legal hold' if len(holds) == 1 else f'are {len(holds)} active legal holds'}"
            " on this person or their records. Release it before erasing."
        )
    return problems


def candidate_erasure_problems(*, candidate) -> list[str]:
    problems = []
    if candidate.anonymised_at:
        problems.append("This candidate's personal data has already been removed.")
    if holds_blocking_candidate(candidate).exists():
        problems.append(
            "There is an active legal hold on this candidate or their vacancy. "
            "Release it before erasing."
        )
    return problems


# --- Erasing a person ----------------------------------------------------------------


def _erase_person_steps(person: Person, now) -> Counter:
    """Every app's declared steps (core's last: it closes the account), then
    the person's name and email go from everyone's free text."""
    user = person.user
    forms = name_forms(first_name=user.first_name, last_name=user.last_name, email=user.email)
    counts: Counter = Counter()
    for declaration in registry.declarations():
        for step in declaration.erase_person:
            counts.update(step(person, now))
    counts["subject_access_packs"] += sar_packs_clear(
        SubjectAccessRequest.objects.filter(person=person), label="Erased person"
    )
    counts["free_text"] += scrub_free_text(forms)
    return counts


def scrub_free_text(forms: list[str]) -> int:
    """Replace the name forms in every declared free-text field, and in the
    data protection records' own free text (requests' references and
    reasons, erasure records' reasons)."""
    changed = 0
    for declaration in registry.declarations():
        for free in declaration.free_text:
            model = apps.get_model(free.model)
            changed += scrub_rows(model._default_manager.all(), list(free.fields), forms)
    changed += scrub_rows(
        SubjectAccessRequest.objects.all(), ["reference", "reason", "subject_label"], forms
    )
    changed += scrub_rows(ErasureRecord.objects.all(), ["reference", "reason"], forms)
    return changed


def _check_person(user, person):
    if not user.has_perm("privacy.erase_person"):
        raise PermissionDenied
    if not person_in_reach(user, person, HR):
        raise PermissionDenied


def person_erasure_preview(*, user, person: Person) -> dict[str, int]:
    """Exactly what erasing would remove, counted by doing it and rolling back."""
    _check_person(user, person)
    return _preview(lambda: _erase_person_steps(person, timezone.now()))


def _preview(steps) -> dict[str, int]:
    try:
        with transaction.atomic():
            raise _Rollback(dict(steps()))
    except _Rollback as done:
        return done.counts


@transaction.atomic
def person_erase(*, user, person: Person, reference: str, reason: str) -> ErasureRecord:
    _check_person(user, person)
    reference, reason = reference.strip(), reason.strip()
    if not reference or not reason:
        raise ErasureError("Enter the request's reference and the reason")
    person = Person.objects.select_for_update().select_related("user").get(pk=person.pk)
    problems = person_erasure_problems(user=user, person=person)
    if problems:
        raise ErasureError(problems)
    now = timezone.now()
    u = person.user
    forms = name_forms(first_name=u.first_name, last_name=u.last_name, email=u.email)
    counts = dict(_erase_person_steps(person, now))
    # The request's own words must not name them either.
    reference, reason = scrub(reference, forms), scrub(reason, forms)
    # Signed-in sessions end too (the inactive account could not use them
    # anyway); after commit, because the session store is outside it.
    user_id = person.user_id
    transaction.on_commit(lambda: sessions_end([user_id]))
    my_work_changed(everyone=True)  # their reports' managers, panels and raters changed
    return _record(
        user=user,
        kind=PERSON,
        subject_id=person.pk,
        subject=person.user,
        reference=reference,
        reason=reason,
        counts=counts,
        now=now,
    )


# --- Erasing a candidate -------------------------------------------------------------


def _erase_candidate_steps(candidate, now, reference: str) -> Counter:
    forms = name_forms(
        first_name=candidate.first_name, last_name=candidate.last_name, email=candidate.email
    )
    counts: Counter = Counter()
    for declaration in registry.declarations():
        for step in declaration.erase_candidate:
            counts.update(step(candidate, now, reference))
    counts["subject_access_packs"] += sar_packs_clear(
        SubjectAccessRequest.objects.filter(candidate=candidate), label="Erased candidate"
    )
    counts["free_text"] += scrub_free_text(forms)
    return counts


def _check_candidate(user, candidate):
    if not user.has_perm("privacy.erase_person"):
        raise PermissionDenied
    if not _candidate_in_reach(user, candidate):
        raise PermissionDenied


def candidate_erasure_preview(*, user, candidate) -> dict[str, int]:
    _check_candidate(user, candidate)
    return _preview(lambda: _erase_candidate_steps(candidate, timezone.now(), "preview"))


@transaction.atomic
def candidate_erase(*, user, candidate, reference: str, reason: str) -> ErasureRecord:
    _check_candidate(user, candidate)
    reference, reason = reference.strip(), reason.strip()
    if not reference or not reason:
        raise ErasureError("Enter the request's reference and the reason")
    candidate = registry.candidates().model.objects.select_for_update().get(pk=candidate.pk)
    problems = candidate_erasure_problems(candidate=candidate)
    if problems:
        raise ErasureError(problems)
    now = timezone.now()
    forms = name_forms(
        first_name=candidate.first_name, last_name=candidate.last_name, email=candidate.email
    )
    reference, reason = scrub(reference, forms), scrub(reason, forms)
    counts = dict(_erase_candidate_steps(candidate, now, reference))
    return _record(
        user=user,
        kind=CANDIDATE,
        subject_id=candidate.pk,
        subject=None,
        reference=reference,
        reason=reason,
        counts=counts,
        now=now,
    )


def _record(*, user, kind, subject_id, subject, reference, reason, counts, now) -> ErasureRecord:
    record = ErasureRecord.objects.create(
        reference=reference,
        reason=reason,
        subject_kind=kind,
        subject_id=subject_id,
        erased_by=user,
        erased_at=now,
        counts=counts,
    )
    audit_record(
        actor=user,
        action="delete",
        obj=record,
        subject=subject,
        reason=f"Erasure request {reference}: {reason}",
        details={"erasure": kind, "subject_id": subject_id, "counts": counts},
    )
    return record
