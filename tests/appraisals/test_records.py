"""Staff print or download their own my-time records (issue #14)."""

import pytest
from django.urls import reverse

from bewigan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "who,allowed",
    [("staff", True), ("line_manager", True), ("colleague", False), ("hr_admin", False)],
)
def test_only_the_person_and_their_manager_get_the_records(
    request, who, allowed, recorded, private_note, staff, client_for
):
    client = client_for(request.getfixturevalue(who))
    pk = staff.person.pk
    page = client.get(reverse("appraisals:records", args=[pk]))
    csv = client.get(reverse("appraisals:records_export", args=[pk, "csv"]))
    xlsx = client.get(reverse("appraisals:records_export", args=[pk, "xlsx"]))
    if not allowed:
        assert {page.status_code, csv.status_code, xlsx.status_code} == {404}
        assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()
        return
    body = page.content.decode()
    assert page.status_code == 200 and "My course" in body and "Busy but good" in body
    assert "SECRET-NOTE" not in body
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "My course" in text and "SECRET-NOTE" not in text
    assert csv["Content-Disposition"].startswith("attachment;")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    exports = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, subject=staff)
    assert exports.count() == 2


def test_an_unknown_format_is_not_found(staff, client_for):
    response = client_for(staff).get(
        reverse("appraisals:records_export", args=[staff.person.pk, "pdf"])
    )
    assert response.status_code == 404


def test_the_timeline_links_to_the_records(staff, client_for):
    body = client_for(staff).get(reverse("appraisals:timeline", args=[staff.person.pk]))
    assert reverse("appraisals:records", args=[staff.person.pk]) in body.content.decode()
