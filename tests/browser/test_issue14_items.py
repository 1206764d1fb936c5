"""Issue #14, one browser test per item: GOV.UK titles and error prefixes,
pulse errors that name their question, agenda post/redirect/get, pagination
contrast, the no-jump body class under CSP, comms editors told about story
drafts, my-time records to print or download, the future my-time warning,
and the audit log in words. axe on every page."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.surveys.factories import make_survey, make_wave


def test_pulse_errors_name_their_question_and_the_title_says_error(
    page, live_server, sign_in, axe, staff, organisation
):
    today = timezone.localdate()
    wave = make_wave(
        make_survey(title="Partnership pulse"),
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=9),
        organisations=[organisation],
    )
    sign_in(staff, next_path=f"/surveys/waves/{wave.pk}/answer/")
    expect(page).to_have_title("Partnership pulse – BeWigan")
    page.get_by_role("button", name="Send my answers").click()
    expect(page).to_have_title("Error: Partnership pulse – BeWigan")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select an answer to question 1: I can manage my workload.")
    expect(summary).not_to_contain_text("This field is required")
    axe(page)


def test_agenda_errors_are_a_get_that_reloading_does_not_repost(
    page, live_server, sign_in, axe, staff
):
    from appraisals import services

    my_time = services.conversation_plan(
        actor=staff, person=staff.person, meeting_date=timezone.localdate()
    )
    detail = reverse("appraisals:conversation_detail", args=[my_time.pk])
    sign_in(staff, next_path=detail)
    page.get_by_role("button", name="Add talking point").click()
    expect(page).to_have_url(re.compile(rf"{detail}#agenda$"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page)
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    page.reload()
    assert posts == []
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page).not_to_have_title(re.compile(r"^Error: "))


def test_pagination_current_page_passes_contrast(page, live_server, sign_in, axe, staff, colleague):
    from appraisals.models import ShoutOut
    from bewigan.values.selectors import current_values

    value = current_values()[0]
    ShoutOut.objects.bulk_create(
        ShoutOut(giver=colleague.person, recipient=staff.person, value=value, message=f"Thanks {i}")
        for i in range(60)
    )
    sign_in(staff, next_path="/my-time/shout-outs/?page=2")
    current = page.locator(".govuk-pagination__item--current a")
    expect(current).to_have_attribute("aria-current", "page")
    expect(current).to_have_text("2")
    colour = current.evaluate("el => getComputedStyle(el).color")
    assert colour == "rgb(255, 255, 255)", colour  # white on the link blue: 5.9:1
    axe(page)


def test_body_class_is_set_before_first_paint_under_the_csp(page, live_server, sign_in, staff):
    violations = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    # Read the class as the body is parsed, before the module script runs.
    page.add_init_script(
        "document.addEventListener('readystatechange', () => {"
        " if (document.readyState === 'interactive')"
        " window.__early = document.body.className; });"
    )
    sign_in(staff, next_path="/my-time/")
    response = page.goto(f"{live_server.url}/my-time/")
    policy = response.headers["content-security-policy"]
    assert re.search(r"script-src 'self' 'nonce-[^']+'", policy), policy
    assert "govuk-frontend-supported" in page.evaluate("window.__early")
    assert violations == []


def test_comms_editor_is_told_about_a_story_draft_and_sees_it_on_the_dashboard(
    page, browser, live_server, sign_in, axe, staff, comms_editor, password, mfa_exempt
):
    from wagtail.models import Page

    from cms.models import StoryIndexPage

    home = Page.objects.get(depth=2)
    home.add_child(instance=StoryIndexPage(title="Innovation stories", slug="stories"))
    sign_in(staff, next_path="/ideas/write-a-story/")
    page.get_by_label("Title").fill("Our huddle moved outdoors")
    page.get_by_label("Summary").fill("Fresh air and shorter meetings")
    page.get_by_label("Your story").fill("We tried it for six weeks.")
    page.get_by_role("button", name=re.compile("Send")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    editor = browser.new_context().new_page()
    editor.goto(f"{live_server.url}/accounts/login/?next=/notifications/")
    editor.get_by_label("Email").fill(comms_editor.email)
    editor.get_by_label("Password").fill(password)
    editor.get_by_role("button", name="Sign in", exact=True).click()
    link = editor.get_by_role("link", name=re.compile("A story draft waits for you"))
    expect(link).to_be_visible()
    axe(editor)
    link.click()
    expect(editor).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    editor.goto(f"{live_server.url}/admin/")
    expect(editor.get_by_role("heading", name="Story drafts waiting for you")).to_be_visible()
    panel = editor.locator("#story-drafts-content")
    expect(panel.get_by_role("link", name="Our huddle moved outdoors")).to_be_visible()


def test_staff_print_and_download_their_my_time_records(
    page, live_server, sign_in, axe, staff, line_manager
):
    from appraisals import services

    c = services.conversation_plan(
        actor=staff, person=staff.person, meeting_date=timezone.localdate()
    )
    services.conversation_update(
        actor=line_manager,
        conversation=c,
        expected_version=1,
        data={"what_matters": "Finishing the NVQ", "wellbeing_score": 4},
    )
    sign_in(staff, next_path=f"/my-time/people/{staff.person.pk}/")
    page.get_by_role("link", name="Print or download your my time records").click()
    expect(page).to_have_title("My time records – BeWigan")
    expect(page.get_by_text("Finishing the NVQ")).to_be_visible()
    axe(page)
    page.emulate_media(media="print")
    expect(page.locator("header.bw-header")).to_be_hidden()
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert "Finishing the NVQ" in text and download.value.suggested_filename.endswith(".csv")


def test_a_future_my_time_warns_before_it_is_recorded_as_held(
    page, live_server, sign_in, axe, staff, line_manager
):
    from appraisals import services

    c = services.conversation_plan(
        actor=staff,
        person=staff.person,
        meeting_date=timezone.localdate() + datetime.timedelta(days=14),
    )
    sign_in(line_manager, next_path=f"/my-time/conversations/{c.pk}/edit/")
    expect(page.locator(".govuk-warning-text")).to_contain_text("which is in the future")
    axe(page)
    page.get_by_label("What matters to you right now").fill("Too early")
    page.get_by_role("button", name="Save the record").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tick the box")
    axe(page)
    page.get_by_label("This my time has already taken place").check()
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_text("Record saved")).to_be_visible()


def test_audit_log_names_kinds_of_record_in_words(
    page, live_server, sign_in, axe, hr_admin, staff, mfa_exempt
):
    from bewigan.core.services import audit_record

    audit_record(
        actor=staff,
        action="update",
        object_type="appraisals.conversation",
        object_id=7,
        subject=staff,
    )
    sign_in(hr_admin, next_path="/people/audit/")
    table = page.locator("main table")
    expect(table).to_contain_text("Conversation 7")
    expect(table).not_to_contain_text("appraisals.conversation")
    expect(page.get_by_label("Kind of record")).to_contain_text("Conversation")
    axe(page)
