"""HR admin journey: the data-sharing grants register in the Wagtail admin.
List and filter, record a grant from their own organisation, inspect and
revoke it; axe on each page."""

import re

from playwright.sync_api import expect

from bewigan.partners.models import DataSharingGrant
from tests.privacy.grants import make_grant


def test_hr_admin_lists_records_and_revokes_a_grant(
    page, live_server, sign_in, axe, hr_admin, organisation, other_organisation, mfa_exempt
):
    make_grant(other_organisation, organisation, "surveys", agreement_reference="DSA-RECEIVED")
    make_grant(other_organisation, organisation, "hr", "revoked", agreement_reference="DSA-OLD")

    sign_in(hr_admin, next_path="/admin/data-sharing-grants/")
    expect(page).to_have_url(re.compile(r"/admin/data-sharing-grants/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Data sharing grants")
    expect(page.get_by_role("link", name="DSA-RECEIVED")).to_be_visible()
    expect(page.get_by_role("link", name="DSA-OLD")).to_be_visible()
    # Again, without the fading "signed in" banner (axe would catch it mid-fade).
    page.goto(f"{live_server.url}/admin/data-sharing-grants/")
    axe(page)

    page.goto(f"{live_server.url}/admin/data-sharing-grants/?status=revoked")
    expect(page.get_by_role("link", name="DSA-OLD")).to_be_visible()
    expect(page.get_by_role("link", name="DSA-RECEIVED")).to_have_count(0)

    page.goto(f"{live_server.url}/admin/data-sharing-grants/new/")
    axe(page)
    # Wagtail's panels share the fields' names, so the fields go by id.
    page.locator("#id_receiving_organisation").select_option(label="WWL NHS Trust")
    page.locator("#id_purpose").select_option("hr")
    page.locator("#id_agreement_reference").fill("DSA-2026-07")
    page.locator("#id_description").fill("Integrated discharge team casework")
    page.get_by_role("button", name="Record grant").click()
    expect(page.get_by_text("Grant recorded")).to_be_visible()
    grant = DataSharingGrant.objects.get(agreement_reference="DSA-2026-07")
    assert grant.sharing_organisation == organisation and grant.recorded_by == hr_admin

    page.goto(f"{live_server.url}/admin/data-sharing-grants/inspect/{grant.pk}/")
    expect(page.get_by_text("Status: Active")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Revoke this grant").click()
    expect(page).to_have_url(re.compile(rf"/revoke/{grant.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Revoke grant")
    page.wait_for_load_state()
    axe(page)
    page.get_by_label("Reason").fill("Team disbanded")
    page.get_by_role("button", name="Revoke grant").click()
    expect(page.get_by_text("Grant revoked")).to_be_visible()
    grant.refresh_from_db()
    assert grant.revoked_at is not None
