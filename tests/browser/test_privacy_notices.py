"""Privacy notices in a real browser: a member of staff opens "How we use
this information" on the survey answer page (expanded, axe), follows its
link to the site privacy notice, and the privacy page passes axe signed out
and on a phone."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from bewigan.privacy.notices import notice_for
from tests.surveys.factories import make_survey, make_wave


def test_staff_read_the_survey_notice_and_the_privacy_page(
    page, live_server, sign_in, axe, staff, organisation
):
    wave = make_wave(make_survey(title="Partnership pulse"), organisations=[organisation])
    sign_in(staff, next_path=reverse("surveys:answer", args=[wave.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership pulse")
    notice = page.locator('[data-privacy-notice="survey_answer"]')
    summary = notice.get_by_text("How we use this information")
    expect(summary).to_be_visible()
    expected = notice_for("survey_answer")
    expect(notice.get_by_text(expected.who_sees)).to_be_hidden()
    summary.click()
    expect(notice.get_by_text(expected.who_sees)).to_be_visible()
    expect(notice).to_contain_text("Nobody sees an individual answer")
    axe(page)

    notice.get_by_role("link", name="How BeWigan uses your information").click()
    expect(page).to_have_url(re.compile(r"/privacy/#notice-survey-answer$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How BeWigan uses your information")
    expect(page.locator("#notice-survey-answer")).to_have_text("Answering a survey")
    axe(page)


def test_privacy_page_signed_out_and_on_a_phone(page, live_server, axe):
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(f"{live_server.url}/privacy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How BeWigan uses your information")
    expect(page.get_by_role("table")).to_contain_text("Raw survey answers")
    axe(page)
