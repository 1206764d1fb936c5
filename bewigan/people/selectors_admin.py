"""Reads for the HR-admin pages: invitations and the audit log. Each is
scoped to the HR admin's own organisation (superusers see every one)."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from bewigan.core.models import AuditEntry
from bewigan.partners.boundaries import HR, organisations_in_reach

from .models import Invitation, Organisation


def admin_organisation_ids(*, user) -> list[int] | None:
    """The organisations an HR admin administers: their own and those that
    granted theirs access for HR (`bewigan.partners.boundaries`); None means
    all (superuser)."""
    if user.is_superuser:
        return None
    return sorted(organisations_in_reach(user, HR))


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


def audit_entries_visible_to(*, user, **filters) -> QuerySet[AuditEntry]:
    """Audit entries the HR admin may read: those about people of their
    organisation, and those without a subject made by people of it. An
    entry about someone in another organisation stays with that
    organisation's HR, whoever made it. `filters` are `audit_filter`'s.
    One query per page (actor and subject are joined), whatever the number
    of entries."""
    qs = AuditEntry.objects.select_related("actor", "subject")
    ids = admin_organisation_ids(user=user)
    if ids is not None:
        qs = qs.filter(
            Q(subject__person__organisation_id__in=ids)
            | Q(subject__isnull=True, actor__person__organisation_id__in=ids)
        )
    return audit_filter(qs, **filters).order_by("-at", "-id")


def _people_match(prefix: str, text: str) -> Q:
    """A person by exact email, or by every word of a name (or part of an
    email) matching their first name, last name or email."""
    text = text.strip()
    if "@" in text and " " not in text:
        return Q(**{f"{prefix}__email__iexact": text})
    q = Q()
    for word in text.split():
        q &= (
            Q(**{f"{prefix}__first_name__icontains": word})
            | Q(**{f"{prefix}__last_name__icontains": word})
            | Q(**{f"{prefix}__email__icontains": word})
        )
    return q


def audit_filter(
    qs: QuerySet[AuditEntry],
    *,
    subject: str = "",
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """Narrow audit entries: `subject` (who the record is about) and `actor`
    (who did it; "system" for automatic jobs) by name or email, the kind of
    record and its id, the action, and a date range (inclusive, UK time)."""
    if subject:
        qs = qs.filter(_people_match("subject", subject))
    if actor:
        if actor.strip().lower() == "system":
            qs = qs.filter(actor__isnull=True)
        else:
            qs = qs.filter(_people_match("actor", actor))
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz))
    if date_to:
        next_day = date_to + datetime.timedelta(days=1)
        qs = qs.filter(at__lt=datetime.datetime.combine(next_day, datetime.time.min, tzinfo=tz))
    return qs


def audit_single_subject(*, text: str):
    """The one user an exact-email subject filter names, or None: an
    export filtered to one person is recorded as being about them."""
    text = (text or "").strip()
    if "@" not in text or " " in text:
        return None
    return get_user_model().objects.filter(email__iexact=text).first()


def audit_object_types(*, user) -> list[str]:
    """The object types present in the entries this user may read (one query)."""
    return list(
        audit_entries_visible_to(user=user)
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
