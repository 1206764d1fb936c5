"""HR admin journey: upload the shipped example file, check the preview,
confirm, see the result. axe on the upload and preview pages."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from bewigan.people.demo import DEMO_PASSWORD

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "people-example.csv"


@pytest.fixture
def password():
    return DEMO_PASSWORD


@pytest.fixture
def demo_hr_admin(transactional_db):
    from bewigan.people.demo_data import seed

    seed()
    return get_user_model().objects.get(email="hr@wigan.gov.uk")


def test_hr_admin_imports_the_example_file(
    page, live_server, sign_in, axe, demo_hr_admin, mfa_exempt, tmp_path
):
    sign_in(demo_hr_admin, next_path="/people/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import people")
    axe(page)

    # A file with a mistake: row-numbered errors, nothing to confirm.
    bad = tmp_path / "bad.csv"
    bad.write_text(EXAMPLE.read_text().replace("mary.seacole@wigan.gov.uk", "not-an-email"))
    page.get_by_label("HR export file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Row 3: email 'not-an-email' is not a valid email address"
    )
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    axe(page)

    # The example file as shipped: preview, confirm, result.
    page.get_by_role("link", name="Upload a corrected file").click()
    page.get_by_label("HR export file").set_input_files(str(EXAMPLE))
    page.get_by_role("button", name="Upload and check").click()
    expect(page).to_have_url(re.compile(r"/people/import/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    new_row = page.locator(".govuk-summary-list__row", has_text="New people")
    expect(new_row).to_contain_text("8")
    axe(page)

    page.get_by_role("button", name="Import 8 changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People imported")
    expect(page.get_by_text("8 changes from people-example.csv")).to_be_visible()
    axe(page)
    assert get_user_model().objects.filter(email="ada.lovelace@wigan.gov.uk").exists()
