"""Demo: a monthly partnership pulse running for two years (24 waves), the
latest open now. Responses follow realistic patterns — a slow upward trend
with a winter dip, team and personal effects, response rates that differ by
team (so some teams fall below the minimum and roll up) — plus a few
comments with manager replies and "you said, we did" actions.

Deterministic for a given day, idempotent, bulk-inserted, and aggregated
through the same refresh service the live system uses.
"""

import datetime
import random

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bewigan.core import sealed
from bewigan.people.models import Organisation, Person, Team, TeamMembership
from bewigan.values.models import Value

from .library import seed_library
from .models import (
    Action,
    Comment,
    CommentReply,
    Participation,
    Question,
    Response,
    Survey,
    SurveyQuestion,
    Wave,
)
from .services import answers_channel, wave_refresh_results, wave_release_answers, write_released

TITLE = "Partnership pulse"
WAVES = 24
DEMO_TEAM = "wigan-council-reablement-wigan"
LOW_RESPONSE_TEAMS = {
    "wigan-council-finance",
    "gmp-wigan-neighbourhood-policing-leigh",
    "community-partners-volunteering",
}

COMMENTS = [
    "Workload has been really heavy since two people left and the caseload keeps going up.",
    "My manager makes time for supervision even when we are busy, which helps a lot.",
    "The laptop and the case system are slow, we lose time every day waiting for them.",
    "Better communication about changes would help, we often hear about things last.",
    "I would like more training and a clearer route for career progression.",
    "Thank you to the team, it is a supportive place to work even when it is stretched.",
    "Parking at the hub is a daily stress and makes home visits late.",
    "More recognition from senior leaders for what frontline staff do would mean a lot.",
    "The wellbeing sessions were good, please keep them going.",
    "We need fewer meetings and more time with residents.",
    "Short staffed most weeks, overtime is becoming normal.",
    "Leadership listen more than they used to, the team meetings feel more open.",
]
REPLIES = [
    "Thank you for raising this. We have agreed two extra posts from January and will review caseloads monthly.",
    "Thanks. IT are replacing the oldest laptops this quarter; tell me if yours is not on the list.",
]


def _latent(person_effect, team_effect, month_index):
    trend = 0.02 * month_index  # slowly improving over two years
    winter = -0.25 if (month_index % 12) in (0, 1) else 0.0  # winter pressure
    return person_effect + team_effect + trend + winter


def _agreement(rng, latent, bias=0.0):
    x = 3.3 + latent + bias + rng.gauss(0, 0.8)
    return max(1, min(5, int(round(x))))


def _enps(rng, latent):
    x = 6.6 + 1.6 * latent + rng.gauss(0, 1.6)
    return max(0, min(10, int(round(x))))


def seed(stdout=None) -> dict:
    rng = random.Random(2026_5)
    questions = seed_library(Question, Value)
    survey, created = Survey.objects.get_or_create(
        title=TITLE,
        defaults={
            "description": "A two-minute monthly check-in for everyone in the partnership.",
            "frequency": Survey.Frequency.MONTHLY,
        },
    )
    if created:
        SurveyQuestion.objects.bulk_create(
            SurveyQuestion(survey=survey, question=q, order=i) for i, q in enumerate(questions)
        )
    if survey.waves.count() >= WAVES:
        return _summary(stdout, survey)

    today = timezone.localdate()
    current_open = today - datetime.timedelta(days=5)
    people = list(Person.objects.active().values_list("id", "organisation_id"))
    memberships = {}
    for person_id, team_id, hood_id, _primary in (
        TeamMembership.objects.current()
        .values_list("person_id", "team_id", "team__neighbourhood_id", "is_primary")
        .order_by("is_primary")
    ):
        memberships[person_id] = (team_id, hood_id)  # primary wins (ordered last)
    teams = {t.pk: t for t in Team.objects.all()}
    team_effect = {pk: rng.gauss(0, 0.35) for pk in teams}
    team_rate = {pk: rng.uniform(0.55, 0.9) for pk in teams}
    for pk, t in teams.items():
        if t.code in LOW_RESPONSE_TEAMS:
            team_rate[pk] = 0.3
        if t.code == DEMO_TEAM:
            team_rate[pk] = 0.97
            team_effect[pk] = 0.15
    person_effect = {pid: rng.gauss(0, 0.5) for pid, _ in people}
    demo_users = set(
        get_user_model()
        .objects.filter(
            email__endswith="@wigan.gov.uk",
            email__in=[
                "staff@wigan.gov.uk",
                "manager@wigan.gov.uk",
                "surveys@wigan.gov.uk",
                "hr@wigan.gov.uk",
            ],
        )
        .values_list("person__id", flat=True)
    )
    orgs = list(Organisation.objects.all())
    scored = [q for q in questions if q.kind in ("agreement", "enps")]
    comment_q = next(q for q in questions if q.kind == "text")
    bias = {q.pk: rng.uniform(-0.4, 0.4) for q in scored}

    with transaction.atomic():
        waves = []
        for i in range(WAVES):
            months_ago = WAVES - 1 - i
            opens = current_open - relativedelta(months=months_ago)
            wave = Wave.objects.create(
                survey=survey,
                number=i + 1,
                opens_on=opens,
                closes_on=opens + datetime.timedelta(days=13),
                results_published=months_ago > 0,
            )
            wave.organisations.set(orgs)
            waves.append(wave)
        for i, wave in enumerate(waves):
            is_current = i == WAVES - 1
            participations, payloads = [], []
            for person_id, org_id in people:
                team_id, hood_id = memberships.get(person_id, (None, None))
                rate = team_rate.get(team_id, 0.6) * (0.45 if is_current else 1.0)
                if is_current and person_id in demo_users:
                    continue  # the demo sign-ins can answer the open wave themselves
                if rng.random() > rate:
                    continue
                latent = _latent(person_effect[person_id], team_effect.get(team_id, 0.0), i)
                participations.append(Participation(wave=wave, person_id=person_id))
                scores = [
                    [
                        q.pk,
                        _enps(rng, latent)
                        if q.kind == "enps"
                        else _agreement(rng, latent, bias[q.pk]),
                    ]
                    for q in scored
                ]
                said = []
                if rng.random() < (0.35 if team_id and teams[team_id].code == DEMO_TEAM else 0.12):
                    said = [[comment_q.pk, rng.choice(COMMENTS)]]
                payloads.append(
                    {
                        "o": org_id,
                        "t": team_id,
                        "h": hood_id,
                        "a": rng.choice(["", "under-25", "25-34", "35-49", "35-49", "50-plus"]),
                        "s": scores,
                        "c": said,
                    }
                )
            rng.shuffle(participations)  # insertion order says nothing either
            Participation.objects.bulk_create(participations, batch_size=2000)
            if is_current:
                # As in real use: answers sealed on submission, released in
                # shuffled batches, the last few still sealed.
                for payload in payloads:
                    sealed.seal(answers_channel(wave.pk), payload)
                wave_release_answers(wave)
            else:
                write_released(wave, sealed.shuffled(payloads))
        for wave in waves:
            wave_refresh_results(wave)
        _replies_and_actions(survey, waves, today)
    return _summary(stdout, survey)


def _replies_and_actions(survey, waves, today):
    manager = (
        Person.objects.filter(user__email="manager@wigan.gov.uk").select_related("user").first()
    )
    admin = Person.objects.filter(user__email="surveys@wigan.gov.uk").select_related("user").first()
    team = Team.objects.filter(code=DEMO_TEAM).first()
    if manager is None or admin is None or team is None:
        return
    last_closed = waves[-2]
    scope = f"team:{team.pk}"
    for reply, comment in zip(
        REPLIES,
        Comment.objects.filter(wave=last_closed, team=team).order_by("id")[:2],
        strict=False,
    ):
        CommentReply.objects.create(comment=comment, author=manager.user, text=reply)
    wellbeing = Question.objects.filter(theme="wellbeing").first()
    Action.objects.bulk_create(
        [
            Action(
                wave=waves[-4],
                scope=scope,
                question=wellbeing,
                theme="wellbeing",
                you_said="Workload is too high to manage in working hours.",
                we_did="Two extra reablement support workers recruited; caseloads reviewed at every team meeting.",
                owner=manager,
                status=Action.Status.DONE,
                due_on=today - datetime.timedelta(days=40),
                created_by=manager.user,
            ),
            Action(
                wave=last_closed,
                scope=scope,
                theme="recognition",
                you_said="Good work is not always noticed.",
                we_did="A monthly shout-out in the team briefing, nominated by colleagues.",
                owner=manager,
                status=Action.Status.IN_PROGRESS,
                due_on=today + datetime.timedelta(days=30),
                created_by=manager.user,
            ),
            Action(
                wave=last_closed,
                scope="all",
                theme="innovation",
                you_said="Ideas for improvement disappear.",
                we_did="Every idea on the Ideas page gets a reply within 20 working days.",
                owner=admin,
                status=Action.Status.PLANNED,
                due_on=today + datetime.timedelta(days=60),
                created_by=admin.user,
            ),
        ]
    )


def _summary(stdout, survey):
    summary = {
        "waves": survey.waves.count(),
        "responses": Response.objects.filter(wave__survey=survey).count(),
    }
    if stdout is not None:
        stdout.write("Surveys: " + ", ".join(f"{v} {k}" for k, v in summary.items()))
    return summary
