"""A partnership-wide HR export in the browser: the council's HR admin, whose
organisation holds the trust's and Community Partners' HR grants, imports
the demo's people-partnership.csv (an alias, team names, a Neighbourhood
column, HR-system headers); the preview says who changes and what."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from bewigan.people.demo import DEMO_PASSWORD
from bewigan.people.models import Person

PARTNERSHIP = Path(__file__).resolve().parents[2] / "docs" / "examples" / "people-partnership.csv"


@pytest.fixture
def password():
    return DEMO_PASSWORD


@pytest.fixture
def demo_hr_admin(transactional_db):
    from bewigan.people.demo_data import seed
    from bewigan.privacy.demo_grants import seed as seed_grants

    seed()
    seed_grants()
    return get_user_model().objects.get(email="hr@wigan.gov.uk")


def test_hr_admin_imports_a_partnership_file(
    page, live_server, sign_in, axe, demo_hr_admin, mfa_exempt
):
    sign_in(demo_hr_admin, next_path="/people/import/")
    expect(page.get_by_text(re.compile("One file can hold people of .*WWL"))).to_be_visible()
    page.get_by_label("HR export file").set_input_files(str(PARTNERSHIP))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.get_by_role("heading", name="Who changes and what")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Sam Turner"))
    expect(row).to_contain_text("Job title: Reablement support worker")
    expect(row).to_contain_text("Senior reablement support worker")
    page.get_by_text("New people (5)").click()
    expect(
        page.get_by_text(re.compile("Mary Anning.*Integrated Neighbourhood Team"))
    ).to_be_visible()
    axe(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1024, "height": 768})
    page.get_by_role("button", name="Import 6 changes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("imported")
    axe(page)
    nurse = Person.objects.select_related("organisation").get(user__email="mary.anning@wwl.nhs.uk")
    assert nurse.organisation.slug == "wwl"
    assert nurse.memberships.get().team.code == "int-leigh"
