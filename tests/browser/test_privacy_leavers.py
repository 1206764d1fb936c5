"""Leavers journey: an HR admin marks someone as a leaver; the leaver's open
browser is signed out on its next request; their line manager is told and
opens the handover. axe on every leavers page."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.appraisals.factories import ActionFactory, ConversationFactory


def _sign_in(page, live_server, user, password, next_path="/"):
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()


def test_hr_admin_marks_a_leaver_who_is_signed_out_and_handed_over(
    page, browser, live_server, sign_in, axe, password, hr_admin, staff, line_manager, mfa_exempt
):
    conversation = ConversationFactory(person=staff.person, manager=line_manager.person)
    ActionFactory(conversation=conversation, owner=staff.person, text="Book the first aid course")

    # The leaver is using BeWigan in their own browser.
    leaver_context = browser.new_context()
    leaver_page = leaver_context.new_page()
    _sign_in(leaver_page, live_server, staff, password, next_path="/people/me/")
    expect(leaver_page.get_by_role("heading", level=1)).to_have_text("Sam Turner")

    # HR finds them and marks them as a leaver.
    sign_in(hr_admin, next_path="/data-protection/leavers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Leavers")
    axe(page)
    page.get_by_label("Find someone by name or work email").fill("Turner")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Mark Sam Turner as a leaver").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mark Sam Turner as a leaver")
    axe(page)

    # A mistake first: the error summary and the field error.
    page.get_by_label("Leaving date").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Mark as leaver").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason")
    axe(page)

    page.get_by_label("Reason").fill("Resigned")
    page.get_by_role("button", name="Mark as leaver").click()
    expect(page).to_have_url(re.compile(r"/data-protection/leavers/\d+/handover/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Handover: Sam Turner")
    # HR was not in the my time: the action is named, never quoted.
    expect(page.get_by_text("Book the first aid course")).to_have_count(0)
    expect(page.get_by_text("Agreed in a my time with Priya Shah")).to_be_visible()
    axe(page)

    page.goto(f"{live_server.url}/data-protection/leavers/")
    expect(page.get_by_role("heading", name="Left in the last 90 days")).to_be_visible()
    expect(page.get_by_role("link", name="Handover for Sam Turner")).to_be_visible()
    axe(page)

    # The leaver's next click lands on the sign-in page.
    leaver_page.reload()
    expect(leaver_page).to_have_url(re.compile(r"/accounts/login/"))
    leaver_context.close()

    # Their line manager is told, and reads what needs a new owner.
    page.context.clear_cookies()
    sign_in(line_manager, next_path="/notifications/")
    page.get_by_role("link", name=re.compile("Sam Turner has left")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Handover: Sam Turner")
    expect(page.get_by_role("link", name="Book the first aid course")).to_be_visible()
    axe(page)
