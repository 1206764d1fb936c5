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
schedule uses (`recruitment.services.candidate_anonymise`).

An active legal hold blocks erasure. Each erasure happens in one
transaction with its `ErasureRecord` (counts, never content) and an audit
entry. `*_erasure_preview` runs the same steps in a transaction that is
rolled back, so the confirmation page shows exact counts.
"""

from __future__ import annotations

import secrets
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from bewigan.core.services import audit_record
from bewigan.core.work import my_work_changed
from bewigan.partners.boundaries import HR, filter_in_reach, organisations_in_reach, person_in_reach
from bewigan.people.models import Person

from .holds import holds_blocking_candidate, holds_blocking_person
from .models import ErasureRecord, SubjectAccessRequest
from .retention import sar_packs_clear
from .sessions import sessions_end

ERASED_FIRST_NAME = "Erased"
ERASED_LAST_NAME = "person"
ERASED_EMAIL_DOMAIN = "erased.invalid"  # reserved (RFC 2606): never delivers
PERSON = "person"
CANDIDATE = "candidate"

# Count keys, in the order the confirmation and record pages list them.
COUNT_LABELS = {
    "account": "Account anonymised and closed",
    "profile": "Staff profile anonymised",
    "team_memberships": "Team memberships",
    "reports_unlinked": "Reports no longer managed by them",
    "sign_in_methods": "Email addresses, passkeys and other sign-in methods",
    "conversations": "My time and annual conversations about them",
    "conversation_parts": "Agenda items, actions, reflections, notes and drafts in those",
    "private_notes_written": "Private notes they wrote on others' conversations",
    "drafts_written": "Unsaved drafts they wrote on others' conversations",
    "feedback_rounds": "360 rounds about them",
    "feedback_round_parts": "Requests and answers in those rounds",
    "shout_outs_received": "Shout-outs they received",
    "team_feedback_received": "Team feedback they received",
    "cadences_and_reminders": "My time cadences and reminders",
    "break_glass": "HR break-glass records about them",
    "notifications": "Notifications",
    "survey_participations": "Records of which survey waves they answered",
    "survey_drafts": "Unsent survey answers",
    "story_tags": "Story pages no longer tagging them",
    "candidacies": "Their applications (candidate records anonymised)",
    "candidate": "Candidate record anonymised",
    "subject_access_packs": "Subject access packs emptied",
}


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
    from recruitment.models import Candidate

    candidate = Candidate.objects.select_related("vacancy__organisation").filter(pk=pk).first()
    if candidate is None or not _candidate_in_reach(user, candidate):
        return None
    return candidate


def _candidate_in_reach(user, candidate) -> bool:
    return bool(
        user.is_superuser or candidate.vacancy.organisation_id in organisations_in_reach(user, HR)
    )


def subjects_matching(*, user, text: str, limit: int = 20):
    """People and candidates in reach whose name, email, employee number or
    applicant reference match every word of `text`. Two queries."""
    from recruitment.models import Candidate

    words = text.split()
    if not words:
        return [], []
    people = filter_in_reach(Person.objects.select_related("user", "organisation"), user, HR)
    candidates = Candidate.objects.filter(anonymised_at__isnull=True).select_related(
        "vacancy__organisation"
    )
    candidates = filter_in_reach(candidates, user, HR, field="vacancy__organisation")
    for word in words:
        people = people.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(employee_number__iexact=word)
        )
        candidates = candidates.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(external_ref__iexact=word)
        )
    people = people.exclude(user__email__endswith=f"@{ERASED_EMAIL_DOMAIN}")
    return list(people[:limit]), list(candidates[:limit])


def erasure_records_visible_to(*, user) -> QuerySet[ErasureRecord]:
    """Records of erasures of people and candidates now in reach."""
    from recruitment.models import Candidate

    qs = ErasureRecord.objects.select_related("erased_by")
    if user.is_superuser:
        return qs
    people = filter_in_reach(Person.objects.all(), user, HR).values("pk")
    candidates = filter_in_reach(
        Candidate.objects.all(), user, HR, field="vacancy__organisation"
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
    known = [(COUNT_LABELS[k], counts[k]) for k in COUNT_LABELS if counts.get(k)]
    other = [(k, v) for k, v in counts.items() if k not in COUNT_LABELS and v]
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


def _deleted(counts: Counter, key: str, qs: QuerySet, *, parts_key: str = "") -> None:
    """Delete `qs`; count its rows under `key` and what went with them
    (CASCADE) under `parts_key`."""
    total, per_model = qs.delete()
    own = per_model.get(qs.model._meta.label, 0)
    counts[key] += own
    if parts_key:
        counts[parts_key] += total - own


def _erase_person_steps(person: Person, now) -> Counter:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    from appraisals.models import (
        BreakGlassAccess,
        Cadence,
        Conversation,
        ConversationDraft,
        FeedbackRound,
        PrivateNote,
        ReminderSent,
        ShoutOut,
        TeamFeedback,
    )
    from cms.models import InnovationStoryPage
    from recruitment.services import candidate_anonymise
    from surveys.models import Draft, Participation

    counts: Counter = Counter()
    user = person.user
    # Their own my-time record and what hangs off it.
    _deleted(
        counts,
        "conversations",
        Conversation.objects.filter(person=person),
        parts_key="conversation_parts",
    )
    _deleted(counts, "private_notes_written", PrivateNote.objects.filter(author=user))
    _deleted(counts, "drafts_written", ConversationDraft.objects.filter(author=user))
    _deleted(
        counts,
        "feedback_rounds",
        FeedbackRound.objects.filter(subject=person),
        parts_key="feedback_round_parts",
    )
    _deleted(counts, "shout_outs_received", ShoutOut.objects.filter(recipient=person))
    _deleted(counts, "team_feedback_received", TeamFeedback.objects.filter(recipient=person))
    _deleted(
        counts,
        "cadences_and_reminders",
        Cadence.objects.filter(Q(person=person) | Q(manager=person)),
    )
    _deleted(
        counts,
        "cadences_and_reminders",
        ReminderSent.objects.filter(Q(person=person) | Q(manager=person)),
    )
    _deleted(counts, "break_glass", BreakGlassAccess.objects.filter(person=person))
    _deleted(counts, "notifications", user.notifications.all())
    _deleted(counts, "survey_participations", Participation.objects.filter(person=person))
    _deleted(counts, "survey_drafts", Draft.objects.filter(person=person))
    through = InnovationStoryPage.people.through
    _deleted(counts, "story_tags", through.objects.filter(person=person))
    # Applications that led to this job.
    for candidate in person.recruitment_candidacies.all():
        counts["candidacies"] += candidate_anonymise(
            candidate=candidate, reason="Erasure of the person appointed", now=now
        )
    counts["subject_access_packs"] += sar_packs_clear(
        SubjectAccessRequest.objects.filter(person=person), label="Erased person"
    )
    # Structure: memberships go, reports keep their place without this manager.
    _deleted(counts, "team_memberships", person.memberships.all())
    counts["reports_unlinked"] += Person.objects.filter(line_manager=person).update(
        line_manager=None
    )
    # Sign-in: every way in goes; the inactive account cannot sign in and
    # its existing sessions stop working (Django refuses inactive users).
    for model in (EmailAddress, Authenticator, SocialAccount):
        _deleted(counts, "sign_in_methods", model.objects.filter(user=user))
    _anonymise_account(user)
    counts["account"] = 1
    person.employee_number = f"ERASED-{person.pk}"
    person.job_title = ""
    person.line_manager = None
    person.start_date = None
    person.leaver_date = timezone.localdate(now)
    person.save(
        update_fields=[
            "employee_number",
            "job_title",
            "line_manager",
            "start_date",
            "leaver_date",
        ]
    )
    counts["profile"] = 1
    return counts


def _anonymise_account(user) -> None:
    from wagtail.users.models import UserProfile

    UserProfile.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.first_name = ERASED_FIRST_NAME
    user.last_name = ERASED_LAST_NAME
    user.email = f"erased-{secrets.token_hex(8)}@{ERASED_EMAIL_DOMAIN}"
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.save()


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
    counts = dict(_erase_person_steps(person, now))
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
    from recruitment.services import candidate_anonymise

    counts: Counter = Counter()
    counts["candidate"] += candidate_anonymise(
        candidate=candidate, reason=f"Erasure request {reference}", now=now
    )
    counts["subject_access_packs"] += sar_packs_clear(
        SubjectAccessRequest.objects.filter(candidate=candidate), label="Erased candidate"
    )
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
    from recruitment.models import Candidate

    _check_candidate(user, candidate)
    reference, reason = reference.strip(), reason.strip()
    if not reference or not reason:
        raise ErasureError("Enter the request's reference and the reason")
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    problems = candidate_erasure_problems(candidate=candidate)
    if problems:
        raise ErasureError(problems)
    now = timezone.now()
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
