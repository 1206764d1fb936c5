"""Fixtures and helpers for the subject access tests (tests/privacy/test_sar*.py).
Import with `from tests.privacy.sar_fixtures import *` so pytest sees the fixtures."""

import datetime
import io
import json
import zipfile

import pytest

from bewigan.people import roles
from bewigan.privacy import sar as services
from bewigan.privacy.models import SubjectAccessRequest
from bewigan.privacy.roles import DATA_PROTECTION_OFFICER
from tests.conftest import make_persona

__all__ = [
    "dpo",
    "other_dpo",
    "other_hr_admin",
    "superuser",
    "start",
    "open_pack",
    "decide",
    "section",
    "REASON",
]

REASON = "Subject access request received by email on 3 March"


@pytest.fixture
def other_hr_admin(other_organisation, settings, mfa_exempt):
    """An HR admin of another partner organisation (no data-sharing grant)."""
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [*settings.BEWIGAN_MFA_EXEMPT_EMAILS, "hr@wwl.nhs.uk"]
    return make_persona(
        other_organisation,
        None,
        "hr@wwl.nhs.uk",
        [roles.HR_ADMIN],
        first_name="Gwen",
        last_name="Owens",
    )


@pytest.fixture
def dpo(organisation, team, settings, mfa_exempt):
    """The data protection officer of the subject's organisation: the only
    role that starts, reviews and releases subject access packs."""
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [*settings.BEWIGAN_MFA_EXEMPT_EMAILS, "dpo@wigan.gov.uk"]
    return make_persona(
        organisation,
        team,
        "dpo@wigan.gov.uk",
        [DATA_PROTECTION_OFFICER],
        first_name="Dana",
        last_name="Price",
    )


@pytest.fixture
def other_dpo(other_organisation, settings, mfa_exempt):
    """A data protection officer of another partner organisation (no grant)."""
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [*settings.BEWIGAN_MFA_EXEMPT_EMAILS, "dpo@wwl.nhs.uk"]
    return make_persona(
        other_organisation,
        None,
        "dpo@wwl.nhs.uk",
        [DATA_PROTECTION_OFFICER],
        first_name="Gwen",
        last_name="Owens",
    )


@pytest.fixture
def superuser(django_user_model, settings, mfa_exempt):
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [*settings.BEWIGAN_MFA_EXEMPT_EMAILS, "root@wigan.gov.uk"]
    return django_user_model.objects.create_superuser(email="root@wigan.gov.uk", password="x")


def start(actor, *, person=None, candidate=None, reference="SAR-2026-001") -> SubjectAccessRequest:
    """Start a request; the immediate task backend generates it at once."""
    sar = services.sar_start(
        actor=actor,
        person=person,
        candidate=candidate,
        reference=reference,
        reason=REASON,
        received_on=datetime.date.today() - datetime.timedelta(days=2),
        received_via="email",
    )
    sar.refresh_from_db()
    return sar


def decide(sar, actor, decision="redact", **by_name) -> SubjectAccessRequest:
    """Decide every mention (`decision`), or by name: decide(sar, dpo, **{"Kai Ward": "release"}).
    Confidential sections are decided by their title."""
    decisions = {
        m.pk: by_name.get(m.name, decision)
        for m in sar.mentions.all()
        if m.name in by_name or not by_name
    }
    services.sar_review(actor=actor, sar=sar, decisions=decisions)
    sar.refresh_from_db()
    return sar


def open_pack(archive: bytes) -> tuple[str, dict, list[str]]:
    """(HTML document, JSON data, file names) from a pack's zip."""
    with zipfile.ZipFile(io.BytesIO(bytes(archive))) as z:
        html = z.read("subject-access.html").decode()
        data = json.loads(z.read("subject-access.json"))
        return html, data, z.namelist()


def section(data: dict, key: str) -> dict:
    return next(s for s in data["sections"] if s["key"] == key)
