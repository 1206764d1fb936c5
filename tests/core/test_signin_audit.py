"""Sign-ins and sign-outs are recorded in the audit log, about the account."""

import pytest
from django.urls import reverse

from bewigan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_sign_in_and_out_are_audited(client, staff, password):
    response = client.post(reverse("account_login"), {"login": staff.email, "password": password})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SIGN_IN, subject=staff)
    assert entry.actor == staff
    assert entry.details["event"] == "signed in"
    assert password not in str(entry.details)

    client.post(reverse("account_logout"))
    events = list(
        AuditEntry.objects.filter(action=AuditEntry.Action.SIGN_IN, subject=staff)
        .order_by("id")
        .values_list("details__event", flat=True)
    )
    assert events == ["signed in", "signed out"]


def test_failed_sign_in_writes_no_sign_in_entry(client, staff):
    client.post(reverse("account_login"), {"login": staff.email, "password": "wrong-password"})
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SIGN_IN).exists()
