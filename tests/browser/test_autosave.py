"""Autosave in a real browser: a phone user answering a pulse survey or
writing a my-time record loses nothing when the signal drops or the page is
reloaded; the status says when it was saved; local copies are removed once
the server has them. axe on both pages."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from appraisals.models import ConversationDraft
from surveys.models import Draft
from tests.appraisals.factories import ConversationFactory
from tests.surveys.factories import make_survey, make_wave

SAVED = re.compile(r"Saved at \d\d:\d\d")


def _local_copies(page):
    return page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('bw-autosave:')).length"
    )


def test_survey_answers_survive_a_lost_signal_and_a_reload(
    page, live_server, sign_in, axe, staff, organisation
):
    today = timezone.localdate()
    wave = make_wave(
        make_survey(title="Partnership pulse"),
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=9),
        organisations=[organisation],
    )
    page.set_viewport_size({"width": 375, "height": 667})
    sign_in(staff, next_path=f"/surveys/waves/{wave.pk}/answer/")
    status = page.locator("[data-autosave-status]")
    workload = page.get_by_role("group", name="I can manage my workload.")
    workload.get_by_label("Agree", exact=True).check()
    expect(status).to_have_text(SAVED)
    assert Draft.objects.get(person=staff.person, wave=wave).data
    assert _local_copies(page) == 0  # the server has it
    axe(page)

    # The signal drops: the next answer stays on the phone.
    def unreachable(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(re.compile(r".*/answer/$"), unreachable)
    workload.get_by_label("Strongly agree").check()
    expect(status).to_contain_text("Not saved: no connection")
    assert _local_copies(page) == 1

    # Reloaded while the server is still unreachable for saves: put back.
    page.reload()
    workload = page.get_by_role("group", name="I can manage my workload.")
    expect(workload.get_by_label("Strongly agree")).to_be_checked()
    expect(page.locator("[data-autosave-status]")).to_contain_text("Not saved")

    # Back online: saved, and the local copy goes.
    page.unroute(re.compile(r".*/answer/$"))
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED)
    assert _local_copies(page) == 0
    draft = Draft.objects.get(person=staff.person, wave=wave).data
    assert any(values == ["5"] for values in draft.values())

    # Submitting removes the draft (it is never tied to the anonymous answers).
    page.get_by_role("group", name="I get recognition for good work.").get_by_label(
        "Agree", exact=True
    ).check()
    page.get_by_role("group", name="How likely are you to recommend working here?").get_by_label(
        "9", exact=True
    ).check()
    page.get_by_role("group", name="Where do you work?").get_by_role("radio").first.check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert not Draft.objects.filter(person=staff.person).exists()
    assert _local_copies(page) == 0


def test_my_time_record_autosaves_as_you_type(page, live_server, sign_in, axe, staff, line_manager):
    conversation = ConversationFactory(person=staff.person, manager=line_manager.person)
    sign_in(line_manager, next_path=f"/my-time/conversations/{conversation.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record of my time")
    page.get_by_label("What matters to you right now").fill("Finishing the NVQ")
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED)
    draft = ConversationDraft.objects.get(conversation=conversation)
    assert "Finishing the NVQ" in str(draft.data)
    axe(page)
    page.reload()
    expect(page.get_by_label("What matters to you right now")).to_have_value("Finishing the NVQ")
