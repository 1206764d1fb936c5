import datetime

import pytest
from django.urls import reverse

from appraisals import selectors
from appraisals.models import Action, Conversation
from tests.people.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _reports(manager, n, today, years=1):
    for i in range(n):
        person = PersonFactory(
            user=UserFactory(email=f"report{Conversation.objects.count()}-{i}@wigan.gov.uk"),
            organisation=manager.organisation,
            line_manager=manager,
        )
        convs = [
            Conversation(
                person=person,
                manager=manager,
                meeting_date=today - datetime.timedelta(days=30 * k + 5),
                wellbeing_score=(k % 5) + 1,
                recorded_at=None,
            )
            for k in range(12 * years)
        ]
        convs.append(
            Conversation(
                person=person, manager=manager, meeting_date=today + datetime.timedelta(days=9)
            )
        )
        Conversation.objects.bulk_create(convs)
        first = Conversation.objects.filter(person=person).last()
        Action.objects.bulk_create(
            [
                Action(
                    conversation=first,
                    person=person,
                    owner=person,
                    text="a",
                    due_date=today - datetime.timedelta(days=1),
                )
            ]
        )


@pytest.mark.parametrize("n,years", [(2, 1), (15, 3)])
def test_dashboard_query_count_does_not_grow(
    n, years, line_manager, client_for, django_assert_max_num_queries, today
):
    _reports(line_manager.person, n, today, years)
    client = client_for(line_manager)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("appraisals:dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count("govuk-table__row") == n + 1


def test_dashboard_rows(line_manager, staff, colleague, today):
    _reports(line_manager.person, 1, today)
    rows = {r.person.pk: r for r in selectors.manager_dashboard(user=line_manager)}
    assert rows[staff.person.pk].due_date == today  # never met: due now
    report = next(
        r for r in rows.values() if r.person.pk not in (staff.person.pk, colleague.person.pk)
    )
    assert report.next_my_time == today + datetime.timedelta(days=9)
    assert report.open_actions == 1 and report.overdue_actions == 1
    assert len(report.wellbeing) == 6
    assert not report.overdue


def test_overdue_when_the_cadence_has_passed(line_manager, staff, today):
    Conversation.objects.create(
        person=staff.person,
        manager=line_manager.person,
        meeting_date=today - datetime.timedelta(days=45),
    )
    row = next(
        r for r in selectors.manager_dashboard(user=line_manager) if r.person == staff.person
    )
    assert row.overdue and row.due_date == today - datetime.timedelta(days=15)


@pytest.mark.parametrize("n", [2, 12])
def test_timeline_query_count(
    n, team, line_manager, staff, client_for, django_assert_max_num_queries, today
):
    Conversation.objects.bulk_create(
        [
            Conversation(
                person=staff.person,
                manager=line_manager.person,
                meeting_date=today - datetime.timedelta(days=30 * k + 1),
            )
            for k in range(n)
        ]
    )
    from appraisals.models import TeamTime

    for k in range(n):
        tt = TeamTime.objects.create(
            team=team,
            facilitator=line_manager.person,
            meeting_date=today - datetime.timedelta(days=k),
        )
        tt.attendees.add(staff.person)
    client = client_for(line_manager)
    with django_assert_max_num_queries(18):
        assert client.get(reverse("appraisals:timeline", args=[staff.person.pk])).status_code == 200


@pytest.mark.parametrize("n", [1, 10])
def test_conversation_page_query_count(
    n, my_time, staff, line_manager, client_for, django_assert_max_num_queries
):
    from appraisals import services

    for i in range(n):
        services.talking_point_add(actor=staff, conversation=my_time, text=f"p{i}")
        services.action_add(
            actor=line_manager,
            conversation=my_time,
            owner=staff.person,
            text=f"a{i}",
            due_date=my_time.meeting_date,
        )
    client = client_for(line_manager)
    with django_assert_max_num_queries(24):
        assert (
            client.get(reverse("appraisals:conversation_detail", args=[my_time.pk])).status_code
            == 200
        )


def test_my_work_lists_what_is_waiting(my_time, recorded, staff, colleague, line_manager, today):
    items = selectors.my_work(user=line_manager)
    titles = [i.title for i in items]
    assert any("Confirm the record" in t for t in titles)
    # Kai reports to Priya and has never had a my time: due today.
    assert "Plan a my time with Kai Ward" in titles
    staff_items = [i.title for i in selectors.my_work(user=staff)]
    assert any("Confirm the record of your my time with Priya Shah" in t for t in staff_items)


def test_my_work_asks_for_talking_points_before_the_meeting(my_time, staff, line_manager):
    assert any("Add talking points" in i.title for i in selectors.my_work(user=line_manager))
    from appraisals import services

    services.talking_point_add(actor=line_manager, conversation=my_time, text="Rota")
    assert not any("Add talking points" in i.title for i in selectors.my_work(user=line_manager))


def test_my_work_query_count_is_constant(line_manager, django_assert_max_num_queries, today):
    _reports(line_manager.person, 5, today)
    with django_assert_max_num_queries(6):
        selectors.my_work(user=line_manager)


def test_no_profile_no_work(django_user_model):
    user = django_user_model.objects.create_user(email="np@wigan.gov.uk", password="x")
    assert selectors.my_work(user=user) == []
    assert selectors.manager_dashboard(user=user) == []
