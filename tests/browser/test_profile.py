import re

from playwright.sync_api import expect


def test_staff_signs_in_and_sees_their_profile(page, live_server, sign_in, axe, staff, mfa_exempt):
    sign_in(staff, next_path="/people/me/")
    expect(page).to_have_url(re.compile(r"/people/me/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Turner")
    expect(page.get_by_text("Priya Shah")).to_be_visible()
    expect(page.get_by_role("heading", name="Our values")).to_be_visible()
    axe(page)


def test_sign_in_page_is_accessible(page, live_server, axe):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe(page)


def test_values_page_is_accessible(page, live_server, sign_in, axe, staff):
    sign_in(staff, next_path="/values/")
    expect(page.get_by_role("heading", name="Positive", level=2)).to_be_visible()
    axe(page)


def test_keyboard_user_can_skip_to_main_content(page, live_server, sign_in, staff):
    sign_in(staff, next_path="/people/me/")
    page.goto(f"{live_server.url}/people/me/")  # without the "signed in" banner, which takes focus
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))
