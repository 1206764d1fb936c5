"""Demo data for subject access (`manage.py seed_demo`): one completed
request by the demo data protection officer (dpo@wigan.gov.uk) for the demo member of staff
(staff@wigan.gov.uk, Sam Turner), with the other people's names found in
their records reviewed (names the pack already shows in its own fields
released, any others redacted; the manager's private notes released, as the
law expects), so that /data-protection/subject-access/
has a pack ready to download.

Runs through the real services, after the appraisals seeder (whose my time
history, private note and shout-outs make up most of the pack), and
downloads it once, so the demo line manager is told that her private note
was released, as she would be. Idempotent: nothing happens if the demo request already exists.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from bewigan.people.models import Person

from . import sar
from .demo_dpo import DPO_SIGN_IN
from .models import SubjectAccessMention, SubjectAccessRequest

REFERENCE = "SAR-2026-014"
REASON = (
    "Sam Turner asked by email on 2 March for a copy of everything held about them "
    "(information governance log IG-2026-031)."
)


def seed(stdout=None) -> dict:
    existing = SubjectAccessRequest.objects.filter(reference=REFERENCE).first()
    if existing is None:
        hr = get_user_model().objects.filter(email=DPO_SIGN_IN.email).first()
        person = (
            Person.objects.select_related("user", "line_manager__user")
            .filter(user__email="staff@wigan.gov.uk")
            .first()
        )
        if hr is None or person is None:
            return _summary(stdout, None)
        existing = sar.sar_start(
            actor=hr,
            person=person,
            reference=REFERENCE,
            reason=REASON,
            received_on=timezone.localdate() - datetime.timedelta(days=5),
            received_via=SubjectAccessRequest.Channel.EMAIL,
        )
        # With the immediate task backend (`make run`) the work is done by
        # now; with a task worker, do it here so the demo is complete.
        sar.sar_generate(request_id=existing.pk)
        existing.refresh_from_db()
        shown = _names_in_own_fields(existing.data)
        decisions = {
            m.pk: (
                SubjectAccessMention.Decision.RELEASE
                if m.name in shown or m.kind == SubjectAccessMention.Kind.CONFIDENTIAL
                else SubjectAccessMention.Decision.REDACT
            )
            for m in existing.mentions.all()
        }
        if decisions:
            sar.sar_review(actor=hr, sar=existing, decisions=decisions)
        sar.sar_build_archive(request_id=existing.pk)
        existing.refresh_from_db()
        if existing.status == SubjectAccessRequest.Status.READY:
            sar.sar_download(actor=hr, sar=existing)  # released to Sam
            existing.refresh_from_db()
    return _summary(stdout, existing)


def _names_in_own_fields(data: dict) -> set[str]:
    """Values of the pack's structured fields (a shout-out's "To", a
    conversation's manager): a name there is already in the person's record."""
    return {
        record[key]
        for section in data["sections"]
        for record in section["records"]
        for key, _label, kind in section["fields"]
        if kind == "text" and isinstance(record.get(key), str)
    }


def _summary(stdout, request) -> dict:
    summary = {
        "request": request.reference if request else None,
        "status": request.status if request else None,
        "mentions": request.mentions.count() if request else 0,
    }
    if stdout is not None and request is not None:
        stdout.write(
            f"  subject access {request.reference}: {request.get_status_display().lower()}, "
            f"{summary['mentions']} name(s) reviewed"
        )
    return summary
