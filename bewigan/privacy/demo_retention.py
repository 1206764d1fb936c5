"""Demo data for the retention schedule (`manage.py seed_demo`): a rule per
kind at its default, a few notifications old enough to expire, one legal
hold placed by the demo HR admin and one dry run, so that
/data-protection/retention/ and /data-protection/holds/ have something to show.

Idempotent: rules are created once, the notifications, hold and dry run only
when there is no run yet. Runs after the other capabilities' seeders, whose
records the dry run counts.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bewigan.core.models import Notification
from bewigan.people.demo import DEMO_SIGN_INS
from bewigan.people.models import Person

from .holds import hold_place
from .models import LegalHold, RetentionRule, RetentionRun
from .retention import KINDS, retention_run

HR_EMAIL = "hr@wigan.gov.uk"
HOLD_REASON = (
    "Employment tribunal claim ET/2403117/2026 (unfair dismissal). Keep every record "
    "until the case and any appeal are closed."
)


@transaction.atomic
def seed(stdout=None) -> dict:
    created = {"rules": 0, "notifications": 0, "holds": 0, "dry_runs": 0}
    long_ago = timezone.now() - timedelta(days=400)
    for kind in KINDS:
        _, new = RetentionRule.objects.get_or_create(
            kind=kind.key,
            defaults={"period_months": kind.default_months, "updated_at": long_ago},
        )
        created["rules"] += new
    hr = get_user_model().objects.filter(email=HR_EMAIL).first()
    if hr is None or RetentionRun.objects.exists():
        return _report(created, stdout)

    staff = get_user_model().objects.filter(email="staff@wigan.gov.uk").first()
    if staff is not None:
        for months in (13, 14, 15):
            note = Notification.objects.create(
                recipient=staff,
                title="Your my time is coming up",
                body="Add talking points to your next my time.",
                kind="demo_old",
            )
            Notification.objects.filter(pk=note.pk).update(
                created_at=timezone.now() - timedelta(days=months * 31),
                read_at=timezone.now() - timedelta(days=months * 31 - 1),
            )
            created["notifications"] += 1

    demo_emails = [d.email for d in DEMO_SIGN_INS]
    held = (
        Person.objects.filter(organisation=hr.person.organisation)
        .exclude(user__email__in=demo_emails)
        .order_by("employee_number")
        .first()
    )
    if held is not None and not LegalHold.objects.exists():
        hold_place(user=hr, person=held, reason=HOLD_REASON)
        created["holds"] += 1

    retention_run(dry_run=True, user=hr)
    created["dry_runs"] += 1
    return _report(created, stdout)


def _report(created, stdout):
    if stdout:
        stdout.write(f"privacy (retention): {created}\n")
    return created
