"""Subject access packs: an HR admin asks for every record the platform
holds about one person (a member of staff or a candidate), reviews other
people's names found in free text, and downloads a zip with a readable
HTML document and the same records as JSON.

The life of a request (`SubjectAccessRequest.status`):

    queued → running (collecting, a background task) → review (names to decide)
           → running (building the archive, a background task) → ready

A pack without other people's names skips the review. Every step is in the
audit log with the request's reference: the start, the generation, each
private note included (its author is told), each review decision, the
archive and each download.

Who: HR admins (and superusers) for people in their reach — their own
organisation and partners that granted theirs access for HR
(`boundaries.py`); for a candidate, the vacancy's organisation. Nobody
handles a request about themselves.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import logging
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from bewigan.core.models import AuditEntry
from bewigan.core.services import audit_record, notify
from bewigan.partners import boundaries
from bewigan.people.models import Person
from bewigan.people.roles import is_hr_admin

from . import sar_collect, sar_names
from .models import SubjectAccessMention, SubjectAccessRequest

logger = logging.getLogger(__name__)

Status = SubjectAccessRequest.Status
Decision = SubjectAccessMention.Decision
PACK_FORMAT = "bewigan-subject-access-pack/1"
WORKING = (Status.QUEUED, Status.RUNNING)


class PackNotReady(Exception):
    """The archive does not exist yet (names still to review, or building)."""


# --- Who may act -----------------------------------------------------------------------------


def _organisations_in_reach(user) -> frozenset[int]:
    """Organisation ids whose people `user` may handle requests for: HR
    admins' own organisation and partners that granted it access for HR;
    superusers every organisation; nobody else any."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if not (user.is_superuser or is_hr_admin(user)):
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
        organisation_id = subject.vacancy.organisation_id
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
    from recruitment.models import Candidate

    candidate = get_object_or_404(
        Candidate.objects.select_related("vacancy__organisation", "appointed_person"),
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
    from django.http import Http404

    return Http404("No such person")


@dataclass
class SearchResults:
    people: list
    candidates: list


def sar_subject_search(*, user, q: str, limit: int = 20) -> SearchResults:
    """Staff and candidates in reach whose name, email, employee number or
    applicant reference matches every word of `q`."""
    from recruitment.models import Candidate

    words = q.split()[:5]
    reach = _organisations_in_reach(user)
    if not words or not reach:
        return SearchResults([], [])
    people = Person.objects.select_related("user", "organisation").exclude(user=user)
    candidates = Candidate.objects.select_related("vacancy__organisation").filter(
        anonymised_at__isnull=True
    )
    if not user.is_superuser:
        people = people.filter(organisation_id__in=sorted(reach))
        candidates = candidates.filter(vacancy__organisation_id__in=sorted(reach))
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
            | Q(vacancy__reference__iexact=word)
        )
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
    *, actor, reference: str, reason: str, person: Person | None = None, candidate=None
) -> SubjectAccessRequest:
    """Record the request and queue its generation. Audited."""
    subject = person or candidate
    if (person is None) == (candidate is None):
        raise ValueError("A request is about one person or one candidate")
    if not _in_reach(actor, subject):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("This person is not in your reach.")
    reference, reason = reference.strip(), reason.strip()
    if not reference or not reason:
        raise ValidationError("Enter the request's reference and a reason.")
    organisation_id = (
        person.organisation_id if person is not None else candidate.vacancy.organisation_id
    )
    with transaction.atomic():
        sar = SubjectAccessRequest.objects.create(
            reference=reference,
            reason=reason,
            person=person,
            candidate=candidate,
            organisation_id=organisation_id,
            subject_label=subject.name[:200],
            requested_by=actor,
            progress_message="Waiting to start",
        )
        _audit(sar, actor, "create", "Subject access request started", {"kind": _kind(sar)})
    _enqueue_generation(sar)
    return sar


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
# the task runs at once.
def _enqueue_generation(sar):
    from .tasks import sar_generate_task

    sar_generate_task.enqueue(sar.pk)


def _enqueue_build(sar):
    from .tasks import sar_build_task

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
    from recruitment.models import Candidate

    if sar.person_id:
        person = Person.objects.select_related("user", "organisation", "line_manager__user").get(
            pk=sar.person_id
        )
        candidates = Candidate.objects.filter(appointed_person=person)
        label = person.name
    else:
        candidate = sar.candidate
        person = None
        same = Q(pk=candidate.pk)
        if candidate.email:
            # The same applicant's other applications to the same organisation.
            same |= Q(
                email__iexact=candidate.email,
                vacancy__organisation_id=candidate.vacancy.organisation_id,
                anonymised_at__isnull=True,
            )
        candidates = Candidate.objects.filter(same)
        label = candidate.name
    candidates = list(
        candidates.select_related(
            "vacancy__organisation", "vacancy__recruiting_manager"
        ).prefetch_related("vacancy__panel__user")
    )
    return sar_collect.Subject(person=person, candidates=candidates, label=label)


def _name_index(subject: sar_collect.Subject) -> sar_names.NameIndex:
    from django.contrib.auth import get_user_model

    from recruitment.models import Candidate

    everyone = list(
        get_user_model()
        .objects.exclude(first_name="")
        .exclude(last_name="")
        .values_list("first_name", "last_name")
    )
    everyone += list(
        Candidate.objects.filter(anonymised_at__isnull=True).values_list("first_name", "last_name")
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
            sar.data = data
            sar.archive, sar.archive_name, sar.completed_at = None, "", None
            if found:
                sar.status, sar.progress = Status.REVIEW, 100
                sar.progress_message = (
                    f"{len(found)} mention{'s' if len(found) != 1 else ''} to review"
                )
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
                },
            )
            _private_notes_released(sar, subject)
            if found:
                notify(
                    recipient=sar.requested_by,
                    title=f"Subject access {sar.reference}: names to review",
                    body=(
                        f"The records about {sar.subject_label} are collected. Other people's "
                        f"names were found in {len(found)} place{'s' if len(found) != 1 else ''}: "
                        "decide which to redact, then the pack will be built."
                    ),
                    url=reverse("privacy:sar_review", args=[sar.pk]),
                    kind="subject_access",
                )
        if not found:
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


def _private_notes_released(sar, subject: sar_collect.Subject) -> None:
    """Each private note in the pack: one audit entry; each author: told."""
    if subject.person is None:
        return
    notes = list(sar_collect.private_notes_about(subject.person))
    by_author: dict[int, list] = {}
    for note in notes:
        audit_record(
            actor=sar.requested_by,
            action=AuditEntry.Action.EXPORT,
            obj=note,
            subject=subject.person.user,
            reason=f"Subject access {sar.reference}: private note included in the pack",
            details={
                "reference": sar.reference,
                "subject_access_request": sar.pk,
                "author": note.author_id,
                "conversation": note.conversation_id,
            },
        )
        by_author.setdefault(note.author_id, []).append(note)
    for author_notes in by_author.values():
        author = author_notes[0].author
        dates = ", ".join(f"{n.conversation.meeting_date:%d %b %Y}" for n in author_notes)
        many = len(author_notes) > 1
        notify(
            recipient=author,
            title="Your private note is part of a subject access request"
            if not many
            else "Your private notes are part of a subject access request",
            body=(
                f"{subject.person.name} has asked for a copy of the information BeWigan holds "
                f"about them (reference {sar.reference}). A line manager's private notes about "
                f"a person are that person's personal data, so "
                f"{'your notes' if many else 'your note'} from {dates} "
                f"{'are' if many else 'is'} included. {sar.requested_by.get_full_name()} in HR "
                "is handling the request and reviews other people's names before release."
            ),
            url=reverse("appraisals:private_note_list"),
            kind="subject_access",
        )


def sar_review(*, actor, sar: SubjectAccessRequest, decisions: dict[int, str]) -> int:
    """Record the HR admin's decisions (mention id → redact/release); each
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
                sar.progress_message = f"{pending} mention{'s' if pending != 1 else ''} to review"
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
    return content, sar.archive_name


# --- The pack ------------------------------------------------------------------------------


def build_archive(sar, mentions) -> tuple[bytes, str, dict]:
    """The zip: subject-access.html, subject-access.json and a README."""
    data = json.loads(json.dumps(sar.data))  # a private copy to redact
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
