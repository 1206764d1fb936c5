"""Demo data for `manage.py seed_demo`: a year of my time for the demo line
manager (manager@wigan.gov.uk) and their reports (including staff@), open
actions, carried-over talking points, team times, shout-outs, 360 rounds and
one upcoming my time with a shared agenda; plus six months of history for
other managers across the partnership so HR coverage has something to show.

Deterministic (fixed random seed; dates relative to today) and idempotent
(it does nothing if the demo line manager already has my-time history).
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from bewigan.core import sealed
from bewigan.people.models import Person, Team
from bewigan.values.selectors import current_behaviours, current_values

from .models import (
    Action,
    Conversation,
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackResponse,
    FeedbackRound,
    PrivateNote,
    Reflection,
    ShoutOut,
    SupportRoute,
    TalkingPoint,
    TeamAction,
    TeamFeedback,
    TeamTime,
)
from .services import feedback_channel, feedback_round_release

SUPPORT_ROUTES = [
    (
        "Employee assistance programme (24 hours, confidential)",
        "https://www.wigan.gov.uk/eap",
        "Free counselling and advice, day or night",
    ),
    (
        "Occupational health",
        "https://www.wigan.gov.uk/occupational-health",
        "Refer yourself or talk to your manager",
    ),
    (
        "Mental health first aiders",
        "https://www.wigan.gov.uk/mental-health-first-aid",
        "Trained colleagues you can talk to",
    ),
]
WORDS = [
    "Busy but okay",
    "Good week, the new rota helps",
    "Tired after covering sickness",
    "Really positive",
    "A bit flat, lots going on at home",
    "Feeling settled in the team",
]
MATTERS = [
    "Getting my NVQ finished",
    "Flexible hours for school pick-up",
    "Learning the new care records system",
    "Working more with the district nurses",
    "Taking on a student",
    "Less travel between visits",
]
GOING_WELL = [
    "Mrs H is walking to the shop again",
    "Handovers are quicker",
    "Good feedback from families",
    "Helped a new starter settle in",
    "Joint visits with the therapy team",
]
SUPPORT = ["Time for the course", "Shadowing the senior", "", "A laptop that works in the car", ""]
REFLECTIONS = [
    "Started the review with what Mr B can do, not what he can't",
    "Owned the missed call and fixed it the same day",
    "Raised the safeguarding concern even though it was awkward",
    "Thanked the night team in the huddle",
]
ACTIONS = [
    "Book the moving and handling refresher",
    "Ask HR about flexible hours",
    "Shadow a therapy visit",
    "Update the referral checklist",
    "Share the discharge tips at team time",
    "Try the new app for a month",
]
POINTS = [
    "Rota for Christmas",
    "My training plan",
    "Caseload in Pemberton",
    "Car parking at the hub",
    "Feedback from the family of Mrs H",
]
SHOUTS = [
    "stayed calm with a very upset family and turned the visit around",
    "spotted a safeguarding risk others had missed and acted straight away",
    "covered two extra visits so a colleague could get to hospital",
    "suggested a simpler discharge checklist that we now all use",
    "welcomed our new starter and showed them every shortcut",
]


def _aware(day: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def seed(stdout=None) -> dict:
    rng = random.Random(2026)
    today = timezone.localdate()
    for i, (title, url, description) in enumerate(SUPPORT_ROUTES):
        SupportRoute.objects.get_or_create(
            title=title, defaults={"url": url, "description": description, "order": i}
        )
    manager = (
        Person.objects.filter(user__email="manager@wigan.gov.uk").select_related("user").first()
    )
    if manager is None:
        return _summary(stdout)
    if Conversation.objects.filter(manager=manager).exists():
        return _summary(stdout)
    values = list(current_values())
    behaviours = list(current_behaviours())
    reports = list(
        Person.objects.active().filter(line_manager=manager).select_related("user").order_by("pk")
    )
    staff = next((p for p in reports if p.user.email == "staff@wigan.gov.uk"), None)

    # A year of my time for each report: monthly, recorded and confirmed.
    convs = []
    for person in reports:
        for k in range(12, 0, -1):
            day = today - datetime.timedelta(days=30 * k + rng.randint(-3, 3))
            convs.append(
                Conversation(
                    person=person,
                    manager=manager,
                    meeting_date=day,
                    wellbeing_score=rng.choice([2, 3, 3, 4, 4, 4, 5, 5]),
                    wellbeing_words=rng.choice(WORDS),
                    what_matters=rng.choice(MATTERS),
                    going_well=rng.choice(GOING_WELL),
                    support_needed=rng.choice(SUPPORT),
                    next_date=day + datetime.timedelta(days=30),
                    recorded_at=_aware(day, 15),
                    person_confirmed_at=_aware(day, 16),
                    manager_confirmed_at=_aware(day, 17),
                    version=2,
                    created_by=manager.user,
                    created_at=_aware(day - datetime.timedelta(days=14)),
                )
            )
    Conversation.objects.bulk_create(convs)
    convs = list(Conversation.objects.filter(manager=manager).order_by("person_id", "meeting_date"))
    reflections, actions, points = [], [], []
    for c in convs:
        for b in rng.sample(behaviours, k=min(2, len(behaviours))):
            reflections.append(
                Reflection(conversation=c, behaviour=b, text=rng.choice(REFLECTIONS))
            )
        recent = (today - c.meeting_date).days < 60
        for _ in range(rng.randint(1, 2)):
            owner = c.person if rng.random() < 0.7 else manager
            done = (
                None
                if recent and rng.random() < 0.7
                else _aware(c.meeting_date + datetime.timedelta(days=10))
            )
            actions.append(
                Action(
                    conversation=c,
                    person=c.person,
                    owner=owner,
                    text=rng.choice(ACTIONS),
                    due_date=c.meeting_date + datetime.timedelta(days=21),
                    done_at=done,
                    created_at=_aware(c.meeting_date, 15),
                )
            )
        for author in (c.person, manager):
            points.append(
                TalkingPoint(
                    conversation=c,
                    author=author,
                    text=rng.choice(POINTS),
                    discussed=True,
                    created_at=_aware(c.meeting_date - datetime.timedelta(days=3)),
                )
            )
    Reflection.objects.bulk_create(reflections)
    Action.objects.bulk_create(actions)
    TalkingPoint.objects.bulk_create(points)

    # Upcoming my time for every report; staff@'s has a shared agenda with
    # carried-over points from the last conversation.
    upcoming = Conversation.objects.bulk_create(
        [
            Conversation(
                person=p,
                manager=manager,
                meeting_date=today + datetime.timedelta(days=5 + i % 20),
                created_by=manager.user,
            )
            for i, p in enumerate(reports)
        ]
    )
    if staff is not None:
        last = [c for c in convs if c.person_id == staff.pk][-1]
        nxt = next(c for c in upcoming if c.person_id == staff.pk)
        TalkingPoint.objects.bulk_create(
            [
                TalkingPoint(
                    conversation=nxt,
                    author=staff,
                    text="Christmas rota: can I swap the 27th?",
                    carried_over=1,
                    created_at=_aware(last.meeting_date - datetime.timedelta(days=2)),
                ),
                TalkingPoint(
                    conversation=nxt,
                    author=staff,
                    text="I'd like to start the senior support worker course",
                ),
                TalkingPoint(
                    conversation=nxt, author=manager, text="New falls pathway with the therapy team"
                ),
            ]
        )
        Conversation.objects.filter(pk=last.pk).update(
            wellbeing_score=2, wellbeing_words="Struggling to sleep, a lot on at home"
        )
        PrivateNote.objects.create(
            conversation=last,
            author=manager.user,
            text="Check in informally next week. Mentioned caring for her dad; think about carers' leave.",
        )
        if staff.start_date is None or staff.start_date.year < today.year:
            year = today.year - 1
            annual_day = datetime.date(year, 12, 15)
            Conversation.objects.create(
                kind=Conversation.Kind.ANNUAL,
                person=staff,
                manager=manager,
                meeting_date=annual_day,
                year=year,
                what_matters="Growing into a senior role",
                going_well="Consistently positive feedback from families",
                looking_ahead="Senior support worker course; mentor a new starter",
                recorded_at=_aware(annual_day),
                person_confirmed_at=_aware(annual_day),
                manager_confirmed_at=_aware(annual_day),
                created_by=manager.user,
            )

    # Shout-outs among the team (public and private).
    team_people = reports + [manager]
    shouts = []
    for i in range(40):
        giver, recipient = rng.sample(team_people, 2)
        day = today - datetime.timedelta(days=rng.randint(1, 360))
        shouts.append(
            ShoutOut(
                giver=giver,
                recipient=recipient,
                value=rng.choice(values),
                message=f"{recipient.user.first_name} {rng.choice(SHOUTS)}.",
                is_public=i % 4 != 0,
                created_at=_aware(day, 12),
            )
        )
    if staff is not None:
        shouts.append(
            ShoutOut(
                giver=manager,
                recipient=staff,
                value=values[0],
                is_public=True,
                message="Sam stayed calm with a very upset family and turned the visit around.",
                created_at=timezone.now() - datetime.timedelta(days=2),
            )
        )
    ShoutOut.objects.bulk_create(shouts)

    # 360 rounds: staff@ has enough anonymous answers to see them; another
    # report has only two, so theirs stay hidden.
    others = [p for p in reports if p != staff]
    for subject, anonymous_count in ((staff, 3), (others[0] if others else None, 2)):
        if subject is None:
            continue
        raters = [p for p in team_people if p != subject][:5]
        # staff@'s round has closed, so its anonymous answers can be read;
        # the other is still open, and would stay sealed with only two.
        closes_on = today + datetime.timedelta(days=-2 if subject == staff else 10)
        fr = FeedbackRound.objects.create(
            subject=subject,
            requested_by=subject,
            message="Honest is helpful, thank you.",
            closes_on=closes_on,
        )
        FeedbackRequest.objects.bulk_create(
            [FeedbackRequest(round=fr, rater=r, answered=True) for r in raters]
        )
        for i, rater in enumerate(raters):
            given = [[v.pk, rng.choice(REFLECTIONS), rng.choice(ACTIONS)] for v in values]
            if i < anonymous_count:
                sealed.seal(feedback_channel(fr.pk), {"v": given})
                continue
            response = FeedbackResponse.objects.create(round=fr, rater=rater, is_anonymous=False)
            FeedbackAnswer.objects.bulk_create(
                [
                    FeedbackAnswer(response=response, value_id=v, does_well=good, to_try=tip)
                    for v, good, tip in given
                ]
            )
        feedback_round_release(fr)

    # Team time every month for the Reablement Wigan team.
    team = Team.objects.filter(code="wigan-council-reablement-wigan").first()
    if team is not None:
        for k in range(6, 0, -1):
            tt = TeamTime.objects.create(
                team=team,
                facilitator=manager,
                meeting_date=today - datetime.timedelta(days=30 * k),
                how_are_we=rng.choice(
                    ["Stretched but together", "Good energy", "Tired after winter pressures"]
                ),
                how_are_we_score=rng.choice([3, 4, 4, 5]),
            )
            tt.attendees.set(rng.sample(team_people, k=min(8, len(team_people))))
            a, b, c = rng.sample(team_people, 3)
            ShoutOut.objects.create(
                giver=a,
                recipient=b,
                value=rng.choice(values),
                team_time=tt,
                is_public=False,
                message=f"I saw {b.user.first_name} {rng.choice(SHOUTS)}.",
                created_at=_aware(tt.meeting_date),
            )
            TeamFeedback.objects.create(
                team_time=tt,
                giver=b,
                recipient=c,
                behaviour=rng.choice(behaviours),
                does_well=rng.choice(REFLECTIONS),
                to_try=rng.choice(ACTIONS),
            )
            TeamAction.objects.create(
                team_time=tt,
                team=team,
                owner=c,
                text=rng.choice(ACTIONS),
                due_date=tt.meeting_date + datetime.timedelta(days=21),
                done_at=None if k <= 2 else _aware(tt.meeting_date + datetime.timedelta(days=14)),
            )

    # Six months of history for other pairs across the partnership (about
    # 70% of people meet regularly, so coverage shows a realistic spread).
    history = []
    people = (
        Person.objects.active()
        .filter(line_manager__isnull=False)
        .exclude(line_manager=manager)
        .order_by("pk")
    )
    for person in people.only("pk", "line_manager_id"):
        if rng.random() > 0.7:
            continue
        for k in range(6, 0, -1):
            day = today - datetime.timedelta(days=30 * k + rng.randint(0, 6))
            history.append(
                Conversation(
                    person_id=person.pk,
                    manager_id=person.line_manager_id,
                    meeting_date=day,
                    wellbeing_score=rng.choice([1, 2, 3, 3, 4, 4, 4, 5, 5]),
                    what_matters=rng.choice(MATTERS),
                    going_well=rng.choice(GOING_WELL),
                    recorded_at=_aware(day, 15),
                    person_confirmed_at=_aware(day, 16),
                    manager_confirmed_at=_aware(day, 17),
                    version=2,
                )
            )
    Conversation.objects.bulk_create(history, batch_size=1000)
    return _summary(stdout)


def _summary(stdout):
    summary = {
        "conversations": Conversation.objects.count(),
        "shout_outs": ShoutOut.objects.count(),
        "team_times": TeamTime.objects.count(),
        "feedback_rounds": FeedbackRound.objects.count(),
    }
    if stdout is not None:
        stdout.write("My time: " + ", ".join(f"{v} {k}" for k, v in summary.items()))
    return summary
