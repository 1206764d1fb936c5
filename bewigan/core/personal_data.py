"""Core's personal data (issue #16): the account and its sign-in methods,
sign-in history, notifications and the audit log. Run by bewigan.privacy
through settings.BEWIGAN_PERSONAL_DATA.

Erasure closes and anonymises the account, deletes the person's own
notifications and replaces their name and email in notifications written
to other people. The audit log is kept (accountability, UK GDPR Art.
5(2)): entries about the erased person stay, with the words they were
written with, until the retention schedule removes them.
"""

from __future__ import annotations

import secrets
from collections import Counter

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.db.models import Q
from wagtail.users.models import UserProfile

from .models import AUDIT_RETENTION_FLOOR, AuditEntry, Notification
from .personal_data_types import (
    AUDIT_FIELDS,
    DELETE,
    FREE,
    FreeText,
    Holdable,
    PersonalData,
    RetentionKind,
    Subject,
    audit_rows,
    delete_all,
    deleted,
    details_text,
    section,
)

ERASED_FIRST_NAME = "Erased"
ERASED_LAST_NAME = "person"
ERASED_EMAIL_DOMAIN = "erased.invalid"  # reserved (RFC 2606): never delivers

# --- Subject access ------------------------------------------------------------------


def _sign_in(s: Subject) -> list[dict]:
    u = s.user
    emails = section(
        "email_addresses",
        "Email addresses",
        "Email addresses on your account.",
        [("email", "Email", "text"), ("verified", "Verified", "bool"), ("primary", "Main", "bool")],
        [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=u)
        ],
    )
    methods = section(
        "sign_in_methods",
        "Sign-in methods",
        "Two-step verification methods and single sign-on accounts linked to your account "
        "(never the secrets themselves).",
        [
            ("method", "Method", "text"),
            ("identifier", "Identifier", "text"),
            ("added", "Added", "datetime"),
            ("last_used", "Last used", "datetime"),
        ],
        [
            {
                "method": a.get_type_display(),
                "identifier": "",
                "added": a.created_at,
                "last_used": a.last_used_at,
            }
            for a in Authenticator.objects.filter(user=u).order_by("created_at")
        ]
        + [
            {
                "method": f"Single sign-on ({a.provider})",
                "identifier": a.uid,
                "added": a.date_joined,
                "last_used": a.last_login,
            }
            for a in SocialAccount.objects.filter(user=u).order_by("date_joined")
        ],
    )
    history = section(
        "sign_in_history",
        "Sign-in history",
        "Each recorded sign-in to your account. Your most recent sign-in is also in your "
        "profile above.",
        [("at", "When", "datetime"), ("details", "Details", "text")],
        [
            {"at": e.at, "details": details_text(e.details)}
            for e in AuditEntry.objects.filter(action=AuditEntry.Action.SIGN_IN)
            .filter(Q(actor=u) | Q(subject=u))
            .order_by("at")
        ],
    )
    return [emails, methods, history]


def _notifications(s: Subject) -> list[dict]:
    return [
        section(
            "notifications",
            "Notifications",
            "Messages BeWigan sent you on the site (and by email).",
            [
                ("when", "Sent", "datetime"),
                ("title", "Title", FREE),
                ("body", "Message", FREE),
                ("link", "Link", "text"),
                ("read", "Read", "datetime"),
                ("emailed", "Emailed", "datetime"),
            ],
            [
                {
                    "when": n.created_at,
                    "title": n.title,
                    "body": n.body,
                    "link": n.url,
                    "read": n.read_at,
                    "emailed": n.emailed_at,
                }
                for n in Notification.objects.filter(recipient=s.user).order_by("created_at", "id")
            ],
        )
    ]


def _audit(s: Subject) -> list[dict]:
    u, p = s.user, s.person
    entries = (
        AuditEntry.objects.filter(
            Q(subject=u) | Q(object_type="people.person", object_id=str(p.pk))
        )
        .exclude(action=AuditEntry.Action.SIGN_IN)
        .select_related("actor")
        .order_by("at", "id")
    )
    return [
        section(
            "audit",
            "Audit log entries about you",
            "Each time someone viewed, changed or exported a sensitive record about you, who did "
            "it and why, as written in BeWigan's audit log.",
            AUDIT_FIELDS,
            audit_rows(entries),
        )
    ]


# --- Erasure -------------------------------------------------------------------------


def erase_person(person, now) -> Counter:
    """Their notifications and every way in go; the account becomes
    "Erased person" and cannot sign in (Django refuses inactive users)."""
    counts: Counter = Counter()
    user = person.user
    deleted(counts, "notifications", Notification.objects.filter(recipient=user))
    for model in (EmailAddress, Authenticator, SocialAccount):
        deleted(counts, "sign_in_methods", model.objects.filter(user=user))
    anonymise_account(user)
    counts["account"] = 1
    return counts


def anonymise_account(user) -> None:
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


# --- Retention -----------------------------------------------------------------------


def _audit_due(cutoff, holds, *, with_holds: bool = True):
    qs = AuditEntry.objects.filter(at__lt=cutoff.moment)
    if with_holds and holds:
        qs = qs.exclude(holds.audit_q())
    return {"entries": qs}


def _audit_apply(querysets, cutoff, reason: str) -> int:
    return querysets["entries"].retention_delete_before(cutoff.moment)


def _notifications_due(cutoff, holds, *, with_holds: bool = True):
    qs = Notification.objects.filter(created_at__lt=cutoff.moment)
    if with_holds:
        qs = qs.exclude(recipient_id__in=sorted(holds.user_ids))
    return {"notifications": qs}


AUDIT_LOG = RetentionKind(
    key="audit_log",
    label="Audit log entries",
    records="Entries of who viewed or changed sensitive records, and why.",
    starts="after the entry was written",
    action=DELETE,
    default_months=72,
    minimum_months=24,
    legal_basis=(
        "Accountability (UK GDPR Art. 5(2)): evidence of lawful access for as long as a "
        "complaint or claim about it can be brought (6 years, Limitation Act 1980). "
        f"The database never lets entries younger than {AUDIT_RETENTION_FLOOR.days} days go."
    ),
    held_by="a hold on the person the entry is about or who made it, or on the record",
    due=_audit_due,
    apply=_audit_apply,
)
NOTIFICATIONS = RetentionKind(
    key="notifications",
    label="Notifications",
    records="On-site notifications, read or not.",
    starts="after they were sent",
    action=DELETE,
    default_months=12,
    minimum_months=3,
    legal_basis="Only needed to tell someone something (UK GDPR Art. 5(1)(e)).",
    held_by="a hold on the recipient",
    due=_notifications_due,
    apply=delete_all,
)


DECLARATION = PersonalData(
    app="core",
    person_sections=[
        (20, "Sign-in history", _sign_in),
        (900, "Notifications", _notifications),
        (950, "Audit log", _audit),
    ],
    erase_person=[erase_person],
    count_labels={
        "account": "Account anonymised and closed",
        "sign_in_methods": "Email addresses, passkeys and other sign-in methods",
        "notifications": "Notifications",
        "notifications_scrubbed": "Other people's notifications no longer naming them",
    },
    # Notifications to other people often name the person ("Sam Staff has
    # left", "… asked for 360 feedback"): erasure replaces the name there.
    free_text=[FreeText("core.Notification", ("title", "body"))],
    kept_after_erasure={
        AuditEntry._meta.db_table: "The audit log (accountability, UK GDPR Art. 5(2)): kept "
        "for the retention schedule's period, including the entry recording the erasure",
    },
    retention=[AUDIT_LOG, NOTIFICATIONS],
    holdable=[Holdable("core.auditentry", "Audit log entry", "subject__person__organisation_id")],
)
