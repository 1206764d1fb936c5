"""Leavers never appear in a person picker: neither once processed, nor in
the hours between a leaving date arriving and the daily job."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from appraisals.forms import FeedbackRoundForm, ShoutOutForm
from appraisals.models import TeamTime
from appraisals.selectors import pairs_due, team_time_page
from bewigan.people import roles
from bewigan.people.models import Person
from bewigan.privacy.leavers import leavers_process
from cms.selectors import innovation_leads
from recruitment.forms import LinkPersonForm, PanelMemberForm, VacancyForm
from tests.appraisals.factories import ConversationFactory
from tests.recruitment.factories import VacancyFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def left_unprocessed(user):
    Person.objects.filter(user=user).update(leaver_date=TODAY())


def left_and_processed(user):
    left_unprocessed(user)
    leavers_process([user.person.pk])


WAYS = [left_unprocessed, left_and_processed]


@pytest.mark.parametrize("leave", WAYS)
def test_not_on_a_panel_and_not_linkable_as_a_new_starter(staff, colleague, leave):
    leave(staff)
    assert not PanelMemberForm({"email": staff.email}).is_valid()
    assert PanelMemberForm({"email": colleague.email}).is_valid()
    assert not LinkPersonForm({"email": staff.email}).is_valid()
    assert LinkPersonForm({"email": colleague.email}).is_valid()


@pytest.mark.parametrize("leave", WAYS)
def test_not_a_recruiting_manager_to_choose(recruiting_manager, organisation, leave):
    vacancy = VacancyFactory(organisation=organisation, recruiting_manager=recruiting_manager)
    assert recruiting_manager in VacancyForm().fields["recruiting_manager"].queryset
    leave(recruiting_manager)
    if leave is left_and_processed:  # their role ended with the job
        recruiting_manager.groups.add(Group.objects.get(name=roles.RECRUITING_MANAGER))
    for form in (VacancyForm(), VacancyForm(vacancy=vacancy, organisation_ids=[organisation.pk])):
        assert recruiting_manager not in form.fields["recruiting_manager"].queryset


@pytest.mark.parametrize("leave", WAYS)
def test_not_an_innovation_lead_to_assign(innovation_lead, leave):
    assert innovation_lead in innovation_leads()
    leave(innovation_lead)
    innovation_lead.groups.add(Group.objects.get(name=roles.INNOVATION_LEAD))
    assert innovation_lead not in innovation_leads()


@pytest.mark.parametrize("leave", WAYS)
def test_not_a_colleague_to_thank_or_ask_for_feedback(staff, colleague, leave):
    leave(staff)
    assert "recipient" in ShoutOutForm({"recipient": staff.email, "message": "Thanks"}).errors
    form = FeedbackRoundForm(
        {
            "raters": f"{staff.email}\n{colleague.email}",
            "closes_on": TODAY() + datetime.timedelta(days=7),
        }
    )
    assert "raters" in form.errors


@pytest.mark.parametrize("leave", WAYS)
def test_not_a_team_member_at_team_time(staff, colleague, line_manager, team, leave):
    team_time = TeamTime.objects.create(
        team=team, facilitator=line_manager.person, meeting_date=TODAY()
    )
    assert staff.person in team_time_page(team_time=team_time).members
    leave(staff)
    members = team_time_page(team_time=team_time).members
    assert staff.person not in members and colleague.person in members


@pytest.mark.parametrize("leave", WAYS)
def test_no_my_time_reminders_about_a_manager_who_has_left(staff, line_manager, leave):
    ConversationFactory(
        person=staff.person,
        manager=line_manager.person,
        meeting_date=TODAY() - datetime.timedelta(days=60),
    )
    assert [p.person.pk for p in pairs_due(today=TODAY(), within_days=7)] == [staff.person.pk]
    leave(line_manager)
    assert pairs_due(today=TODAY(), within_days=7) == []
