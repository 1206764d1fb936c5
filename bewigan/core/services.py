"""Writes and side effects shared by every app: audit and notifications."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from .logging import current_request_id
from .models import AuditEntry, Notification


def audit_record(
    *,
    actor,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    subject=None,
    reason: str = "",
    details: dict | None = None,
) -> AuditEntry:
    """Append one entry to the audit log. Never raises for a missing actor."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_repr=str(obj)[:200] if obj is not None else "",
        subject=subject,
        reason=reason,
        details=details or {},
        request_id=current_request_id() or "",
    )


def notify(
    *, recipient, title: str, body: str = "", url: str = "", kind: str = "", email: bool = True
) -> Notification:
    """Create an on-site notification and send the email in the background.

    The email is enqueued after the surrounding transaction commits, so a
    rolled-back change never sends a message.
    """
    notification = Notification.objects.create(
        recipient=recipient, title=title[:200], body=body, url=url, kind=kind
    )
    if email and recipient.email and recipient.is_active:
        from .tasks import notification_send_email

        transaction.on_commit(lambda: notification_send_email.enqueue(notification.pk))
    return notification


def notification_mark_read(*, user, notification_ids=None) -> int:
    qs = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
