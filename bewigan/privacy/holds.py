"""Legal holds: a hold on a person, a candidate or one record stops the
retention schedule and erasure for what it covers, until an HR admin
releases it. Placing and releasing need a reason and are audited.

Reach: an HR admin places and releases holds on people and candidates of
the organisations in their reach (`boundaries.organisations_in_reach`, purpose
HR). A hold on a record follows the organisation the record belongs to; a
survey wave belongs to the partnership, so any HR admin may hold it.

What a hold covers (see docs/privacy/retention.md):
- a person: every record about them (their my time, 360 rounds, shout-outs
  and team feedback they received, notifications, audit entries about or by
  them, subject access packs, deleted idea comments they wrote) and their
  erasure;
- a candidate: their anonymisation and erasure;
- a record (`object_type` + `object_id`): that record, and for a vacancy
  every candidate of it; audit entries about a held record are kept too.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from bewigan.core.personal_data_types import ActiveHolds
from bewigan.core.services import audit_record
from bewigan.partners.boundaries import HR, organisations_in_reach, person_in_reach
from bewigan.people.models import Person

from . import registry
from .models import LegalHold, SubjectAccessRequest

__all__ = ["ActiveHolds", "active_holds", "holdable_records"]

# Records that can be held on their own, with the words HR sees and how to
# find the organisation each belongs to (None: the partnership's): each app
# declares its own (`holdable`); subject access requests are privacy's.
OWN_HOLDABLE = {
    "privacy.subjectaccessrequest": ("Subject access request", "person__organisation_id")
}


def holdable_records() -> dict[str, tuple[str, str | None]]:
    found = {label: (h.words, h.organisation_path) for label, h in registry.holdable().items()}
    return {**found, **OWN_HOLDABLE}


class HoldError(ValidationError):
    """A hold cannot be placed or released (a message for the person)."""


def active_holds() -> ActiveHolds:
    """All active holds in one query."""
    person_ids, user_ids, candidate_ids = set(), set(), set()
    objects: dict[str, set[str]] = {}
    for (
        person_id,
        user_id,
        candidate_id,
        object_type,
        object_id,
    ) in LegalHold.objects.active().values_list(
        "person_id", "person__user_id", "candidate_id", "object_type", "object_id"
    ):
        if person_id:
            person_ids.add(person_id)
            user_ids.add(user_id)
        elif candidate_id:
            candidate_ids.add(candidate_id)
        elif object_type:
            objects.setdefault(object_type, set()).add(object_id)
    return ActiveHolds(
        person_ids=frozenset(person_ids),
        user_ids=frozenset(user_ids),
        candidate_ids=frozenset(candidate_ids),
        objects={k: frozenset(v) for k, v in objects.items()},
    )


# --- Reads, scoped to the HR admin ----------------------------------------------------


def _record_organisation_id(label: str, obj) -> int | None:
    path = holdable_records()[label][1]
    if path is None:
        return None
    model = type(obj)
    return model._default_manager.filter(pk=obj.pk).values_list(path, flat=True).first()


def record_for_hold(*, user, object_type: str, object_id: str):
    """The record `object_type` #`object_id` if the user may hold it, else
    None (missing and out of reach answer alike)."""
    if object_type not in holdable_records() or not str(object_id).strip().isdigit():
        return None
    model = apps.get_model(object_type)
    obj = model._default_manager.filter(pk=int(object_id)).first()
    if obj is None or not _record_in_reach(user, object_type, obj):
        return None
    return obj


def _record_in_reach(user, label: str, obj) -> bool:
    if user.is_superuser:
        return True
    if holdable_records()[label][1] is None:
        return True  # the partnership's record
    org_id = _record_organisation_id(label, obj)
    return org_id is not None and org_id in organisations_in_reach(user, HR)


def hold_in_reach(user, hold: LegalHold) -> bool:
    if hold.person_id:
        return person_in_reach(user, hold.person, HR)
    if hold.candidate_id:
        return user.is_superuser or (
            registry.candidates().organisation_id(hold.candidate)
            in organisations_in_reach(user, HR)
        )
    if hold.object_type not in holdable_records():
        return user.is_superuser
    obj = _held_record(hold)
    if obj is None:
        return user.is_superuser or holdable_records()[hold.object_type][1] is None
    return _record_in_reach(user, hold.object_type, obj)


def _held_record(hold: LegalHold):
    if hold.object_type not in holdable_records() or not hold.object_id.isdigit():
        return None
    model = apps.get_model(hold.object_type)
    return model._default_manager.filter(pk=int(hold.object_id)).first()


def hold_target_label(hold: LegalHold) -> str:
    """What the hold is on, in words."""
    if hold.person_id:
        return f"{hold.person.name} (staff, {hold.person.organisation.label})"
    if hold.candidate_id:
        return f"{hold.candidate.name} (candidate, {hold.candidate.vacancy.reference})"
    kind = holdable_records().get(hold.object_type, (hold.object_type, None))[0]
    obj = _held_record(hold)
    return f"{kind} #{hold.object_id}" + (f": {obj}" if obj is not None else "")


def holds_visible_to(*, user, active: bool = True) -> list[LegalHold]:
    """Holds the user may see: on people and candidates in reach, and on
    records in reach. Holds are few, so records are resolved one by one."""
    qs = LegalHold.objects.select_related(
        "person__user",
        "person__organisation",
        "candidate__vacancy",
        "placed_by",
        "released_by",
    )
    qs = qs.active() if active else qs.filter(released_at__isnull=False)
    if user.is_superuser:
        holds = list(qs)
    else:
        reach = sorted(organisations_in_reach(user, HR))
        holds = list(
            qs.filter(
                Q(person__organisation_id__in=reach)
                | Q(candidate__vacancy__organisation_id__in=reach)
                | Q(person__isnull=True, candidate__isnull=True)
            )
        )
        holds = [h for h in holds if h.person_id or h.candidate_id or hold_in_reach(user, h)]
    for hold in holds:
        hold.target_label = hold_target_label(hold)
    return holds


def hold_get_for_user(*, user, pk: int) -> LegalHold | None:
    hold = (
        LegalHold.objects.select_related(
            "person__user", "person__organisation", "candidate__vacancy"
        )
        .filter(pk=pk)
        .first()
    )
    if hold is None or not hold_in_reach(user, hold):
        return None
    hold.target_label = hold_target_label(hold)
    return hold


def holds_blocking_person(person: Person) -> QuerySet[LegalHold]:
    """Active holds that stop `person`'s erasure: on them, on one of their
    candidacies, or on one of their own records (as each app declares them)."""
    own = Q(person=person) | Q(candidate__appointed_person=person)
    records = [
        pair for d in registry.declarations() for find in d.person_records for pair in find(person)
    ]
    records.append(
        ("privacy.subjectaccessrequest", SubjectAccessRequest.objects.filter(person=person))
    )
    for label, qs in records:
        ids = [str(pk) for pk in qs.values_list("pk", flat=True)]
        if ids:
            own |= Q(object_type=label, object_id__in=ids)
    return LegalHold.objects.active().filter(own)


def holds_blocking_candidate(candidate) -> QuerySet[LegalHold]:
    """Active holds that stop a candidate's anonymisation or erasure."""
    return LegalHold.objects.active().filter(registry.candidates().holds_q(candidate))


# --- Writes --------------------------------------------------------------------------


def _require(user):
    if not user.has_perm("privacy.manage_legal_holds"):
        raise PermissionDenied


@transaction.atomic
def hold_place(
    *,
    user,
    reason: str,
    person: Person | None = None,
    candidate=None,
    object_type: str = "",
    object_id: str = "",
) -> LegalHold:
    """Place a hold on exactly one of: a person, a candidate, a record."""
    _require(user)
    reason = reason.strip()
    if not reason:
        raise HoldError({"reason": "Enter why the records must be kept"})
    targets = [person is not None, candidate is not None, bool(object_type)]
    if sum(targets) != 1:
        raise HoldError("Choose one person, candidate or record to hold")
    subject = None
    if person is not None:
        if not person_in_reach(user, person, HR):
            raise PermissionDenied
        existing = LegalHold.objects.active().filter(person=person)
        subject = person.user
    elif candidate is not None:
        if not (
            user.is_superuser
            or registry.candidates().organisation_id(candidate) in organisations_in_reach(user, HR)
        ):
            raise PermissionDenied
        existing = LegalHold.objects.active().filter(candidate=candidate)
    else:
        obj = record_for_hold(user=user, object_type=object_type, object_id=object_id)
        if obj is None:
            raise HoldError({"object_id": "Enter the number of a record you may place a hold on"})
        object_id = str(obj.pk)
        existing = LegalHold.objects.active().filter(object_type=object_type, object_id=object_id)
    if existing.exists():
        raise HoldError("There is already an active legal hold on this")
    hold = LegalHold.objects.create(
        person=person,
        candidate=candidate,
        object_type=object_type,
        object_id=object_id,
        reason=reason,
        placed_by=user,
        placed_at=timezone.now(),
    )
    audit_record(
        actor=user,
        action="create",
        obj=hold,
        subject=subject,
        reason=reason,
        details={"legal_hold": "placed", "target": _target_key(hold)},
    )
    return hold


@transaction.atomic
def hold_release(*, user, hold: LegalHold, reason: str) -> LegalHold:
    _require(user)
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if not hold_in_reach(user, hold):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise HoldError({"reason": "Enter why the hold can be released"})
    if hold.released_at is not None:
        raise HoldError("This hold has already been released")
    hold.released_at = timezone.now()
    hold.released_by = user
    hold.release_reason = reason
    hold.save(update_fields=["released_at", "released_by", "release_reason"])
    audit_record(
        actor=user,
        action="update",
        obj=hold,
        subject=hold.person.user if hold.person_id else None,
        reason=reason,
        details={"legal_hold": "released", "target": _target_key(hold)},
    )
    return hold


def _target_key(hold: LegalHold) -> str:
    if hold.person_id:
        return f"people.person:{hold.person_id}"
    if hold.candidate_id:
        return f"recruitment.candidate:{hold.candidate_id}"
    return f"{hold.object_type}:{hold.object_id}"
