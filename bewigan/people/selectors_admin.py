"""Reads for the HR-admin pages: invitations and the audit log. Each is
scoped to the HR admin's own organisation (superusers see every one)."""

from django.db.models import Q, QuerySet

from bewigan.core.models import AuditEntry

from .models import Invitation, Organisation
from .roles import person_of


def admin_organisation_ids(*, user) -> list[int] | None:
    """The organisations an HR admin administers; None means all (superuser)."""
    if user.is_superuser:
        return None
    me = person_of(user)
    return [me.organisation_id] if me is not None else []


def invitable_organisations(*, user) -> QuerySet[Organisation]:
    ids = admin_organisation_ids(user=user)
    qs = Organisation.objects.order_by("name")
    return qs if ids is None else qs.filter(pk__in=ids)


def pending_invitations(*, user, limit: int = 50) -> QuerySet[Invitation]:
    qs = Invitation.objects.filter(accepted_at__isnull=True).select_related(
        "organisation", "invited_by"
    )
    ids = admin_organisation_ids(user=user)
    if ids is not None:
        qs = qs.filter(organisation_id__in=ids)
    return qs.order_by("-created_at")[:limit]


def audit_entries_visible_to(
    *, user, person: str = "", action: str = "", object_type: str = ""
) -> QuerySet[AuditEntry]:
    """Audit entries about people in the HR admin's organisation, or made by
    them: the subject or the actor belongs to it. One query per page
    (actor and subject are joined), whatever the number of entries."""
    qs = AuditEntry.objects.select_related("actor", "subject")
    ids = admin_organisation_ids(user=user)
    if ids is not None:
        qs = qs.filter(
            Q(subject__person__organisation_id__in=ids) | Q(actor__person__organisation_id__in=ids)
        )
    if person:
        qs = qs.filter(Q(actor__email__iexact=person) | Q(subject__email__iexact=person))
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    return qs.order_by("-at", "-id")


def audit_object_types(*, user) -> list[str]:
    """The object types present in the entries this user may read (one query)."""
    return list(
        audit_entries_visible_to(user=user)
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
