import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appraisals import selectors, services
from appraisals.models import Conversation, ConversationDraft, SupportRoute, TalkingPoint
from bewigan.core.models import AuditEntry, Notification
from bewigan.values.selectors import current_behaviours

pytestmark = pytest.mark.django_db


def test_planning_stores_the_current_manager_and_tells_the_other_person(
    my_time, staff, line_manager
):
    assert my_time.manager == line_manager.person
    assert my_time.person == staff.person
    assert Notification.objects.filter(recipient=line_manager, kind="my_time_planned").exists()


def test_plan_rejects_a_date_far_in_the_past(client_for, staff, today):
    response = client_for(staff).post(
        reverse("appraisals:plan", args=[staff.person.pk]),
        {"meeting_date": (today - datetime.timedelta(days=100)).isoformat()},
    )
    assert response.status_code == 400
    assert "within the last month or in the future" in response.content.decode()
    assert not Conversation.objects.exists()


def test_plan_rejects_a_date_that_is_not_a_date(client_for, staff):
    response = client_for(staff).post(
        reverse("appraisals:plan", args=[staff.person.pk]), {"meeting_date": "31/02/x"}
    )
    assert response.status_code == 400
    assert "must be a real date" in response.content.decode()


def test_both_people_add_talking_points_and_unfinished_ones_carry_over(
    my_time, staff, line_manager, today
):
    services.talking_point_add(actor=staff, conversation=my_time, text="My training course")
    services.talking_point_add(actor=line_manager, conversation=my_time, text="Rota changes")
    done = services.talking_point_add(actor=staff, conversation=my_time, text="Parking")
    services.talking_point_mark(actor=line_manager, point=done, discussed=True)
    later = services.conversation_plan(
        actor=line_manager, person=staff.person, meeting_date=today + datetime.timedelta(days=40)
    )
    carried = list(TalkingPoint.objects.filter(conversation=later).order_by("text"))
    assert [p.text for p in carried] == ["My training course", "Rota changes"]
    assert all(p.carried_over == 1 for p in carried)
    assert TalkingPoint.objects.get(pk=done.pk).conversation == my_time


def test_open_actions_appear_on_the_next_agenda(my_time, staff, line_manager, today):
    action = services.action_add(
        actor=line_manager,
        conversation=my_time,
        owner=staff.person,
        text="Book the course",
        due_date=my_time.meeting_date + datetime.timedelta(days=10),
    )
    later = services.conversation_plan(
        actor=staff, person=staff.person, meeting_date=today + datetime.timedelta(days=40)
    )
    page = selectors.conversation_page(user=staff, conversation=later)
    assert action in page.open_actions
    services.action_set_done(actor=staff, action=action, done=True)
    page = selectors.conversation_page(user=staff, conversation=later)
    assert action not in page.open_actions


def test_action_owner_must_be_one_of_the_two(my_time, line_manager, colleague, client_for):
    with pytest.raises(ValidationError) as exc:
        services.action_add(
            actor=line_manager,
            conversation=my_time,
            owner=colleague.person,
            text="x",
            due_date=my_time.meeting_date,
        )
    assert "owner" in exc.value.error_dict
    response = client_for(line_manager).post(
        reverse("appraisals:action_add", args=[my_time.pk]),
        {
            "text": "Do it",
            "owner": colleague.person.pk,
            "due_date": my_time.meeting_date.isoformat(),
        },
        follow=True,
    )
    assert response.redirect_chain  # post/redirect/get: the error page is a GET
    assert (
        "The owner must be one of the two people in this conversation" in response.content.decode()
    )
    assert not my_time.actions.exists()


def test_action_due_date_before_the_meeting_is_refused(my_time, line_manager, client_for):
    response = client_for(line_manager).post(
        reverse("appraisals:action_add", args=[my_time.pk]),
        {
            "text": "Do it",
            "owner": line_manager.person.pk,
            "due_date": (my_time.meeting_date - datetime.timedelta(days=3)).isoformat(),
        },
        follow=True,
    )
    assert response.redirect_chain
    assert "on or after the date of the my time" in response.content.decode()


def test_editing_the_record_through_the_page_and_both_confirming(
    my_time, staff, line_manager, client_for, today
):
    client = client_for(line_manager)
    behaviour = current_behaviours().first()
    response = client.post(
        reverse("appraisals:conversation_edit", args=[my_time.pk]),
        {
            "version": my_time.version,
            "wellbeing_score": "4",
            "wellbeing_words": "Tired but fine",
            "what_matters": "Family",
            "going_well": "New referrals process",
            "support_needed": "",
            f"reflection_{behaviour.pk}": "Led the huddle on Tuesday",
            "next_date": (my_time.meeting_date + datetime.timedelta(days=30)).isoformat(),
            "held_early": "on",  # the fixture's my time is dated next week
        },
    )
    assert response.status_code == 302
    my_time.refresh_from_db()
    assert my_time.version == 2 and my_time.recorded_at
    assert my_time.reflections.get().text == "Led the huddle on Tuesday"
    client.post(reverse("appraisals:conversation_confirm", args=[my_time.pk]))
    my_time.refresh_from_db()
    assert my_time.manager_confirmed_at and not my_time.is_confirmed
    client_for(staff).post(reverse("appraisals:conversation_confirm", args=[my_time.pk]))
    my_time.refresh_from_db()
    assert my_time.is_confirmed
    # the next my time was planned from next_date
    nxt = Conversation.objects.get(person=staff.person, meeting_date=my_time.next_date)
    assert nxt.manager == line_manager.person
    # a confirmed record is locked
    response = client_for(staff).get(reverse("appraisals:conversation_edit", args=[my_time.pk]))
    assert response.status_code == 404


def test_an_edit_after_a_confirmation_asks_both_to_confirm_again(recorded, staff, line_manager):
    services.conversation_confirm(actor=staff, conversation=recorded)
    recorded.refresh_from_db()
    services.conversation_update(
        actor=line_manager,
        conversation=recorded,
        expected_version=recorded.version,
        data={"going_well": "More"},
    )
    recorded.refresh_from_db()
    assert recorded.person_confirmed_at is None


def test_next_date_before_the_meeting_is_a_clear_error(my_time, line_manager, client_for):
    response = client_for(line_manager).post(
        reverse("appraisals:conversation_edit", args=[my_time.pk]),
        {
            "version": my_time.version,
            "next_date": (my_time.meeting_date - datetime.timedelta(days=1)).isoformat(),
            "held_early": "on",
        },
    )
    assert response.status_code == 400
    assert "must be after the date of this one" in response.content.decode()
    my_time.refresh_from_db()
    assert my_time.version == 1 and my_time.recorded_at is None


def test_simultaneous_edits_never_overwrite_silently(my_time, staff, line_manager, client_for):
    url = reverse("appraisals:conversation_edit", args=[my_time.pk])
    client_for(staff).post(url, {"version": 1, "what_matters": "Staff's words", "held_early": "on"})
    response = client_for(line_manager).post(url, {"version": 1, "what_matters": "Manager's words"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "saved this record while you were editing" in body
    assert (
        "Staff&#x27;s words" in body and "Manager&#x27;s words" in body
    )  # both visible, nothing lost
    my_time.refresh_from_db()
    assert my_time.what_matters == "Staff's words"
    # saving again from the conflict page (with the new version) succeeds
    response = client_for(line_manager).post(
        url, {"version": 2, "what_matters": "Both: agreed words"}
    )
    assert response.status_code == 302


def test_autosave_keeps_a_private_draft_and_never_touches_the_record(my_time, staff, client_for):
    url = reverse("appraisals:conversation_edit", args=[my_time.pk])
    client = client_for(staff)
    response = client.post(url, {"autosave": "1", "version": "1", "what_matters": "half-typed"})
    assert response.status_code == 200 and response.json() == {"saved": True}
    my_time.refresh_from_db()
    assert my_time.what_matters == "" and my_time.version == 1
    assert ConversationDraft.objects.get(author=staff).data["what_matters"] == "half-typed"
    page = client.get(url)
    assert "half-typed" in page.content.decode()
    assert "We restored the changes" in page.content.decode()


def test_low_wellbeing_shows_support_routes_to_both_and_creates_no_hr_record(
    my_time, staff, line_manager, client_for
):
    SupportRoute.objects.create(title="Employee assistance programme", url="https://eap.example/")
    not_sign_ins = AuditEntry.objects.exclude(action=AuditEntry.Action.SIGN_IN)
    audits = not_sign_ins.count()
    services.conversation_update(
        actor=staff, conversation=my_time, expected_version=1, data={"wellbeing_score": 2}
    )
    for user in (staff, line_manager):
        body = (
            client_for(user)
            .get(reverse("appraisals:conversation_detail", args=[my_time.pk]))
            .content.decode()
        )
        assert "Employee assistance programme" in body
    assert not_sign_ins.count() == audits
    assert not Notification.objects.filter(kind__icontains="wellbeing").exists()


def test_support_routes_are_not_shown_for_a_good_answer(recorded, staff, client_for):
    SupportRoute.objects.create(title="Employee assistance programme", url="https://eap.example/")
    body = (
        client_for(staff)
        .get(reverse("appraisals:conversation_detail", args=[recorded.pk]))
        .content.decode()
    )
    assert "Employee assistance programme" not in body


def test_first_my_time_shows_consented_panel_evidence(
    monkeypatch, my_time, line_manager, client_for
):
    import recruitment.selectors

    monkeypatch.setattr(
        recruitment.selectors,
        "consented_panel_evidence",
        lambda *, person: {
            "vacancy": "Reablement support worker",
            "strengths": ["Warm with residents"],
            "development": ["Confidence with IT"],
        },
    )
    body = (
        client_for(line_manager)
        .get(reverse("appraisals:conversation_detail", args=[my_time.pk]))
        .content.decode()
    )
    assert "Warm with residents" in body and "Confidence with IT" in body


def test_no_panel_evidence_shows_nothing(monkeypatch, my_time, line_manager, client_for):
    import recruitment.selectors

    monkeypatch.setattr(recruitment.selectors, "consented_panel_evidence", lambda *, person: None)
    body = (
        client_for(line_manager)
        .get(reverse("appraisals:conversation_detail", args=[my_time.pk]))
        .content.decode()
    )
    assert "interview for" not in body


def test_panel_evidence_is_not_asked_for_after_the_first_my_time(
    monkeypatch, recorded, staff, line_manager, today
):
    import recruitment.selectors

    calls = []
    monkeypatch.setattr(
        recruitment.selectors, "consented_panel_evidence", lambda *, person: calls.append(person)
    )
    later = services.conversation_plan(
        actor=staff, person=staff.person, meeting_date=today + datetime.timedelta(days=40)
    )
    selectors.conversation_page(user=line_manager, conversation=later)
    assert calls == []


def test_staff_comments_are_the_staff_members_own(recorded, staff, line_manager, client_for):
    url = reverse("appraisals:conversation_comment", args=[recorded.pk])
    assert (
        client_for(line_manager).post(url, {"staff_comments": "Manager writing"}).status_code == 403
    )
    client_for(staff).post(url, {"staff_comments": "I agree with the record"})
    recorded.refresh_from_db()
    assert recorded.staff_comments == "I agree with the record"


def test_annual_conversation_pulls_the_year_together(
    recorded, staff, line_manager, client_for, today
):
    services.conversation_confirm(actor=staff, conversation=recorded)
    annual = services.annual_conversation_start(
        actor=line_manager, person=staff.person, year=today.year
    )
    assert annual.is_annual
    body = (
        client_for(staff)
        .get(reverse("appraisals:conversation_detail", args=[annual.pk]))
        .content.decode()
    )
    if recorded.meeting_date.year == today.year:
        assert "My course" in body
    assert "The year together" in body
    assert (
        services.annual_conversation_start(actor=staff, person=staff.person, year=today.year)
        == annual
    )


def test_cadence_per_pair_moves_the_due_date(staff, line_manager, client_for, today):
    Conversation.objects.create(
        person=staff.person,
        manager=line_manager.person,
        meeting_date=today - datetime.timedelta(days=20),
    )
    row = next(
        r for r in selectors.manager_dashboard(user=line_manager) if r.person == staff.person
    )
    assert row.cadence_days == 30 and not row.overdue
    response = client_for(line_manager).post(
        reverse("appraisals:cadence", args=[staff.person.pk]), {"days": "14"}
    )
    assert response.status_code == 302
    row = next(
        r for r in selectors.manager_dashboard(user=line_manager) if r.person == staff.person
    )
    assert row.cadence_days == 14 and row.overdue


def test_a_colleague_cannot_change_someone_elses_cadence(staff, colleague, client_for):
    response = client_for(colleague).post(
        reverse("appraisals:cadence", args=[staff.person.pk]), {"days": "14"}
    )
    assert response.status_code == 404


def test_a_my_time_dated_in_the_future_is_not_recorded_as_held_without_a_warning(
    my_time, line_manager, client_for
):
    url = reverse("appraisals:conversation_edit", args=[my_time.pk])
    client = client_for(line_manager)
    page = client.get(url).content.decode()
    assert "which is in the future" in page and "This my time has already taken place" in page
    response = client.post(url, {"version": 1, "what_matters": "Too soon"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Error: " in body and "Tick the box if it has already taken place" in body
    my_time.refresh_from_db()
    assert my_time.recorded_at is None and my_time.what_matters == ""
    response = client.post(url, {"version": 1, "what_matters": "We met early", "held_early": "on"})
    assert response.status_code == 302
    my_time.refresh_from_db()
    assert my_time.recorded_at and my_time.what_matters == "We met early"
    # Once recorded, later edits do not ask again.
    assert "This my time has already taken place" not in client.get(url).content.decode()


def test_an_invalid_talking_point_or_action_redirects_to_the_record_with_its_errors(
    my_time, staff, client_for
):
    client = client_for(staff)
    detail = reverse("appraisals:conversation_detail", args=[my_time.pk])
    response = client.post(reverse("appraisals:talking_point_add", args=[my_time.pk]), {"text": ""})
    assert response.status_code == 302 and response["Location"] == f"{detail}#agenda"
    body = client.get(detail).content.decode()
    assert "<title>Error: " in body and "govuk-error-summary" in body
    # The errors are shown once: a reload is a clean page, never a re-post.
    assert "govuk-error-summary" not in client.get(detail).content.decode()
    response = client.post(
        reverse("appraisals:action_add", args=[my_time.pk]),
        {
            "text": "Book the course",
            "owner": staff.person.pk,
            "due_date": (my_time.meeting_date - datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{detail}#actions"
    body = client.get(detail).content.decode()
    assert "on or after the date of the my time" in body and "Book the course" in body
