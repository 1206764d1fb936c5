"""Partner boundaries: whose people an HR admin or survey admin may act on.

The one rule, used by every app:

    An admin acts within their own organisation. They reach another partner's
    people only while that partner has an active data-sharing grant (for the
    same purpose) to the admin's organisation. Superusers reach everyone.

`organisations_in_reach(user, purpose)` answers it as a set of organisation
ids, cached per request on the user object (one query the first time). The
other helpers are shorthands over it:

- `person_in_reach(user, person, purpose)` / `organisation_in_reach(...)`;
- `filter_in_reach(qs, user, purpose, field="organisation")` for querysets;
- `reach_q(user, purpose, field)` when a Q object is needed inside an OR;
- `has_full_reach(user, purpose)`: every partner is in reach (superusers, or
  an organisation every other partner has granted access to).

A grant is one-way (A shares with B does not let A see B's people), dated
(`starts_on` inclusive, `ends_on` exclusive) and revoked rather than deleted,
so the register keeps the history. Recording and revoking go through
`grant_record` and `grant_revoke`, which write to the audit log.

Purposes: "hr" (people details, the audit log, invitations and imports,
recruitment, appraisals break-glass and coverage, data-protection tools) and
"surveys" (survey results, heatmaps, comments and exports).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from bewigan.core.services import audit_record
from bewigan.people.models import Organisation
from bewigan.people.roles import is_hr_admin, person_of

from .models import DataSharingGrant

HR = DataSharingGrant.Purpose.HR.value
SURVEYS = DataSharingGrant.Purpose.SURVEYS.value
PURPOSES = frozenset({HR, SURVEYS})

_CACHE_ATTR = "_privacy_reach_cache"
# Bumped whenever a grant is saved in this process, so a user object that
# outlives a grant change (a long request, a test) never answers from a stale
# cache. Other processes see the change on their next request.
_grants_version = 0


@receiver(post_save, sender=DataSharingGrant)
@receiver(post_delete, sender=DataSharingGrant)
def _forget_cached_reach(**kwargs):
    global _grants_version
    _grants_version += 1


def _purpose(purpose: str) -> str:
    purpose = str(purpose)
    if purpose not in PURPOSES:
        raise ValueError(f"Unknown data-sharing purpose {purpose!r}")
    return purpose


def forget_reach(user) -> None:
    """Drop the cached reach (after a user's organisation changes)."""
    if user is not None and hasattr(user, "__dict__"):
        user.__dict__.pop(_CACHE_ATTR, None)


def organisations_in_reach(user, purpose: str) -> frozenset[int]:
    """The organisation ids `user` may act on for `purpose`: their own plus
    those with an active grant to it. Superusers: every organisation.
    Nobody without a staff profile, and no leaver, reaches anyone."""
    purpose = _purpose(purpose)
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None or cached[0] != _grants_version:
        cached = (_grants_version, {})
        setattr(user, _CACHE_ATTR, cached)
    reach = cached[1].get(purpose)
    if reach is None:
        reach = _compute_reach(user, purpose)
        cached[1][purpose] = reach
    return reach


def _compute_reach(user, purpose: str) -> frozenset[int]:
    if user.is_superuser:
        return frozenset(Organisation.objects.values_list("pk", flat=True))
    me = person_of(user)
    if me is None or me.is_leaver:
        return frozenset()
    shared = (
        DataSharingGrant.objects.active()
        .filter(receiving_organisation_id=me.organisation_id, purpose=purpose)
        .values_list("sharing_organisation_id", flat=True)
    )
    return frozenset({me.organisation_id, *shared})


def organisation_in_reach(user, organisation, purpose: str) -> bool:
    """`organisation` may be an Organisation or its id."""
    if organisation is None:
        return False
    pk = getattr(organisation, "pk", organisation)
    return pk in organisations_in_reach(user, purpose)


def person_in_reach(user, person, purpose: str) -> bool:
    return person is not None and person.organisation_id in organisations_in_reach(user, purpose)


def reach_q(user, purpose: str, field: str = "organisation") -> Q:
    """A filter on `<field>` (an Organisation foreign key or its id) limited
    to the organisations in reach; an empty Q (no limit) for superusers."""
    if getattr(user, "is_superuser", False) and user.is_authenticated:
        return Q()
    return Q(**{f"{field}__in": sorted(organisations_in_reach(user, purpose))})


def filter_in_reach(qs: QuerySet, user, purpose: str, field: str = "organisation") -> QuerySet:
    """`qs` limited to rows whose `<field>` organisation is in reach."""
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(reach_q(user, purpose, field))


def has_full_reach(user, purpose: str) -> bool:
    """Every partner organisation is in reach (superusers always)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    reach = organisations_in_reach(user, purpose)
    return bool(reach) and not Organisation.objects.exclude(pk__in=reach).exists()


# --- The grants register ------------------------------------------------------------------


def grants_visible_to(*, user) -> QuerySet[DataSharingGrant]:
    """Grants an HR admin may read: those given or received by their own
    organisation. Superusers read the whole register."""
    qs = DataSharingGrant.objects.select_related(
        "sharing_organisation", "receiving_organisation", "recorded_by"
    )
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser:
        return qs
    me = person_of(user)
    if me is None or not is_hr_admin(user):
        return qs.none()
    return qs.filter(
        Q(sharing_organisation_id=me.organisation_id)
        | Q(receiving_organisation_id=me.organisation_id)
    )


def may_view_grants(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or (is_hr_admin(user) and person_of(user) is not None))
    )


def organisations_user_may_share(user) -> QuerySet[Organisation]:
    """An organisation shares its own people: HR admins record grants from
    their own organisation only. Superusers record any grant."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.order_by("name")
    me = person_of(user)
    if me is None or not is_hr_admin(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=me.organisation_id)


def may_record_grant(user) -> bool:
    return organisations_user_may_share(user).exists()


def may_revoke_grant(user, grant: DataSharingGrant) -> bool:
    """Either side may end a grant; nobody revokes one twice."""
    if grant is None or grant.revoked_at is not None:
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    me = person_of(user)
    return bool(
        is_hr_admin(user)
        and me is not None
        and me.organisation_id in (grant.sharing_organisation_id, grant.receiving_organisation_id)
    )


PURPOSE_LABELS = {HR: "HR", SURVEYS: "Surveys"}


def grant_label(grant: DataSharingGrant) -> str:
    """Short, for headings: "WWL → Council (HR)"."""
    return (
        f"{grant.sharing_organisation.label} → {grant.receiving_organisation.label}"
        f" ({PURPOSE_LABELS.get(grant.purpose, grant.purpose)})"
    )


def grant_status(grant: DataSharingGrant, on: datetime.date | None = None) -> str:
    """ "Active", "Revoked", "Ended" or "Starts later", for listings."""
    on = on or timezone.localdate()
    if grant.revoked_at is not None:
        return "Revoked"
    if grant.ends_on is not None and grant.ends_on <= on:
        return "Ended"
    if grant.starts_on > on:
        return "Starts later"
    return "Active"


@transaction.atomic
def grant_record(
    *,
    user,
    sharing_organisation: Organisation,
    receiving_organisation: Organisation,
    purpose: str,
    agreement_reference: str,
    description: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> DataSharingGrant:
    """Record a grant: `sharing_organisation` lets `receiving_organisation`'s
    admins act on its people for `purpose`. Audited."""
    if not organisations_user_may_share(user).filter(pk=sharing_organisation.pk).exists():
        raise PermissionDenied("You may record grants from your own organisation only.")
    grant = DataSharingGrant(
        sharing_organisation=sharing_organisation,
        receiving_organisation=receiving_organisation,
        purpose=_purpose(purpose),
        agreement_reference=agreement_reference.strip(),
        description=description.strip(),
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    validate_grant(grant)
    grant.save()
    audit_record(
        actor=user,
        action="create",
        obj=grant,
        reason=f"Data-sharing grant {grant.agreement_reference}",
        details={
            "sharing_organisation": sharing_organisation.pk,
            "receiving_organisation": receiving_organisation.pk,
            "purpose": grant.purpose,
            "starts_on": grant.starts_on.isoformat(),
            "ends_on": grant.ends_on.isoformat() if grant.ends_on else None,
        },
    )
    return grant


def validate_grant(grant: DataSharingGrant) -> None:
    """Field errors a person can fix (the database constraints say the same)."""
    errors = {}
    if (
        grant.sharing_organisation_id
        and grant.sharing_organisation_id == grant.receiving_organisation_id
    ):
        errors["receiving_organisation"] = "Choose a different organisation from the one sharing."
    if grant.ends_on is not None and grant.starts_on and grant.ends_on <= grant.starts_on:
        errors["ends_on"] = "The end date must be after the start date."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def grant_revoke(*, user, grant: DataSharingGrant, reason: str = "") -> DataSharingGrant:
    """End a grant now. The row stays in the register with its dates."""
    grant = DataSharingGrant.objects.select_for_update().get(pk=grant.pk)
    if not may_revoke_grant(user, grant):
        raise PermissionDenied("You may not revoke this grant.")
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    audit_record(
        actor=user,
        action="update",
        obj=grant,
        reason=reason.strip() or "Data-sharing grant revoked",
        details={"revoked": True},
    )
    return grant
