"""Data protection officer journey: record a subject access request, watch its progress,
review the names found, download the pack. axe on every page (and on the
pack's own HTML document). The task worker is played by the test: the
dummy backend keeps the work queued until the test runs it, so the status
page is seen refreshing itself."""

import datetime
import io
import json
import re
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bewigan.privacy import sar as services
from bewigan.privacy.models import SubjectAccessRequest
from tests.appraisals.factories import ConversationFactory
from tests.privacy.sar_fixtures import dpo  # noqa: F401

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def history(staff, colleague, line_manager, settings):
    settings.TASKS = DUMMY
    ConversationFactory(
        person=staff.person,
        manager=line_manager.person,
        meeting_date=timezone.localdate() - datetime.timedelta(days=20),
        staff_comments="Kai Ward covered my visits while I was off.",
        recorded_at=timezone.now(),
    )
    return staff


def _request():
    return SubjectAccessRequest.objects.get()


def test_officer_records_reviews_and_downloads_a_pack(
    page,
    live_server,
    sign_in,
    axe,
    dpo,  # noqa: F811
    history,
    mfa_exempt,
    tmp_path,
):
    sign_in(dpo, next_path="/data-protection/subject-access/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Subject access requests")
    axe(page)

    page.get_by_role("link", name="Start a request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a subject access request")
    axe(page)
    page.get_by_label("Find the person").fill("Turner")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("cell", name="Sam Turner", exact=True)).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Choose Sam Turner").click()
    expect(page.get_by_text("staff@wigan.gov.uk")).to_be_visible()
    page.get_by_label("When did the request arrive?").fill(
        (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    )
    page.get_by_role("radio", name="Email").check()
    page.get_by_label("Request reference").fill("SAR-2026-021")
    page.get_by_label("Reason").fill("Request received by email on 3 March")
    axe(page)
    page.get_by_role("button", name="Generate the pack").click()

    # Queued: the status page shows progress and keeps itself up to date.
    expect(page.get_by_role("heading", level=1)).to_have_text("Pack for Sam Turner")
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "0")
    axe(page)
    assert services.sar_generate(request_id=_request().pk) == "review"  # the worker
    expect(page.get_by_role("link", name="Review names")).to_be_visible(timeout=15_000)
    axe(page)

    page.get_by_role("link", name="Review names").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review the pack before release")
    expect(page.locator("mark")).to_have_text("Kai Ward")
    axe(page)
    page.get_by_role("radio", name="Redact the name").check()
    page.get_by_role("button", name="Save decisions").click()
    expect(page.get_by_text("Building the archive")).to_be_visible()
    axe(page)
    assert services.sar_build_archive(request_id=_request().pk) == "ready"  # the worker
    download_link = page.get_by_role("link", name="Download the pack (zip)")
    expect(download_link).to_be_visible(timeout=15_000)
    axe(page)

    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert re.fullmatch(
        r"subject-access-sar-2026-021-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename
    )
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as z:
        html = z.read("subject-access.html").decode()
        data = json.loads(z.read("subject-access.json"))
    assert "Kai" not in html and "Kai" not in json.dumps(data)
    assert "[name redacted] covered my visits" in html
    assert _request().released_at is not None

    # The pack's own document is accessible too.
    page.set_content(html)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your personal information: Sam Turner"
    )
    axe(page)


def test_the_status_page_refreshes_without_javascript(
    browser,
    live_server,
    dpo,  # noqa: F811
    history,
    mfa_exempt,
    password,
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/data-protection/subject-access/new/")
    page.get_by_label("Email").fill(dpo.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.goto(f"{live_server.url}/data-protection/subject-access/new/?person={history.person.pk}")
    page.get_by_label("When did the request arrive?").fill(
        (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    )
    page.get_by_label("Letter").check()
    page.get_by_label("Request reference").fill("SAR-NOJS")
    page.get_by_label("Reason").fill("Request received by post on 4 March")
    page.get_by_role("button", name="Generate the pack").click()
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    services.sar_generate(request_id=_request().pk)
    # The <noscript> refresh (every 5 seconds) brings the next step in.
    expect(page.get_by_role("link", name="Review names")).to_be_visible(timeout=15_000)
    context.close()
