"""The demo has one completed subject access request, built through the
real services; seeding again changes nothing."""

import pytest

from bewigan.core.models import Notification
from bewigan.privacy import demo_dpo, demo_sar
from bewigan.privacy.models import SubjectAccessRequest
from tests.privacy.sar_fixtures import open_pack, section

pytestmark = pytest.mark.django_db


def test_demo_has_one_completed_request_and_is_idempotent():
    from appraisals import demo as appraisals_demo
    from bewigan.people import demo_data

    demo_data.seed()
    appraisals_demo.seed()
    demo_dpo.seed()
    first = demo_sar.seed()
    assert first["status"] == "ready"
    assert demo_sar.seed() == first
    sar = SubjectAccessRequest.objects.get()
    assert sar.subject_label == "Sam Turner" and sar.requested_by.email == "dpo@wigan.gov.uk"
    assert sar.requested_by.groups.filter(name="Data protection officer").exists()
    assert (sar.received_via, sar.released_at is not None) == ("email", True)
    assert Notification.objects.filter(
        recipient__email="staff@wigan.gov.uk", kind="subject_access_recorded"
    ).exists()
    assert not sar.mentions.filter(decision="pending").exists()
    html, data, _ = open_pack(sar.archive)
    assert section(data, "my_time")["records"] and section(data, "private_notes")["records"]
    assert "Check in informally next week" in html  # the demo manager's private note
    assert (
        Notification.objects.filter(
            recipient__email="manager@wigan.gov.uk", kind="subject_access"
        ).count()
        == 1
    )
