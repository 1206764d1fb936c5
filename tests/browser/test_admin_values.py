"""HR admin journeys: draft and publish a new values version in the Wagtail
admin, invite someone, read the audit log (axe on our own pages; Wagtail's
admin pages are exempt from the axe check)."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from bewigan.core.services import audit_record
from bewigan.values.models import FrameworkVersion


def test_hr_admin_drafts_edits_and_publishes_a_values_version(
    page, live_server, sign_in, hr_admin, mfa_exempt
):
    sign_in(hr_admin, next_path="/admin/values-framework/")
    expect(page).to_have_url(re.compile(r"/admin/values-framework/$"))
    expect(page.get_by_role("heading", name="BeWigan values", level=2)).to_be_visible()
    page.get_by_role("button", name="Create a new draft version").first.click()
    expect(page).to_have_url(re.compile(r"/admin/snippets/values/value/\?version=\d+"))
    draft = FrameworkVersion.objects.get(framework__slug="bewigan", status="draft")

    page.get_by_role("link", name="Positive").first.click()
    page.locator("#id_name").fill("Positive and kind")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Positive and kind").first).to_be_visible()
    assert draft.values.get(key="positive").name == "Positive and kind"

    start = timezone.localdate() + datetime.timedelta(days=1)
    page.goto(f"{live_server.url}/admin/values-framework/versions/{draft.pk}/publish/")
    page.get_by_label("In use from").fill(start.isoformat())
    page.get_by_label("What changed, and why").fill("Positive now includes kindness.")
    page.get_by_role("button", name="Publish from this date").click()
    expect(page).to_have_url(re.compile(r"/admin/values-framework/$"))
    expect(page.get_by_text("Published, starts later")).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == "published" and draft.effective_from == start


def test_hr_admin_invites_someone_and_reads_the_audit_log(
    page, live_server, sign_in, axe, hr_admin, staff, mfa_exempt
):
    audit_record(
        actor=hr_admin, action="view", obj=staff.person, subject=staff, reason="Checking records"
    )
    sign_in(hr_admin, next_path="/people/invite/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone")
    axe(page)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    axe(page)
    page.get_by_label("Email address").fill("agency.worker@gmail.com")
    page.get_by_label("Wigan Council").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("We have emailed an invitation")).to_be_visible()
    expect(page.get_by_role("cell", name="agency.worker@gmail.com")).to_be_visible()

    page.goto(f"{live_server.url}/people/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(page.get_by_text("Checking records")).to_be_visible()
    axe(page)
    page.get_by_label("Action").select_option("create")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Checking records")).to_have_count(0)
    expect(page.get_by_role("cell", name="agency.worker@gmail.com")).to_be_visible()
    axe(page)
