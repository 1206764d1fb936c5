"""A manager and a report prepare, hold and confirm a my time; axe on every
my-time page."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from appraisals import services


def _sign_in_on(page, live_server, user, password, next_path):
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    return page


def test_manager_and_report_prepare_hold_and_confirm_a_my_time(
    page, browser, live_server, sign_in, axe, staff, line_manager, password
):
    meeting = timezone.localdate() + datetime.timedelta(days=7)
    # The report plans the my time and adds a talking point.
    sign_in(staff, next_path="/my-time/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My time")
    axe(page)
    page.get_by_label("Date of the my time").fill(meeting.isoformat())
    page.get_by_role("button", name=re.compile("Plan a my time with Priya Shah")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Turner and Priya Shah")
    page.get_by_label("Add a talking point").fill("I'd like to do the senior course")
    page.get_by_role("button", name="Add talking point").click()
    expect(page.get_by_text("I'd like to do the senior course")).to_be_visible()
    axe(page)
    conversation_url = page.url.split("#")[0]

    # The manager, in another browser context, sees it on the dashboard,
    # adds their own point, writes the record, agrees an action and confirms.
    manager_context = browser.new_context()
    mpage = _sign_in_on(
        manager_context.new_page(), live_server, line_manager, password, "/my-time/team/"
    )
    expect(mpage.get_by_role("heading", level=1)).to_have_text("My team")
    axe(mpage)
    mpage.goto(conversation_url)
    expect(mpage.get_by_text("I'd like to do the senior course")).to_be_visible()
    mpage.get_by_label("Add a talking point").fill("New falls pathway")
    mpage.get_by_role("button", name="Add talking point").click()
    mpage.get_by_role("link", name="Write the record").click()
    expect(mpage.get_by_role("heading", level=1)).to_have_text("Record of my time")
    axe(mpage)
    mpage.get_by_label("4 – Good").check()
    mpage.get_by_label("What matters to you right now").fill("Finishing the NVQ")
    mpage.get_by_label("What is going well").fill("Families' feedback")
    # Dated next week: saving says it was held, so the page asks (issue #14).
    mpage.get_by_label("This my time has already taken place").check()
    mpage.get_by_role("button", name="Save the record").click()
    expect(mpage.get_by_text("Record saved")).to_be_visible()
    mpage.get_by_label("Action", exact=True).fill("Book the senior course")
    mpage.get_by_label("Sam Turner").check()
    mpage.get_by_label("Due date").fill((meeting + datetime.timedelta(days=14)).isoformat())
    mpage.get_by_role("button", name="Add action").click()
    expect(mpage.get_by_role("cell", name="Book the senior course", exact=True)).to_be_visible()
    mpage.get_by_label("Private notes").fill("Check how the home situation is going")
    mpage.get_by_role("button", name="Save private notes").click()
    mpage.get_by_role("button", name="Confirm the record").click()
    expect(mpage.get_by_text("You have confirmed the record.")).to_be_visible()
    axe(mpage)
    manager_context.close()

    # The report sees both talking points and the record (never the private
    # notes), and confirms.
    page.goto(conversation_url)
    expect(page.get_by_text("New falls pathway")).to_be_visible()
    expect(page.get_by_text("Finishing the NVQ")).to_be_visible()
    expect(page.get_by_text("Check how the home situation is going")).to_have_count(0)
    page.get_by_role("button", name="Confirm the record").click()
    expect(page.get_by_text("Record confirmed by both of you.")).to_be_visible()
    expect(page.get_by_text("Confirmed", exact=True)).to_be_visible()
    axe(page)


def test_every_other_my_time_page_is_accessible(
    page,
    live_server,
    sign_in,
    axe,
    staff,
    colleague,
    line_manager,
    hr_admin,
    team,
    password,
    browser,
    mfa_exempt,
):
    from appraisals.models import FeedbackRequest, SupportRoute
    from bewigan.values.selectors import current_values

    today = timezone.localdate()
    c = services.conversation_plan(actor=staff, person=staff.person, meeting_date=today)
    services.conversation_update(
        actor=line_manager, conversation=c, expected_version=1, data={"wellbeing_score": 2}
    )
    SupportRoute.objects.create(title="Employee assistance", url="https://eap.example/")
    value = current_values().first()
    services.shout_out_give(
        actor=colleague, recipient=staff.person, value=value, message="Great work", is_public=True
    )
    fr = services.feedback_round_create(
        actor=staff,
        subject=staff.person,
        raters=[colleague.person],
        message="",
        closes_on=today + datetime.timedelta(days=5),
    )
    tt = services.team_time_create(actor=line_manager, team=team, meeting_date=today)
    services.private_note_save(actor=line_manager, conversation=c, text="note")

    sign_in(staff, next_path="/my-time/")
    for path in [
        f"/my-time/conversations/{c.pk}/",
        f"/my-time/people/{staff.person.pk}/",
        "/my-time/shout-outs/",
        "/my-time/shout-outs/new/",
        "/my-time/feedback/",
        "/my-time/feedback/new/",
        f"/my-time/feedback/{fr.pk}/",
        "/my-time/team-time/",
        f"/my-time/team-time/{tt.pk}/",
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        axe(page)

    ctx = browser.new_context()
    p2 = _sign_in_on(ctx.new_page(), live_server, colleague, password, "/my-time/feedback/")
    req = FeedbackRequest.objects.get(round=fr)
    p2.goto(f"{live_server.url}/my-time/feedback/requests/{req.pk}/")
    axe(p2)
    p2.get_by_role("button", name="Send feedback").click()  # empty: error summary
    expect(p2.get_by_text("There is a problem")).to_be_visible()
    axe(p2)
    ctx.close()

    ctx = browser.new_context()
    p3 = _sign_in_on(ctx.new_page(), live_server, line_manager, password, "/my-time/private-notes/")
    axe(p3)
    ctx.close()

    ctx = browser.new_context()
    p4 = _sign_in_on(ctx.new_page(), live_server, hr_admin, password, "/my-time/coverage/")
    expect(p4.get_by_role("heading", level=1)).to_have_text("My time coverage")
    axe(p4)
    route = SupportRoute.objects.get()
    for path in [
        "/my-time/support-routes/",
        f"/my-time/support-routes/{route.pk}/",
        "/my-time/break-glass/",
    ]:
        p4.goto(f"{live_server.url}{path}")
        axe(p4)
    p4.get_by_role("combobox", name="Whose records?").fill("staff@wigan.gov.uk")
    p4.get_by_label("Reason").fill("Formal grievance GR-2026-14 investigation")
    p4.get_by_role("button", name="Open the records").click()
    expect(p4.get_by_role("heading", level=1)).to_have_text("Records of Sam Turner")
    axe(p4)
    ctx.close()
