"""Demo data for leavers (`manage.py seed_demo`): Ben Whitfield, who reported
to the demo line manager (manager@wigan.gov.uk, Priya Shah), left three days
ago. He still owned an action from his last my time and a team action, sat
on an interview panel and had been asked for 360 feedback about a colleague.

The demo HR admin (hr@wigan.gov.uk) marked him as a leaver through the real
service, so /data-protection/leavers/ lists him, Priya has a notification
and the handover page shows what needs a new owner. Runs after the people,
recruitment and appraisals seeders. Idempotent: nothing happens once Ben's
leaving is recorded.
"""

import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from bewigan.people import roles
from bewigan.people.models import Person, TeamMembership

from . import leavers
from .models import LeaverRecord

EMAIL = "ben.whitfield@wigan.gov.uk"


def seed(stdout=None) -> dict:
    today = timezone.localdate()
    hr = get_user_model().objects.filter(email="hr@wigan.gov.uk").first()
    manager = Person.objects.filter(user__email="manager@wigan.gov.uk").first()
    if hr is None or manager is None:
        return _summary(stdout)
    ben = Person.objects.filter(user__email=EMAIL).first()
    if ben is not None and LeaverRecord.objects.filter(person=ben).exists():
        return _summary(stdout)
    if ben is None:
        ben = _ben(manager, today)
    _open_work(ben, manager, today)
    leavers.leaver_mark(
        actor=hr,
        person=ben,
        leaver_date=today - datetime.timedelta(days=3),
        reason="Resigned to move to Manchester; last working day confirmed by email (demo)",
    )
    return _summary(stdout)


def _ben(manager, today):
    user = get_user_model().objects.create_user(
        email=EMAIL, first_name="Ben", last_name="Whitfield", password=None
    )
    user.groups.add(
        Group.objects.get_or_create(name=roles.STAFF)[0],
        Group.objects.get_or_create(name=roles.HIRING_PANEL)[0],
    )
    ben = Person.objects.create(
        user=user,
        organisation_id=manager.organisation_id,
        employee_number="WC-DEMO-LEAVER",
        job_title="Reablement support worker",
        line_manager=manager,
        start_date=today - datetime.timedelta(days=3 * 365),
    )
    team = (
        TeamMembership.objects.current()
        .filter(person=manager)
        .order_by("-is_primary", "pk")
        .first()
    )
    if team is not None:
        TeamMembership.objects.create(
            person=ben, team_id=team.team_id, start_date=ben.start_date, is_primary=True
        )
    return ben


def _open_work(ben, manager, today):
    # Demo data only: the leaver needs open work in the capabilities. Models
    # come from the app registry, so the privacy app imports no capability.
    Action = apps.get_model("appraisals", "Action")
    Conversation = apps.get_model("appraisals", "Conversation")
    FeedbackRequest = apps.get_model("appraisals", "FeedbackRequest")
    FeedbackRound = apps.get_model("appraisals", "FeedbackRound")
    TeamAction = apps.get_model("appraisals", "TeamAction")
    TeamTime = apps.get_model("appraisals", "TeamTime")
    PanelMember = apps.get_model("recruitment", "PanelMember")
    Vacancy = apps.get_model("recruitment", "Vacancy")

    conversation = Conversation.objects.create(
        person=ben,
        manager=manager,
        meeting_date=today - datetime.timedelta(days=20),
        recorded_at=timezone.now() - datetime.timedelta(days=20),
        what_matters="Finishing the moving and handling refresher before winter",
    )
    Action.objects.create(
        conversation=conversation,
        person=ben,
        owner=ben,
        text="Share the winter visit checklist with the team",
        due_date=today + datetime.timedelta(days=10),
    )
    membership = TeamMembership.objects.filter(person=ben).first()
    if membership is not None:
        team_time = TeamTime.objects.create(
            team_id=membership.team_id,
            facilitator=manager,
            meeting_date=today - datetime.timedelta(days=14),
        )
        TeamAction.objects.create(
            team_time=team_time,
            team_id=membership.team_id,
            owner=ben,
            text="Restock the equipment cupboard at Leigh",
            due_date=today + datetime.timedelta(days=5),
        )
    colleague = Person.objects.filter(user__email="staff@wigan.gov.uk").first()
    if colleague is not None:
        feedback_round = FeedbackRound.objects.create(
            subject=colleague,
            requested_by=colleague,
            message="What should I keep doing?",
            closes_on=today + datetime.timedelta(days=14),
        )
        FeedbackRequest.objects.create(round=feedback_round, rater=ben)
    vacancy = Vacancy.objects.filter(status=Vacancy.Status.OPEN).order_by("pk").first()
    if vacancy is not None:
        PanelMember.objects.get_or_create(vacancy=vacancy, user=ben.user)


def _summary(stdout) -> dict:
    summary = {"leavers processed": LeaverRecord.objects.count()}
    if stdout is not None:
        stdout.write("Leavers: " + ", ".join(f"{v} {k}" for k, v in summary.items()))
    return summary
