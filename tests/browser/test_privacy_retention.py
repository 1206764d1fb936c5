"""HR admin journeys for data protection: the retention schedule (view it,
change a period, run a dry run), legal holds (place and release one) and an
erasure request. axe on every page, error states included."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from bewigan.core.models import Notification
from bewigan.privacy.models import ErasureRecord, LegalHold, RetentionRule, RetentionRun
from tests.appraisals.factories import ConversationFactory


def test_hr_admin_changes_the_schedule_runs_a_dry_run_and_places_a_hold(
    page, live_server, sign_in, axe, hr_admin, staff, mfa_exempt
):
    note = Notification.objects.create(recipient=staff, title="Old news")
    Notification.objects.filter(pk=note.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=250)
    )

    sign_in(hr_admin, next_path="/data-protection/retention/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention schedule")
    expect(page.get_by_role("row", name=re.compile("^Notifications"))).to_contain_text("12 months")
    axe(page)

    # Change a period: too short first, then 6 months.
    page.get_by_role("link", name="Change notifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    axe(page)
    page.get_by_label("How long to keep them, in months").fill("1")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Notifications must be kept for at least 3 months"
    )
    axe(page)
    page.get_by_label("How long to keep them, in months").fill("6")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention schedule")
    notifications_row = page.get_by_role("row", name=re.compile("^Notifications"))
    expect(notifications_row).to_contain_text("6 months")
    expect(notifications_row).to_contain_text("Waiting for a dry run")
    assert RetentionRule.objects.get(kind="notifications").period_months == 6

    # A dry run reports what would go, and changes nothing.
    page.get_by_role("button", name="Run a dry run").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dry run on")
    expect(page.get_by_role("row", name=re.compile("^Notifications"))).to_contain_text("1")
    axe(page)
    assert RetentionRun.objects.get().dry_run and Notification.objects.count() == 1
    page.get_by_role("link", name="Back to the retention schedule").click()
    expect(page.get_by_role("row", name=re.compile("^Notifications")).first).to_contain_text(
        "Applied nightly"
    )

    # Place a legal hold on Sam, found by name.
    page.get_by_role("link", name="legal hold").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Legal holds")
    axe(page)
    page.get_by_label("Find a person or candidate").fill("Sam Turner")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Place a hold on Sam Turner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Place a legal hold")
    axe(page)
    page.get_by_role("button", name="Place the hold").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the records must be kept"
    )
    axe(page)
    page.get_by_label("Why must their records be kept?").fill("Tribunal claim ET/2401234/2026")
    page.get_by_role("button", name="Place the hold").click()
    expect(page.get_by_text("Legal hold placed on Sam Turner")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("Tribunal claim ET/2401234/2026")
    axe(page)
    assert LegalHold.objects.active().get().person == staff.person

    # And release it, with a reason.
    page.get_by_role("link", name=re.compile("Release")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Release a legal hold")
    axe(page)
    page.get_by_label("Why can the hold be released?").fill("Claim withdrawn on 3 March")
    page.get_by_role("button", name="Release the hold").click()
    expect(page.get_by_text("Legal hold on Sam Turner")).to_be_visible()
    expect(page.get_by_text("Claim withdrawn on 3 March")).to_be_visible()
    assert not LegalHold.objects.active().exists()


def test_hr_admin_erases_a_person_on_request(
    page, live_server, sign_in, axe, hr_admin, staff, line_manager, mfa_exempt
):
    ConversationFactory(person=staff.person, manager=line_manager.person)
    sign_in(hr_admin, next_path="/data-protection/erasure/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erasure requests")
    axe(page)
    page.get_by_label("Find a person or candidate").fill("Turner")
    page.get_by_role("button", name="Search").click()
    axe(page)
    page.get_by_role("link", name="Erase Sam Turner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase Sam Turner")
    expect(
        page.get_by_role("row", name=re.compile("My time and annual conversations"))
    ).to_contain_text("1")
    axe(page)
    page.get_by_label("Request reference").fill("ER-2026-014")
    page.get_by_label("Reason").fill("Former employee asked by letter; no claims outstanding")
    page.get_by_role("button", name="Erase Sam Turner").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm that you understand this cannot be undone"
    )
    axe(page)
    page.get_by_label("I understand that this cannot be undone").check()
    page.get_by_role("button", name="Erase Sam Turner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erasure ER-2026-014")
    expect(page.get_by_role("row", name=re.compile("Account anonymised"))).to_contain_text("1")
    axe(page)
    assert ErasureRecord.objects.get().subject_id == staff.person.pk
    staff.refresh_from_db()
    assert not staff.is_active and staff.get_full_name() == "Erased person"
