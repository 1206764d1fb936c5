"""Subject access packs: a data protection officer records a person's
request for every record the platform holds about them (a member of staff
or a candidate), reviews other people's names found in free text and the
sections holding other people's confidential writing, and downloads a zip
with a readable HTML document and the same records as JSON.

The life of a request (`SubjectAccessRequest.status`):

    queued → running (collecting, a background task) → review (names to decide)
           → running (building the archive, a background task) → ready

A pack without other people's names or confidential sections skips the
review. Every step is in the audit log with the request's reference: the
start (with when and how the request arrived), the generation, each review
decision, each confidential record released (its author is told), the
archive and each download. The person is told when the request is recorded.

Who: data protection officers (the group; superusers too need it) for
people in their reach — their own organisation and partners that granted
theirs access for HR (`bewigan.partners.boundaries`); for a candidate, the
vacancy's organisation. Nobody handles a request about themselves. The
records come from every app's declaration (`registry.py`).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import logging
import zipfile
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django_tasks import task

from bewigan.core.models import AuditEntry
from bewigan.core.services import audit_record, notify
from bewigan.partners import boundaries
from bewigan.people.models import Person

from . import registry, sar_collect, sar_names
from .models import SubjectAccessMention, SubjectAccessRequest
from .roles import is_data_protection_officer

logger = logging.getLogger(__name__)

Status = SubjectAccessRequest.Status
Decision = SubjectAccessMention.Decision
MentionKind = SubjectAccessMention.Kind
Channel = SubjectAccessRequest.Channel
RESPONSE_DAYS = 30  # one calendar month (UK GDPR Art. 12(3)), shown as a date
PACK_FORMAT = "bewigan-subject-access-pack/1"
WORKING = (Status.QUEUED, Status.RUNNING)


class PackNotReady(Exception):
    """The archive does not exist yet (names still to review, or building)."""


# --- Who may act -----------------------------------------------------------------------------


def _organisations_in_reach(user) -> frozenset[int]:
    """Organisation ids whose people `user` may handle requests for: a data
    protection officer's own organisation and partners that granted it
    access for HR (a superuser officer: every one); nobody else any."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if not is_data_protection_officer(user):
        return frozenset()
    return boundaries.organisations_in_reach(user, boundaries.HR)


def _in_reach(user, subject) -> bool:
    """`subject` is a Person or a recruitment Candidate (whose organisation
    is the vacancy's). Never the user themselves."""
    if subject is None:
        return False
    if isinstance(subject, Person):
        if subject.user_id == user.pk:
            return False
        organisation_id = subject.organisation_id
    else:
        if subject.appointed_person_id and subject.appointed_person.user_id == user.pk:
            return False
        organisation_id = registry.candidates().organisation_id(subject)
    return organisation_id in _organisations_in_reach(user)


# --- Reads (selectors) -------------------------------------------------------------------------


def sar_list_for_user(*, user) -> QuerySet[SubjectAccessRequest]:
    """Requests about people in the user's reach, newest first, without the
    heavy columns. Never requests about the user themselves."""
    reach = _organisations_in_reach(user)
    if not reach:
        return SubjectAccessRequest.objects.none()
    qs = SubjectAccessRequest.objects.defer("data", "archive").select_related(
        "requested_by", "organisation"
    )
    if not user.is_superuser:
        qs = qs.filter(organisation_id__in=sorted(reach))
    return qs.exclude(person__user=user)


def sar_get_for_user(*, user, pk: int) -> SubjectAccessRequest:
    """One request, or 404 for "missing" and "not yours" alike."""
    qs = sar_list_for_user(user=user).select_related("person__user", "candidate__vacancy")
    return get_object_or_404(qs, pk=pk)


def sar_waiting_count(*, user) -> int:
    """The user's own requests waiting for them (a review, or a download)."""
    return (
        sar_list_for_user(user=user)
        .filter(
            requested_by=user,
            status__in=[Status.REVIEW, Status.READY],
            released_at__isnull=True,
        )
        .count()
    )


def sar_data(*, sar: SubjectAccessRequest) -> dict | None:
    return SubjectAccessRequest.objects.filter(pk=sar.pk).values_list("data", flat=True).first()


def sar_mentions(*, sar: SubjectAccessRequest) -> QuerySet[SubjectAccessMention]:
    return sar.mentions.select_related("decided_by").order_by("name", "section", "id")


def sar_history(*, sar: SubjectAccessRequest) -> QuerySet[AuditEntry]:
    """The audit entries recording this request's steps."""
    return (
        AuditEntry.objects.filter(
            object_type=SubjectAccessRequest._meta.label_lower, object_id=str(sar.pk)
        )
        .select_related("actor")
        .order_by("at", "id")
    )


def sar_person_for_user(*, user, pk) -> Person:
    person = get_object_or_404(Person.objects.select_related("user", "organisation"), pk=_int(pk))
    if not _in_reach(user, person):
        raise _not_found()
    return person


def sar_candidate_for_user(*, user, pk):
    directory = registry.candidates()
    candidate = get_object_or_404(
        directory.model.objects.select_related(directory.organisation_path, "appointed_person"),
        pk=_int(pk),
        anonymised_at__isnull=True,
    )
    if not _in_reach(user, candidate):
        raise _not_found()
    return candidate


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _not_found() from None


def _not_found():
    return Http404("No such person")


@dataclass
class SearchResults:
    people: list
    candidates: list


def sar_subject_search(*, user, q: str, limit: int = 20) -> SearchResults:
    """Staff and candidates in reach whose name, email, employee number or
    applicant reference matches every word of `q`."""
    directory = registry.candidates()
    words = q.split()[:5]
    reach = _organisations_in_reach(user)
    if not words or not reach:
        return SearchResults([], [])
    people = Person.objects.select_related("user", "organisation").exclude(user=user)
    candidates = directory.model.objects.select_related(directory.organisation_path).filter(
        anonymised_at__isnull=True
    )
    if not user.is_superuser:
        people = people.filter(organisation_id__in=sorted(reach))
        candidates = candidates.filter(**{f"{directory.organisation_path}_id__in": sorted(reach)})
    for word in words:
        people = people.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(employee_number__iexact=word)
        )
        candidates = candidates.filter(directory.search_q(word))
    candidates = candidates.exclude(appointed_person__user=user)
    return SearchResults(list(people[:limit]), list(candidates.order_by("-created_at")[:limit]))


def sar_progress(*, sar: SubjectAccessRequest) -> dict:
    """What the status page's poll needs (no JavaScript needed to use the page)."""
    row = (
        SubjectAccessRequest.objects.filter(pk=sar.pk)
        .values("status", "progress", "progress_message")
        .first()
    )
    return {
        "status": row["status"],
        "progress": row["progress"],
        "message": row["progress_message"],
        "working": row["status"] in WORKING,
    }


# --- Writes (services) ---------------------------------------------------------------------


def sar_start(
    *,
    actor,
    reference: str,
    reason: str,
    received_on: datetime.date,
    received_via: str,
    person: Person | None = None,
    candidate=None,
) -> SubjectAccessRequest:
    """Record the request as received (when, how) and queue its generation.
    Only a data protection officer may; the person is told. Audited."""
    subject = person or candidate
    if (person is None) == (candidate is None):
        raise ValueError("A request is about one person or one candidate")
    if not is_data_protection_officer(actor) or not _in_reach(actor, subject):
        raise PermissionDenied("Only a data protection officer may start a subject access pack.")
    reference, reason = reference.strip(), reason.strip()
    if not reference or not reason:
        raise ValidationError("Enter the request's reference and a reason.")
    if received_on is None or received_via not in Channel.values:
        raise ValidationError("Record when and how the request was received.")
    if received_on > timezone.localdate():
        raise ValidationError("The request cannot have been received in the future.")
    organisation_id = (
        person.organisation_id
        if person is not None
        else registry.candidates().organisation_id(candidate)
    )
    with transaction.atomic():
        sar = SubjectAccessRequest.objects.create(
            reference=reference,
            reason=reason,
            received_on=received_on,
            received_via=received_via,
            person=person,
            candidate=candidate,
            organisation_id=organisation_id,
            subject_label=subject.name[:200],
            requested_by=actor,
            progress_message="Waiting to start",
        )
        _audit(
            sar,
            actor,
            "create",
            "Subject access request recorded",
            {
                "kind": _kind(sar),
                "received_on": received_on.isoformat(),
                "received_via": received_via,
            },
        )
        _tell_subject(sar)
    _enqueue_generation(sar)
    return sar


def _tell_subject(sar: SubjectAccessRequest) -> None:
    """The person learns that their request is recorded and being handled
    (staff on the site and by email; a candidate has no account here)."""
    if not sar.person_id:
        return
    user = sar.person.user
    if not user.is_active:
        return
    due = sar.received_on + datetime.timedelta(days=RESPONSE_DAYS)
    notify(
        recipient=user,
        title=f"Your subject access request {sar.reference} is being handled",
        body=(
            f"We recorded your request for a copy of the information BeWigan holds about you "
            f"(received {sar.received_on:%-d %B %Y}, reference {sar.reference}). "
            f"A data protection officer is handling it and will send you the pack by "
            f"{due:%-d %B %Y}. It includes what your line managers "
            "wrote about you, including private notes, after a review of other people's "
            "information."
        ),
        url=reverse("people:my_profile"),
        kind="subject_access_recorded",
    )
    sar.subject_told_at = timezone.now()
    sar.save(update_fields=["subject_told_at"])


def sar_retry(*, actor, sar: SubjectAccessRequest) -> SubjectAccessRequest:
    """Start a failed generation again."""
    with transaction.atomic():
        updated = SubjectAccessRequest.objects.filter(pk=sar.pk, status=Status.FAILED).update(
            status=Status.QUEUED, progress=0, progress_message="Waiting to start", error=""
        )
        if updated:
            _audit(sar, actor, "update", "Generation restarted after a failure")
    if updated:
        _enqueue_generation(sar)
    sar.refresh_from_db(fields=["status", "progress", "progress_message", "error"])
    return sar


# Enqueued after the service's own transaction. With the database backend
# the task row joins any caller's transaction, so a worker never sees a task
# for an uncommitted request; with the immediate backend (tests, `make run`)
# the task runs at once. The tasks are defined at the end of this module.
def _enqueue_generation(sar):
    sar_generate_task.enqueue(sar.pk)


def _enqueue_build(sar):
    sar_build_task.enqueue(sar.pk)


def _kind(sar) -> str:
    return "person" if sar.person_id else "candidate"


def _subject_user(sar):
    return sar.person.user if sar.person_id else None


def _audit(sar, actor, action, reason, details=None):
    audit_record(
        actor=actor,
        action=action,
        obj=sar,
        subject=_subject_user(sar),
        reason=f"Subject access {sar.reference}: {reason}",
        details={"reference": sar.reference, **(details or {})},
    )


def _set_progress(sar_id: int, percent: int, message: str) -> None:
    SubjectAccessRequest.objects.filter(pk=sar_id).update(
        progress=max(0, min(100, percent)), progress_message=message[:200]
    )


def _subject_for(sar) -> sar_collect.Subject:
    directory = registry.candidates()
    if sar.person_id:
        person = Person.objects.select_related("user", "organisation", "line_manager__user").get(
            pk=sar.person_id
        )
        candidates = directory.of_person(person)
        label = person.name
    else:
        candidate = sar.candidate
        person = None
        # The same applicant's other applications to the same organisation.
        candidates = directory.same_applicant(candidate)
        label = candidate.name
    candidates = list(
        candidates.select_related(
            "vacancy__organisation", "vacancy__recruiting_manager"
        ).prefetch_related("vacancy__panel__user")
    )
    return sar_collect.Subject(person=person, candidates=candidates, label=label)


def _name_index(subject: sar_collect.Subject) -> sar_names.NameIndex:
    everyone = list(
        get_user_model()
        .objects.exclude(first_name="")
        .exclude(last_name="")
        .values_list("first_name", "last_name")
    )
    everyone += list(
        registry.candidates()
        .model.objects.filter(anonymised_at__isnull=True)
        .values_list("first_name", "last_name")
    )
    own = set()
    if subject.person is not None:
        own.add((subject.person.user.first_name, subject.person.user.last_name))
    for c in subject.candidates:
        own.add((c.first_name, c.last_name))
    return sar_names.NameIndex.build(
        everyone=everyone, connected=subject.connected, subject_names=own
    )


def sar_generate(*, request_id: int) -> str:
    """Collect the records (the background task calls this). Runs once per
    queued request: a duplicate task finds it already claimed."""
    claimed = SubjectAccessRequest.objects.filter(pk=request_id, status=Status.QUEUED).update(
        status=Status.RUNNING, progress=1, progress_message="Starting"
    )
    if not claimed:
        return "skipped"
    sar = SubjectAccessRequest.objects.select_related(
        "person__user", "candidate__vacancy", "requested_by"
    ).get(pk=request_id)
    try:
        subject = _subject_for(sar)
        collectors = (
            sar_collect.person_collectors() if sar.person_id else sar_collect.candidate_collectors()
        )
        sections: list[dict] = []
        for i, (label, collect) in enumerate(collectors):
            _set_progress(sar.pk, 5 + 80 * i // len(collectors), f"Collecting: {label}")
            sections += collect(subject)
        _set_progress(sar.pk, 88, "Looking for other people's names")
        found = sar_names.find_mentions(sections, _name_index(subject))
        confidential = _confidential_sections(sections, subject)
        to_review = len(found) + len(confidential)
        data = {
            "format": PACK_FORMAT,
            "reference": sar.reference,
            "subject": subject.label,
            "subject_kind": _kind(sar),
            "organisation": sar.organisation.name if sar.organisation_id else "",
            "collected_at": timezone.localtime().isoformat(timespec="seconds"),
            "sections": sections,
            "not_included": sar_collect.not_included(subject, sections),
        }
        with transaction.atomic():
            sar.mentions.all().delete()
            SubjectAccessMention.objects.bulk_create(
                SubjectAccessMention(
                    request=sar,
                    name=f.name[:200],
                    section=f.section[:100],
                    excerpt=f.excerpt,
                    occurrences=f.occurrences,
                    forms=sorted(f.forms),
                )
                for f in found
            )
            SubjectAccessMention.objects.bulk_create(
                SubjectAccessMention(
                    request=sar,
                    kind=MentionKind.CONFIDENTIAL,
                    name=c["title"][:200],
                    section=c["title"][:100],
                    section_key=c["key"][:60],
                    excerpt=c["excerpt"],
                    occurrences=c["records"],
                    forms=c["items"],
                )
                for c in confidential
            )
            sar.data = data
            sar.archive, sar.archive_name, sar.completed_at = None, "", None
            if to_review:
                sar.status, sar.progress = Status.REVIEW, 100
                sar.progress_message = f"{to_review} thing{'s' if to_review != 1 else ''} to review"
            else:
                sar.status, sar.progress = Status.RUNNING, 95
                sar.progress_message = "Building the archive"
            sar.save(
                update_fields=[
                    "data",
                    "archive",
                    "archive_name",
                    "completed_at",
                    "status",
                    "progress",
                    "progress_message",
                ]
            )
            _audit(
                sar,
                sar.requested_by,
                "export",
                "records collected",
                {
                    "records": sum(len(s["records"]) for s in sections),
                    "sections": len(sections),
                    "mentions": len(found),
                    "confidential_sections": len(confidential),
                },
            )
            if to_review:
                notify(
                    recipient=sar.requested_by,
                    title=f"Subject access {sar.reference}: records to review",
                    body=(
                        f"The records about the subject of request {sar.reference} are "
                        f"collected. {to_review} thing{'s' if to_review != 1 else ''} need your "
                        "review (other people's names, and sections holding other people's "
                        "confidential writing): decide what to release, then the pack will be "
                        "built."
                    ),
                    url=reverse("privacy:sar_review", args=[sar.pk]),
                    kind="subject_access",
                )
        if not to_review:
            sar_build_archive(request_id=sar.pk)
    except Exception as exc:  # the request must never stay "running" forever
        logger.exception("Subject access generation failed for request %s", request_id)
        SubjectAccessRequest.objects.filter(pk=request_id).update(
            status=Status.FAILED,
            progress_message="Failed",
            error=f"{type(exc).__name__}: the records could not be collected. Try again, "
            "and tell the BeWigan support team if it fails again.",
        )
        return Status.FAILED
    return SubjectAccessRequest.objects.values_list("status", flat=True).get(pk=request_id)


def _confidential_sections(sections: list[dict], subject) -> list[dict]:
    """Sections holding other people's confidential writing about the
    subject (declared by the apps), each with the records behind it, for the
    officer to release or withhold."""
    if subject.person is None:
        return []
    items: dict[str, list[dict]] = {}
    for item in registry.confidential_items(subject.person):
        items.setdefault(item.section, []).append(
            {
                "type": item.obj._meta.label_lower,
                "id": item.obj.pk,
                "author": item.author.pk,
                "on": item.on.isoformat() if item.on else "",
            }
        )
    out = []
    for s in sections:
        if not s.get("confidential") or not s["records"]:
            continue
        free = [k for k, _label, kind in s["fields"] if kind == sar_collect.FREE]
        excerpt = "\n\n".join(
            " ".join(str(r.get(k) or "") for k in free).strip() for r in s["records"][:3]
        )
        out.append(
            {
                "key": s["key"],
                "title": s["title"],
                "records": len(s["records"]),
                "excerpt": excerpt[:1000],
                "items": items.get(s["key"], []),
            }
        )
    return out


def _confidential_released(sar, actor, mentions) -> None:
    """When the pack is first released: each confidential record released
    gets an audit entry, and each author is told."""
    subject_user = _subject_user(sar)
    by_author: dict[int, list[dict]] = {}
    for m in mentions:
        if m.kind != MentionKind.CONFIDENTIAL or m.decision != Decision.RELEASE:
            continue
        for item in m.forms or []:
            audit_record(
                actor=actor,
                action=AuditEntry.Action.EXPORT,
                obj=None,
                object_type=item["type"],
                object_id=str(item["id"]),
                subject=subject_user,
                reason=f"Subject access {sar.reference}: {m.section.lower()} released to the "
                "person",
                details={
                    "reference": sar.reference,
                    "subject_access_request": sar.pk,
                    "author": item["author"],
                },
            )
            by_author.setdefault(item["author"], []).append({**item, "section": m.section})
    authors = get_user_model().objects.in_bulk(list(by_author))
    for author_id, items in by_author.items():
        author = authors.get(author_id)
        if author is None or not author.is_active:
            continue
        dates = ", ".join(
            sorted({f"{datetime.date.fromisoformat(i['on']):%d %b %Y}" for i in items if i["on"]})
        )
        many = len(items) > 1
        sections = ", ".join(sorted({i["section"].lower() for i in items}))
        notify(
            recipient=author,
            title="What you wrote is part of a subject access request",
            body=(
                f"{sar.subject_label} asked for a copy of the information BeWigan holds about "
                f"them (reference {sar.reference}). The law gives a person what others wrote "
                f"about them, so {'the records' if many else 'the record'} you wrote "
                f"({sections}{', ' + dates if dates else ''}) "
                f"{'were' if many else 'was'} released to them after a data protection "
                f"officer ({actor.get_full_name()}) reviewed {'them' if many else 'it'}."
            ),
            url="",
            kind="subject_access",
        )


def sar_review(*, actor, sar: SubjectAccessRequest, decisions: dict[int, str]) -> int:
    """Record the officer's decisions (mention id → redact/release; for a
    confidential section, redact means withhold it); each
    change is audited. Once every mention is decided, the archive is built
    in the background. Returns the number of decisions changed."""
    build = False
    with transaction.atomic():
        sar = (
            SubjectAccessRequest.objects.select_for_update(of=("self",))
            .defer("data", "archive")
            .select_related("person__user")
            .get(pk=sar.pk)
        )
        if sar.status not in (Status.REVIEW, Status.READY):
            raise ValidationError("This request is not waiting for a review.")
        mentions = {m.pk: m for m in sar.mentions.select_for_update()}
        changed = 0
        now = timezone.now()
        for pk, decision in decisions.items():
            mention = mentions.get(pk)
            if mention is None or decision not in (Decision.REDACT, Decision.RELEASE):
                continue
            if mention.decision == decision:
                continue
            mention.decision, mention.decided_by, mention.decided_at = decision, actor, now
            mention.save(update_fields=["decision", "decided_by", "decided_at"])
            _audit(
                sar,
                actor,
                "update",
                f"review decision: {Decision(decision).label.lower()}",
                {"mention": mention.pk, "section": mention.section, "decision": decision},
            )
            changed += 1
        pending = sum(1 for m in mentions.values() if m.decision == Decision.PENDING)
        if changed or sar.status == Status.REVIEW:
            sar.archive, sar.archive_name, sar.completed_at = None, "", None
            if pending:
                sar.status, sar.progress = Status.REVIEW, 100
                sar.progress_message = f"{pending} thing{'s' if pending != 1 else ''} to review"
            else:
                sar.status, sar.progress = Status.RUNNING, 95
                sar.progress_message = "Building the archive"
                build = True
            sar.save(
                update_fields=[
                    "archive",
                    "archive_name",
                    "completed_at",
                    "status",
                    "progress",
                    "progress_message",
                ]
            )
    if build:
        _enqueue_build(sar)
    return changed


def sar_build_archive(*, request_id: int) -> str:
    """Apply the redactions and write the zip (the background task calls
    this). Refuses while any mention is undecided."""
    with transaction.atomic():
        sar = (
            SubjectAccessRequest.objects.select_for_update(of=("self",))
            .select_related("requested_by", "person__user")
            .get(pk=request_id)
        )
        if sar.status != Status.RUNNING or not sar.data:
            return "skipped"
        mentions = list(sar.mentions.all())
        if any(m.decision == Decision.PENDING for m in mentions):
            sar.status, sar.progress_message = Status.REVIEW, "Names still to review"
            sar.save(update_fields=["status", "progress_message"])
            return Status.REVIEW
        archive, name, counts = build_archive(sar, mentions)
        sar.archive, sar.archive_name = archive, name
        sar.status, sar.progress, sar.progress_message = Status.READY, 100, "Ready to download"
        sar.completed_at = timezone.now()
        sar.save(
            update_fields=[
                "archive",
                "archive_name",
                "status",
                "progress",
                "progress_message",
                "completed_at",
            ]
        )
        _audit(
            sar,
            sar.requested_by,
            "export",
            "archive built",
            {"archive": name, "bytes": len(archive), **counts},
        )
    return Status.READY


def sar_download(*, actor, sar: SubjectAccessRequest) -> tuple[bytes, str]:
    """The archive's bytes and file name. Audited; the first download marks
    the pack as released."""
    with transaction.atomic():
        sar = (
            SubjectAccessRequest.objects.select_for_update(of=("self",))
            .defer("data")
            .select_related("person__user")
            .get(pk=sar.pk)
        )
        if sar.status != Status.READY or not sar.archive:
            raise PackNotReady
        content = bytes(sar.archive)
        _audit(
            sar,
            actor,
            "export",
            "pack downloaded",
            {
                "archive": sar.archive_name,
                "bytes": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
            },
        )
        if sar.released_at is None:
            sar.released_at = timezone.now()
            sar.save(update_fields=["released_at"])
            _confidential_released(sar, actor, list(sar.mentions.all()))
    return content, sar.archive_name


# --- The pack ------------------------------------------------------------------------------


def build_archive(sar, mentions) -> tuple[bytes, str, dict]:
    """The zip: subject-access.html, subject-access.json and a README."""
    data = json.loads(json.dumps(sar.data))  # a private copy to redact
    withheld = {
        m.section_key: m.section
        for m in mentions
        if m.kind == MentionKind.CONFIDENTIAL and m.decision == Decision.REDACT
    }
    if withheld:
        data["sections"] = [s for s in data["sections"] if s["key"] not in withheld]
        data["not_included"] = data["not_included"] + [
            {
                "title": f"{title} (withheld after review)",
                "explanation": "A data protection officer reviewed this section and withheld "
                "it, because releasing it would reveal information about someone else or an "
                "exemption in the Data Protection Act 2018 (Schedule 2) applies. You may ask "
                "which exemption, and complain to the Information Commissioner's Office.",
            }
            for title in sorted(withheld.values())
        ]
    mentions = [m for m in mentions if m.kind == MentionKind.NAME]
    forms: dict[str, set[str]] = {}
    redacted = [m for m in mentions if m.decision == Decision.REDACT]
    for m in redacted:
        forms.setdefault(m.section, set()).update(m.forms or [m.name])
    replacements = sar_names.redact(data["sections"], forms)
    built = timezone.localtime()
    pack = {
        "format": data["format"],
        "reference": data["reference"],
        "subject": data["subject"],
        "subject_kind": data["subject_kind"],
        "organisation": data["organisation"],
        "collected_at": data["collected_at"],
        "built_at": built.isoformat(timespec="seconds"),
        "redaction": {
            "replacement": sar_names.REDACTED,
            "names_redacted": len({m.name for m in redacted}),
            "replacements": replacements,
        },
        "sections": [
            {
                "key": s["key"],
                "title": s["title"],
                "description": s["description"],
                "fields": [{"key": k, "label": lbl, "kind": kind} for k, lbl, kind in s["fields"]],
                "records": s["records"],
            }
            for s in data["sections"]
        ],
        "not_included": data["not_included"],
    }
    html = render_to_string(
        "privacy/sar_pack.html",
        {
            "pack": pack,
            "built": built,
            "sections": [_display_section(s) for s in data["sections"]],
        },
    )
    readme = (
        f"Subject access pack {data['reference']} for {data['subject']}\n\n"
        "subject-access.html  the records, to read in any web browser\n"
        "subject-access.json  the same records, machine-readable (UTF-8 JSON)\n\n"
        f"Built {built:%d %B %Y at %H:%M} by BeWigan.\n"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject-access.html", html)
        archive.writestr(
            "subject-access.json", json.dumps(pack, indent=2, ensure_ascii=False) + "\n"
        )
        archive.writestr("README.txt", readme)
    slug = slugify(data["reference"])[:40] or "request"
    name = f"subject-access-{slug}-{built:%Y-%m-%d}.zip"
    counts = {
        "records": sum(len(s["records"]) for s in data["sections"]),
        "sections_withheld": len(withheld),
        "names_redacted": pack["redaction"]["names_redacted"],
        "names_released": len({m.name for m in mentions}) - pack["redaction"]["names_redacted"],
        "replacements": replacements,
    }
    return buffer.getvalue(), name, counts


def _display(value, kind: str) -> str:
    if value is None or value == "":
        return "—"
    if kind == "bool":
        return "Yes" if value else "No"
    if kind in ("date", "datetime") and isinstance(value, str):
        try:
            if kind == "date":
                return f"{datetime.date.fromisoformat(value):%-d %B %Y}"
            return f"{datetime.datetime.fromisoformat(value):%-d %B %Y, %H:%M}"
        except ValueError:
            return value
    return str(value)


def _display_section(section: dict) -> dict:
    fields = section["fields"]
    free = any(kind == "free" for _k, _l, kind in fields)
    return {
        "key": section["key"],
        "title": section["title"],
        "description": section["description"],
        "layout": "records" if free or len(fields) > 6 else "table",
        "labels": [label for _k, label, _kind in fields],
        "rows": [
            [
                {"label": label, "value": _display(record.get(key), kind), "free": kind == "free"}
                for key, label, kind in fields
            ]
            for record in section["records"]
        ],
    }


# --- Background tasks --------------------------------------------------------------------
# Defined here, beside the services they wrap, so that enqueueing needs no
# import inside a function (tasks.py re-exports them).


@task()
def sar_generate_task(request_id: int) -> str:
    """Collect the records for a subject access request."""
    return sar_generate(request_id=request_id)


@task()
def sar_build_task(request_id: int) -> str:
    """Build a subject access pack's archive once everything is reviewed."""
    return sar_build_archive(request_id=request_id)
