"""Writes for the HR bulk import: upload (validate and preview), confirm
(apply all-or-nothing), and the command-line path."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from bewigan.core.services import audit_record

from ..models import Organisation
from ..roles import person_of
from .apply import apply_plan
from .models import PREVIEW_LIFETIME, PeopleImport
from .plan import ImportPlan, RowError, build_plan
from .reader import ImportFileError, read_people_file

__all__ = [
    "ImportExpiredError",
    "ImportFileError",
    "importable_organisation_ids",
    "importable_organisation_names",
    "people_import_confirm",
    "people_import_discard",
    "people_import_file",
    "people_import_plan",
    "people_import_upload",
]


class ImportExpiredError(Exception):
    """The preview is too old, already used, or its stored file was altered."""


def importable_organisation_ids(user) -> set[int] | None:
    """The organisations `user` may import people for; None means all (the
    command line, run by someone with shell access)."""
    if user is None:
        return None
    return {
        org.pk
        for org in Organisation.objects.all()
        if user.has_perm("people.import_people_for_organisation", org)
    }


def importable_organisation_names(user) -> list[str]:
    ids = importable_organisation_ids(user)
    qs = Organisation.objects.order_by("name")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return [o.label for o in qs.only("name", "short_name")]


def people_import_plan(
    *, content: bytes, filename: str, actor, full_organisation: bool = False
) -> ImportPlan:
    """Read and validate a file; raises ImportFileError for an unusable file."""
    frame = read_people_file(content, filename)
    plan = build_plan(
        frame,
        allowed_organisation_ids=importable_organisation_ids(actor),
        full_organisation=full_organisation,
        today=timezone.localdate(),
    )
    me = person_of(actor) if actor is not None else None
    if plan.ok and me is not None and me.pk in set(plan.absent["id"].astype(int).tolist()):
        # A full-organisation file without its uploader would lock them out.
        plan.errors.append(
            RowError(
                0,
                "",
                f"You ({actor.email}) are not in this file, so importing it as a full list of "
                "your organisation would mark you as a leaver. Add yourself or untick the box.",
            )
        )
    return plan


def _audit(*, actor, plan: ImportPlan, filename: str, people_import: PeopleImport | None = None):
    # Counts and organisations only: never the file's content.
    audit_record(
        actor=actor,
        action="import",
        obj=people_import,
        object_type="people.peopleimport",
        object_id=people_import.pk if people_import else "",
        details={
            "filename": filename[:100],
            "organisations": plan.organisations,
            "full_organisation": plan.full_organisation,
            "counts": plan.counts,
        },
    )


@transaction.atomic
def people_import_upload(
    *, user, filename: str, content: bytes, full_organisation: bool
) -> PeopleImport:
    """Validate an uploaded file and keep it, server-side, for its preview.

    The uploader's earlier unconfirmed uploads are discarded (and wiped)."""
    plan = people_import_plan(
        content=content, filename=filename, actor=user, full_organisation=full_organisation
    )
    _discard(PeopleImport.objects.for_uploader(user).pending())
    # Nobody's unconfirmed file outlives its preview for long.
    _discard(
        PeopleImport.objects.pending().filter(created_at__lt=timezone.now() - PREVIEW_LIFETIME)
    )
    return PeopleImport.objects.create(
        uploaded_by=user,
        filename=filename[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        full_organisation=full_organisation,
        summary=plan.summary(details=True),
    )


def _discard(queryset) -> None:
    """Wipe the file and the names in the preview's details; counts stay."""
    for people_import in queryset.only("pk", "summary"):
        summary = dict(people_import.summary or {})
        summary.pop("details", None)
        PeopleImport.objects.filter(pk=people_import.pk).update(
            status=PeopleImport.Status.DISCARDED, content=b"", summary=summary
        )


def people_import_confirm(*, user, people_import_id: int) -> tuple[PeopleImport, ImportPlan]:
    """Re-validate the stored file against the database as it is now and, if
    it is still clean, apply it in one transaction. Returns the import and the
    plan; when the plan has errors nothing was written."""
    with transaction.atomic():
        people_import = (
            PeopleImport.objects.select_for_update()
            .for_uploader(user)
            .filter(pk=people_import_id)
            .first()
        )
        if people_import is None or not people_import.is_pending:
            raise ImportExpiredError(
                "This preview has expired or was already used. Upload the file again."
            )
        content = bytes(people_import.content)
        if hashlib.sha256(content).hexdigest() != people_import.sha256:
            raise ImportExpiredError(
                "The stored file does not match what you previewed. Upload the file again."
            )
        plan = people_import_plan(
            content=content,
            filename=people_import.filename,
            actor=user,
            full_organisation=people_import.full_organisation,
        )
        if not plan.ok:
            people_import.summary = plan.summary()
            people_import.save(update_fields=["summary"])
            return people_import, plan
        apply_plan(plan, actor=user)
        people_import.status = PeopleImport.Status.APPLIED
        people_import.applied_at = timezone.now()
        people_import.content = b""
        people_import.summary = plan.summary()
        people_import.save(update_fields=["status", "applied_at", "content", "summary"])
        _audit(actor=user, plan=plan, filename=people_import.filename, people_import=people_import)
    return people_import, plan


@transaction.atomic
def people_import_discard(*, user, people_import_id: int) -> None:
    _discard(PeopleImport.objects.for_uploader(user).pending().filter(pk=people_import_id))


def people_import_file(
    *,
    content: bytes,
    filename: str,
    dry_run: bool = False,
    full_organisation: bool = False,
    actor=None,
) -> ImportPlan:
    """The command-line path: validate, and apply unless dry_run or errors."""
    with transaction.atomic():
        plan = people_import_plan(
            content=content, filename=filename, actor=actor, full_organisation=full_organisation
        )
        if plan.ok and not dry_run:
            apply_plan(plan, actor=actor)
            _audit(actor=actor, plan=plan, filename=filename)
    return plan
