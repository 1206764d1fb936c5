from playwright.sync_api import expect


def test_hr_admin_reaches_every_data_protection_tool(
    page, live_server, sign_in, axe, hr_admin, mfa_exempt
):
    sign_in(hr_admin, next_path="/data-protection/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data protection")
    axe(page)
    page.get_by_role("link", name="Retention schedule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention schedule")
