"""What happens when someone leaves: account, roles, teams, panels, 360
requests, cadences, the handover to their manager, the audit log; once only,
in a number of queries that does not grow with the number of leavers."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from appraisals.models import (
    Cadence,
    FeedbackRequest,
    FeedbackRound,
    TeamAction,
    TeamTime,
)
from bewigan.core.models import AuditEntry, Notification
from bewigan.people import roles
from bewigan.people.models import Person, TeamMembership
from bewigan.privacy.handover import describe, open_work
from bewigan.privacy.leavers import leavers_process
from bewigan.privacy.models import LeaverRecord
from cms.models import IdeaStatus
from recruitment.models import PanelMember, Scorecard, Vacancy
from surveys.models import Action as SurveyAction
from tests.appraisals.factories import ActionFactory, ConversationFactory
from tests.cms.factories import IdeaFactory
from tests.conftest import make_persona
from tests.people.factories import PersonFactory, UserFactory
from tests.recruitment.factories import InterviewFactory, VacancyFactory, plan_vacancy, submit
from tests.surveys.factories import make_survey, make_wave

from .leavers_helpers import hr_import, row_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def leave(user, on=None, **kwargs):
    Person.objects.filter(user=user).update(leaver_date=on or TODAY())
    return leavers_process([user.person.pk], **kwargs)


@pytest.fixture
def work(staff, line_manager, colleague, team, organisation, recruiting_manager):
    """Open work that `staff` owns, and some that is finished."""
    me = staff.person
    conversation = ConversationFactory(person=me, manager=line_manager.person)
    ActionFactory(conversation=conversation, owner=me, text="SECRET-ACTION book the course")
    ActionFactory(conversation=conversation, owner=me, done_at=timezone.now())
    team_time = TeamTime.objects.create(
        team=team, facilitator=line_manager.person, meeting_date=TODAY()
    )
    TeamAction.objects.create(
        team_time=team_time, team=team, owner=me, text="Tidy the equipment store", due_date=TODAY()
    )
    wave = make_wave(make_survey(), organisations=[organisation])
    SurveyAction.objects.create(
        wave=wave,
        scope=f"team:{team.pk}",
        you_said="Handovers are rushed",
        we_did="Fifteen minutes at shift change",
        owner=me,
        due_on=TODAY() + datetime.timedelta(days=30),
        created_by=line_manager,
    )
    IdeaFactory(owner=staff, status=IdeaStatus.UNDER_REVIEW, title="Lend aids on day one")
    IdeaFactory(owner=staff, status=IdeaStatus.ADOPTED)
    VacancyFactory(organisation=organisation, recruiting_manager=staff, title="Night carer")
    VacancyFactory(
        organisation=organisation, recruiting_manager=staff, status=Vacancy.Status.CLOSED
    )
    report = make_persona(
        organisation, team, "report@wigan.gov.uk", manager=me, first_name="Rita", last_name="Ng"
    )
    return {"conversation": conversation, "team_time": team_time, "report": report}


def test_the_account_closes_and_the_roles_of_the_job_end(staff):
    staff.groups.add(Group.objects.get_or_create(name=roles.HIRING_PANEL)[0])
    leave(staff)
    staff.refresh_from_db()
    assert not staff.is_active
    assert list(staff.groups.values_list("name", flat=True)) == [roles.STAFF]


def test_team_memberships_close_on_the_leaving_date(staff, team):
    leave(staff, on=TODAY() - datetime.timedelta(days=3))
    membership = TeamMembership.objects.get(person=staff.person, team=team)
    assert membership.end_date == TODAY() - datetime.timedelta(days=3)
    assert not TeamMembership.objects.current().filter(person=staff.person).exists()


def test_a_leaver_leaves_the_panels_of_open_vacancies_only(
    staff, panellist, recruiting_manager, organisation
):
    open_vacancy = VacancyFactory(
        organisation=organisation, recruiting_manager=recruiting_manager, title="Reablement worker"
    )
    decided_soon = InterviewFactory(candidate__vacancy=open_vacancy)
    waiting = InterviewFactory(candidate__vacancy=open_vacancy)
    plan_vacancy(open_vacancy, chair=staff, panel=[panellist])
    submit(decided_soon, staff)
    closed_vacancy = VacancyFactory(
        organisation=organisation, recruiting_manager=recruiting_manager, status="closed"
    )
    PanelMember.objects.create(vacancy=closed_vacancy, user=staff)

    result = leave(staff)

    assert not PanelMember.objects.filter(vacancy=open_vacancy, user=staff).exists()
    assert PanelMember.objects.filter(vacancy=closed_vacancy, user=staff).exists()
    assert PanelMember.objects.filter(vacancy=open_vacancy, user=panellist).exists()
    # Submitted scores stay as evidence; the unsubmitted one goes.
    assert Scorecard.objects.filter(interview=decided_soon, panellist=staff).exists()
    assert not Scorecard.objects.filter(interview=waiting, panellist=staff).exists()
    assert result.records[0].counts["panel_seats_removed"] == 1
    told = Notification.objects.get(recipient=recruiting_manager, kind="leaver_panel")
    assert "Reablement worker" in told.title
    assert "no chair" in told.body


def test_pending_360_requests_to_and_about_a_leaver_are_withdrawn(staff, colleague, line_manager):
    closes = TODAY() + datetime.timedelta(days=10)
    about_colleague = FeedbackRound.objects.create(
        subject=colleague.person, requested_by=colleague.person, closes_on=closes
    )
    pending_to_leaver = FeedbackRequest.objects.create(round=about_colleague, rater=staff.person)
    answered = FeedbackRequest.objects.create(
        round=FeedbackRound.objects.create(
            subject=line_manager.person, requested_by=line_manager.person, closes_on=closes
        ),
        rater=staff.person,
        answered=True,
    )
    about_leaver = FeedbackRound.objects.create(
        subject=staff.person, requested_by=staff.person, closes_on=closes
    )
    pending_about_leaver = FeedbackRequest.objects.create(
        round=about_leaver, rater=colleague.person
    )

    result = leave(staff)

    assert not FeedbackRequest.objects.filter(
        pk__in=[pending_to_leaver.pk, pending_about_leaver.pk]
    ).exists()
    assert FeedbackRequest.objects.filter(pk=answered.pk).exists()
    assert result.records[0].counts["feedback_requests_withdrawn"] == 2


def test_cadences_with_and_of_the_leaver_go(staff, line_manager, colleague):
    Cadence.objects.create(person=staff.person, manager=line_manager.person, days=30)
    Cadence.objects.create(person=colleague.person, manager=line_manager.person, days=14)
    leave(staff)
    assert list(Cadence.objects.values_list("person__user__email", flat=True)) == [colleague.email]


def test_the_line_manager_is_told_what_the_leaver_still_owned(
    staff, line_manager, work, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        leave(staff)

    notification = Notification.objects.get(recipient=line_manager, kind="leaver_handover")
    assert notification.title == f"{staff.person.name} has left: please hand over their work"
    assert notification.url == f"/data-protection/leavers/{staff.person.pk}/handover/"
    for line in (
        "1 my time action",
        "1 team action",
        "1 “you said, we did” survey action",
        "1 idea they look after",
        "1 open vacancy they manage",
        "1 colleague who needs a new line manager",
    ):
        assert line in notification.body
    # Counts only: what was said in a my time never leaves it by email.
    assert "SECRET-ACTION" not in notification.body
    assert len(mail.outbox) == 1 and "SECRET-ACTION" not in mail.outbox[0].body
    record = LeaverRecord.objects.get(person=staff.person)
    assert record.handover_to == line_manager
    assert record.counts["open_items"] == 6


def test_the_handover_shows_each_item_as_the_viewer_may_see_it(staff, line_manager, hr_admin, work):
    leave(staff)
    owned = open_work([staff.person.pk])[staff.person.pk]
    as_manager = {i.kind: i for i in (describe(o, viewer=line_manager) for o in owned)}
    as_hr = {i.kind: i for i in (describe(o, viewer=hr_admin) for o in owned)}
    conversation = work["conversation"]
    # The manager was in the my time: they read the action and open it.
    assert as_manager["my_time_action"].text == "SECRET-ACTION book the course"
    assert as_manager["my_time_action"].url == f"/my-time/conversations/{conversation.pk}/"
    # HR was not: the action is named, never quoted.
    assert "SECRET-ACTION" not in as_hr["my_time_action"].text
    assert as_hr["my_time_action"].url == ""
    assert as_manager["team_action"].url == f"/my-time/team-time/{work['team_time'].pk}/"
    assert as_manager["idea"].text == "Lend aids on day one (Under review)"
    assert as_manager["report"].text == "Rita Ng"


def test_when_the_manager_has_left_too_the_next_one_up_is_told(
    organisation, team, staff, line_manager, work
):
    director = make_persona(organisation, team, "director@wigan.gov.uk", first_name="Dee")
    Person.objects.filter(pk=line_manager.person.pk).update(line_manager=director.person)
    Person.objects.filter(user__in=[staff, line_manager]).update(leaver_date=TODAY())

    leavers_process([staff.person.pk, line_manager.person.pk])

    told = Notification.objects.filter(recipient=director, kind="leaver_handover")
    # Sam's work, and Priya's (her other report needs a new line manager).
    assert sorted(n.title.split(" has left")[0] for n in told) == ["Priya Shah", "Sam Turner"]
    assert not Notification.objects.filter(recipient=line_manager).exists()


def test_with_nobody_left_in_the_line_the_organisations_hr_admins_are_told(
    staff, line_manager, hr_admin, outsider, work
):
    Person.objects.filter(user__in=[staff, line_manager]).update(leaver_date=TODAY())
    leavers_process([staff.person.pk, line_manager.person.pk])
    told = Notification.objects.get(recipient=hr_admin, title__startswith=staff.person.name)
    assert "nobody in their line management is still here" in told.body
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_nothing_to_hand_over_means_no_notification(staff, line_manager):
    leave(staff)
    assert not Notification.objects.filter(recipient=line_manager).exists()
    assert LeaverRecord.objects.get(person=staff.person).counts["open_items"] == 0


def test_each_leaving_is_audited(staff, hr_admin):
    leave(staff, actor=hr_admin, source="manual", reason="Resigned")
    entry = AuditEntry.objects.get(object_type="people.person", object_id=str(staff.person.pk))
    assert entry.actor == hr_admin
    assert entry.subject == staff
    assert entry.reason == "Resigned"
    assert entry.details["leaver"] is True
    assert entry.details["source"] == "manual"
    assert entry.details["leaver_date"] == TODAY().isoformat()


def test_a_leaving_is_processed_once(staff, line_manager, work):
    leave(staff)
    again = leavers_process([staff.person.pk])
    assert again.processed == 0
    assert LeaverRecord.objects.filter(person=staff.person).count() == 1
    assert Notification.objects.filter(recipient=line_manager).count() == 1


def test_people_who_have_not_left_are_skipped(staff, colleague):
    Person.objects.filter(user=colleague).update(leaver_date=TODAY() + datetime.timedelta(days=5))
    result = leavers_process([staff.person.pk, colleague.person.pk])
    assert result.processed == 0
    staff.refresh_from_db()
    assert staff.is_active


def test_the_hr_import_processes_the_leavers_it_marks(
    staff, colleague, line_manager, work, django_capture_on_commit_callbacks
):
    hr_import(
        [
            row_for(line_manager),
            row_for(staff, leaver_date=TODAY().isoformat()),
            row_for(colleague),
        ],
        django_capture_on_commit_callbacks,
    )
    record = LeaverRecord.objects.get(person=staff.person)
    assert record.source == LeaverRecord.Source.IMPORT
    assert Notification.objects.filter(recipient=line_manager, kind="leaver_handover").exists()
    assert not LeaverRecord.objects.filter(person=colleague.person).exists()


def test_people_left_out_of_a_full_organisation_file_are_processed(
    staff, colleague, line_manager, django_capture_on_commit_callbacks
):
    hr_import(
        [row_for(line_manager), row_for(colleague)],
        django_capture_on_commit_callbacks,
        full_organisation=True,
    )
    staff.refresh_from_db()
    assert not staff.is_active
    assert LeaverRecord.objects.filter(person=staff.person).exists()


def test_the_daily_job_processes_leaving_dates_that_have_arrived(staff, colleague, line_manager):
    Person.objects.filter(user=staff).update(leaver_date=TODAY())
    # Left long ago (before this existed): never processed now, nobody told.
    Person.objects.filter(user=colleague).update(leaver_date=TODAY() - datetime.timedelta(days=90))
    call_command("process_leavers")
    assert LeaverRecord.objects.filter(person=staff.person).exists()
    assert not LeaverRecord.objects.filter(person=colleague.person).exists()
    staff.refresh_from_db()
    assert not staff.is_active


def _leavers(organisation, team, manager, n, start):
    people = []
    for i in range(n):
        user = UserFactory(email=f"leaver{start + i}@wigan.gov.uk")
        user.groups.add(Group.objects.get_or_create(name=roles.HIRING_PANEL)[0])
        person = PersonFactory(
            user=user, organisation=organisation, line_manager=manager, leaver_date=TODAY()
        )
        TeamMembership.objects.create(
            person=person, team=team, start_date=TODAY() - datetime.timedelta(days=400)
        )
        people.append(person.pk)
    return people


def test_queries_do_not_grow_with_the_number_of_leavers(
    organisation, team, line_manager, django_assert_max_num_queries
):
    few = _leavers(organisation, team, line_manager.person, 3, 0)
    many = _leavers(organisation, team, line_manager.person, 15, 100)
    with django_assert_max_num_queries(60) as small:
        assert leavers_process(few).processed == 3
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert leavers_process(many).processed == 15
