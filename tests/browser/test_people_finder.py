"""The people finder and colleague pickers in a real browser: search,
paginate, and choose colleagues by keyboard alone (shout-out, 360 raters,
break-glass); the choice works without JavaScript too. axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from appraisals.models import BreakGlassAccess, FeedbackRound, ShoutOut
from tests.conftest import make_persona


@pytest.fixture
def crowd(organisation, team):
    for i in range(23):
        make_persona(
            organisation, team, f"alex{i}@wigan.gov.uk", first_name="Alex", last_name=f"Lee{i:02d}"
        )


def test_find_a_colleague_by_name_team_and_organisation(
    page, live_server, sign_in, axe, staff, colleague, outsider, crowd
):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(staff, next_path="/people/find/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a colleague")
    axe(page)
    page.get_by_label("Name, job title, team or organisation").fill("alex")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="23 colleagues found")).to_be_visible()
    axe(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 375, "height": 740})
    page.get_by_role("link", name=re.compile("Next")).click()
    expect(page.get_by_role("link", name="Alex Lee22")).to_be_visible()
    axe(page)
    page.get_by_label("Name, job title, team or organisation").fill("")
    page.get_by_label("Organisation", exact=True).select_option(label="WWL NHS Trust")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Olu Ade")).to_be_visible()
    page.get_by_role("link", name="Olu Ade").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Olu Ade")


def _pick(page, field, typed, option_name):
    """Keyboard only: type, arrow down to the suggestion, Enter."""
    field.focus()
    field.press_sequentially(typed, delay=40)
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option", name=re.compile(option_name))).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    field.press("ArrowDown")
    expect(field).to_have_attribute("aria-activedescendant", re.compile(".+"))
    field.press("Enter")
    expect(field).to_have_attribute("aria-expanded", "false")


def test_shout_out_and_360_pick_colleagues_by_keyboard(
    page, live_server, sign_in, axe, staff, colleague, line_manager
):
    sign_in(staff, next_path="/my-time/shout-outs/new/")
    recipient = page.get_by_role("combobox", name="Who are you giving it to?")
    _pick(page, recipient, "kai w", "Kai Ward")
    axe(page)
    expect(recipient).to_have_value("Kai Ward (colleague@wigan.gov.uk)")
    page.get_by_role("radio").first.check()
    page.get_by_label("What did they do?").fill("Stayed late to help a family move home.")
    page.get_by_role("button", name=re.compile("Send|Give")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Shout-out sent")
    assert ShoutOut.objects.get().recipient == colleague.person

    page.goto(f"{live_server.url}/my-time/feedback/new/")
    adder = page.get_by_role("combobox", name="Add a colleague by name")
    _pick(page, adder, "kai", "Kai Ward")
    _pick(page, adder, "priya", "Priya Shah")
    raters = page.get_by_label("Who would you like to ask?")
    expect(raters).to_have_value(
        "Kai Ward (colleague@wigan.gov.uk)\nPriya Shah (manager@wigan.gov.uk)\n"
    )
    axe(page)
    page.get_by_label("Closing date").fill("2099-01-31")
    page.get_by_role("button", name="Send requests").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Feedback requested from 2")
    assert FeedbackRound.objects.count() == 1


def test_break_glass_picker_offers_only_people_in_reach(
    page, live_server, sign_in, axe, hr_admin, staff, outsider, mfa_exempt
):
    sign_in(hr_admin, next_path="/my-time/break-glass/")
    person = page.get_by_role("combobox", name="Whose records?")
    person.press_sequentially("olu", delay=40)
    page.wait_for_timeout(600)
    expect(page.get_by_role("option")).to_have_count(0)  # another partner, no grant
    person.fill("")
    _pick(page, person, "sam t", "Sam Turner")
    page.get_by_label("Reason").fill("Grievance investigation agreed with the director today.")
    page.get_by_role("button", name=re.compile("Open|Record|Continue")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Access recorded")
    assert BreakGlassAccess.objects.get().person == staff.person
    axe(page)


@pytest.mark.parametrize("javascript", [False])
def test_a_typed_name_works_without_javascript(
    browser, live_server, password, staff, colleague, javascript
):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/my-time/shout-outs/new/")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("^Sign in$", re.I)).click()
    page.get_by_label("Who are you giving it to?").fill("Kai Ward")
    page.get_by_role("radio").first.check()
    page.get_by_label("What did they do?").fill("Covered my visits when my car broke down.")
    page.get_by_role("button", name=re.compile("Send|Give")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Shout-out sent")
    context.close()


def test_panellist_picker_offers_the_panels_organisations_by_keyboard(
    page,
    live_server,
    sign_in,
    axe,
    recruiting_manager,
    colleague,
    outsider,
    organisation,
    mfa_exempt,
):
    from recruitment.models import PanelMember
    from tests.recruitment.factories import VacancyFactory

    vacancy = VacancyFactory(organisation=organisation, recruiting_manager=recruiting_manager)
    sign_in(recruiting_manager, next_path=f"/recruitment/vacancies/{vacancy.pk}/")
    field = page.get_by_role("combobox", name="Who should sit on the panel?")
    field.press_sequentially("olu", delay=40)
    page.wait_for_timeout(600)
    expect(page.get_by_role("option")).to_have_count(0)  # another partner, not in reach
    field.fill("")
    _pick(page, field, "kai", "Kai Ward")
    axe(page)
    page.get_by_role("button", name="Add to the panel").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Added")
    assert PanelMember.objects.filter(vacancy=vacancy, user=colleague).exists()
