"""HR admin journey: filter the audit log by the person a record is about,
follow "entries for this record", download the filtered entries as CSV, and
see the download itself in the log. axe on each state of the page."""

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect

from bewigan.core.services import audit_record


def test_hr_admin_filters_and_exports_the_audit_log(
    page, live_server, sign_in, axe, hr_admin, staff, line_manager, outsider, mfa_exempt
):
    audit_record(
        actor=line_manager, action="view", obj=staff.person, subject=staff, reason="My time review"
    )
    audit_record(
        actor=line_manager,
        action="view",
        object_type="recruitment.candidate",
        object_id=42,
        subject=staff,
        reason="=HYPERLINK(1)",
    )
    audit_record(actor=hr_admin, action="view", object_type="recruitment.candidate", object_id=42)
    audit_record(actor=outsider, action="view", subject=outsider, reason="Outsider secret")

    sign_in(hr_admin, next_path="/people/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(page.get_by_text("Outsider secret")).to_have_count(0)
    axe(page)

    # About one person, by name.
    page.get_by_label("About (name or email)").fill("Sam Turner")
    page.get_by_role("button", name="Filter").click()
    table = page.locator("table")
    expect(table.locator("caption")).to_have_text("2 entries")
    expect(table).to_contain_text("My time review")
    axe(page)

    # Everything about one record, whoever it was about.
    page.get_by_role("link", name=re.compile(r"^Entries for this record \(.* 42\)$")).click()
    expect(page.get_by_label("Record number")).to_have_value("42")
    expect(table.locator("caption")).to_have_text("2 entries")

    # Download the filtered entries.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download as CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("audit-log-")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3
    assert {r[5] for r in rows[1:]} == {"42"}
    assert "'=HYPERLINK(1)" in [r[9] for r in rows]

    # The download is in the log, recorded as an export by the HR admin.
    page.get_by_role("link", name="Clear filters").click()
    page.get_by_label("Action").select_option("export")
    page.get_by_role("button", name="Filter").click()
    expect(table).to_contain_text("Audit log export (CSV, 2 entries)")
    expect(table).to_contain_text("Exported")
    axe(page)

    # A bad date range is explained, accessibly.
    page.get_by_label("From (optional)").fill("2026-03-02")
    page.get_by_label("To (optional)").fill("2026-03-01")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The end date must be the same as or after the start date"
    )
    axe(page)


def test_staff_cannot_open_the_audit_log(page, live_server, sign_in, staff):
    sign_in(staff)
    response = page.goto(f"{live_server.url}/people/audit/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Audit log")
