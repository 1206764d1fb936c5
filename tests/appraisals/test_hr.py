import datetime

import pytest
from django.urls import reverse

from appraisals import analytics, selectors, services
from appraisals.models import BreakGlassAccess, Conversation, ReminderSent, SupportRoute
from bewigan.core.models import AuditEntry, Notification
from tests.people.factories import PersonFactory, TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_coverage_suppresses_small_groups():
    rows = [
        {
            "organisation": "Big",
            "had_my_time": i % 2 == 0,
            "wellbeing": (i % 5) + 1 if i < 6 else None,
        }
        for i in range(8)
    ]
    rows += [{"organisation": "Small", "had_my_time": True, "wellbeing": 1} for _ in range(3)]
    groups = {g.name: g for g in analytics.coverage(rows, by="organisation", min_size=5)}
    assert (
        groups["Small"].suppressed
        and groups["Small"].share is None
        and groups["Small"].distribution == {}
    )
    big = groups["Big"]
    assert big.people == 8 and big.with_my_time == 4 and big.share == 50.0
    assert sum(big.distribution.values()) == 6


def test_wellbeing_distribution_hidden_when_few_answered():
    rows = [{"team": "T", "had_my_time": True, "wellbeing": 2 if i < 2 else None} for i in range(6)]
    (group,) = analytics.coverage(rows, by="team", min_size=5)
    assert not group.suppressed and group.distribution_suppressed and group.distribution == {}


def test_coverage_page_for_hr(
    hr_admin,
    staff,
    line_manager,
    team,
    organisation,
    client_for,
    today,
    django_assert_max_num_queries,
):
    for i in range(6):
        p = PersonFactory(
            user=UserFactory(email=f"cov{i}@wigan.gov.uk"),
            organisation=organisation,
            line_manager=line_manager.person,
        )
        TeamMembershipFactory(person=p, team=team)
        Conversation.objects.create(
            person=p,
            manager=line_manager.person,
            meeting_date=today - datetime.timedelta(days=10),
            recorded_at=datetime.datetime.now(datetime.UTC),
            wellbeing_score=4,
            what_matters="CONTENT-X",
        )
    client = client_for(hr_admin)
    for by in ("organisation", "team", "neighbourhood"):
        with django_assert_max_num_queries(14):
            response = client.get(reverse("appraisals:coverage"), {"by": by})
        assert response.status_code == 200
        assert "CONTENT-X" not in response.content.decode()
    rows = selectors.coverage_rows()
    assert sum(r["had_my_time"] for r in rows) == 6


def test_break_glass_needs_a_reason_is_audited_and_tells_the_person(hr_admin, staff, client_for):
    client = client_for(hr_admin)
    r = client.post(
        reverse("appraisals:break_glass"), {"person": "staff@wigan.gov.uk", "reason": "because"}
    )
    assert r.status_code == 400 and "at least 20 characters" in r.content.decode()
    assert not BreakGlassAccess.objects.exists()
    r = client.post(
        reverse("appraisals:break_glass"),
        {"person": "staff@wigan.gov.uk", "reason": "Formal grievance GR-2026-14 investigation"},
    )
    assert r.status_code == 302
    entry = AuditEntry.objects.get(action="access")
    assert (
        entry.reason.startswith("Formal grievance")
        and entry.subject == staff
        and entry.actor == hr_admin
    )
    note = Notification.objects.get(recipient=staff, kind="break_glass")
    assert "Formal grievance GR-2026-14" in note.body


def test_break_glass_views_are_audited_and_expire(hr_admin, recorded, staff, client_for):
    access = services.break_glass_open(
        actor=hr_admin, person=staff.person, reason="Formal grievance GR-2026-14 investigation"
    )
    client = client_for(hr_admin)
    url = reverse("appraisals:conversation_detail", args=[recorded.pk])
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(action="view", object_id=str(recorded.pk)).count() == 1
    BreakGlassAccess.objects.filter(pk=access.pk).update(expires_at=access.created_at)
    assert client.get(url).status_code == 404


def test_only_hr_can_break_glass(line_manager, staff):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.break_glass_open(actor=line_manager, person=staff.person, reason="x" * 30)


def test_hr_manages_support_routes(hr_admin, client_for):
    client = client_for(hr_admin)
    r = client.post(
        reverse("appraisals:support_route_list"),
        {
            "title": "Occupational health",
            "url": "https://oh.example/",
            "order": 1,
            "is_active": "on",
        },
    )
    assert r.status_code == 302
    route = SupportRoute.objects.get()
    r = client.post(
        reverse("appraisals:support_route_edit", args=[route.pk]),
        {"title": "OH", "url": "not a url", "order": 1},
    )
    assert r.status_code == 400
    r = client.post(reverse("appraisals:support_route_edit", args=[route.pk]), {"delete": "1"})
    assert not SupportRoute.objects.exists()


def test_reminders_before_and_when_overdue_go_once(staff, line_manager, colleague, today):
    Conversation.objects.create(
        person=staff.person,
        manager=line_manager.person,
        meeting_date=today - datetime.timedelta(days=28),
    )
    Conversation.objects.create(
        person=colleague.person,
        manager=line_manager.person,
        meeting_date=today - datetime.timedelta(days=40),
    )
    from appraisals.tasks import send_my_time_reminders

    result = send_my_time_reminders.enqueue()
    assert result.return_value == {"due_soon": 1, "overdue": 1}
    assert Notification.objects.filter(kind="my_time_reminder", recipient=line_manager).count() == 2
    assert Notification.objects.filter(kind="my_time_reminder", recipient=staff).count() == 1
    assert services.my_time_reminders_send(today=today).due_soon == 0  # not sent twice
    assert ReminderSent.objects.count() == 2


def test_no_reminder_when_the_next_my_time_is_planned(staff, line_manager, today):
    Conversation.objects.create(
        person=staff.person,
        manager=line_manager.person,
        meeting_date=today - datetime.timedelta(days=40),
    )
    Conversation.objects.create(
        person=staff.person,
        manager=line_manager.person,
        meeting_date=today + datetime.timedelta(days=20),
    )
    assert services.my_time_reminders_send(today=today).overdue == 0
