"""Subject access pack for one person with five years of history, in a
partnership of 5,000 staff and 2,000 candidates (every one a name to look
for): monthly my time with reflections, talking points, actions and private
notes, shout-outs, 360 rounds, team time, ideas and comments, survey
participation, a candidacy with scorecards, 3,000 notifications and 3,000
audit entries. Some free text names colleagues, so the review has work.

Measures the generation (collecting and finding names, the background
task's work), the review and the archive build, and their query counts.
Target: the whole pack in under two minutes ("completes in minutes").
Results: bench/results/privacy-sar.json.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from bench.util import fresh_database, peak_rss_mb, timer
from bewigan.people.models import Organisation, Person, Team, TeamMembership

RESULTS_NAME = "privacy-sar"
YEARS = 5
FIRST = ["Amira", "Ben", "Chloe", "Dan", "Ella", "Femi", "Grace", "Harry", "Isla", "Jack"]
LAST = [
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fisher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
]
WORDS = [
    "visit",
    "review",
    "rota",
    "family",
    "handover",
    "support",
    "plan",
    "course",
    "carer",
    "team",
    "shift",
    "discharge",
    "falls",
    "equipment",
    "referral",
    "training",
    "goal",
    "wellbeing",
    "client",
    "progress",
]


def _aware(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _text(rng, n=40, name=None):
    words = [rng.choice(WORDS) for _ in range(n)]
    if name:
        words.insert(rng.randrange(len(words)), name)
    return " ".join(words).capitalize() + "."


def _people(org, team):
    User = get_user_model()
    users = User.objects.bulk_create(
        User(
            email=f"p{i}@bench.example",
            first_name=f"{FIRST[i % 10]}{i // 100 or ''}",
            last_name=f"{LAST[(i // 10) % 10]}{i}",
        )
        for i in range(5000)
    )
    people = Person.objects.bulk_create(
        Person(user=u, organisation=org, employee_number=f"B{i:05d}") for i, u in enumerate(users)
    )
    TeamMembership.objects.bulk_create(
        TeamMembership(person=p, team=team, start_date=datetime.date(2019, 1, 1))
        for p in people[:12]
    )
    return people


def _history(org, team, subject, manager, mates, rng):  # noqa: PLR0915 - one long recipe
    from appraisals.models import (
        Action,
        Conversation,
        FeedbackAnswer,
        FeedbackRequest,
        FeedbackResponse,
        FeedbackRound,
        PrivateNote,
        Reflection,
        ShoutOut,
        TalkingPoint,
        TeamFeedback,
        TeamTime,
    )
    from bewigan.core.models import AuditEntry, Notification
    from bewigan.values.models import Behaviour, Value
    from cms.models import Idea, IdeaComment
    from surveys.models import Participation, Survey, Wave

    today = timezone.localdate()
    values = list(Value.objects.all()[:3])
    behaviours = list(Behaviour.objects.all()[:6])
    mate_names = [m.user.get_full_name() for m in mates]
    first_names = [m.user.first_name for m in mates]

    def maybe_name(p=0.15):
        return rng.choice(mate_names + first_names) if rng.random() < p else None

    days = [today - datetime.timedelta(days=30 * k) for k in range(12 * YEARS, 0, -1)]
    Conversation.objects.bulk_create(
        Conversation(
            person=subject,
            manager=manager,
            meeting_date=day,
            wellbeing_score=rng.randint(1, 5),
            wellbeing_words=_text(rng, 8),
            what_matters=_text(rng, 60, maybe_name()),
            going_well=_text(rng, 60, maybe_name()),
            support_needed=_text(rng, 30),
            staff_comments=_text(rng, 40, maybe_name()),
            recorded_at=_aware(day),
            person_confirmed_at=_aware(day),
            manager_confirmed_at=_aware(day),
        )
        for day in days
    )
    convs = list(Conversation.objects.filter(person=subject))
    Reflection.objects.bulk_create(
        Reflection(conversation=c, behaviour=b, text=_text(rng, 50, maybe_name(0.05)))
        for c in convs
        for b in behaviours[:3]
    )
    TalkingPoint.objects.bulk_create(
        TalkingPoint(
            conversation=c,
            author=rng.choice([subject, manager]),
            text=_text(rng, 20, maybe_name()),
            discussed=True,
            created_at=_aware(c.meeting_date, 9),
        )
        for c in convs
        for _ in range(4)
    )
    Action.objects.bulk_create(
        Action(
            conversation=c,
            person=subject,
            owner=subject,
            text=_text(rng, 15),
            due_date=c.meeting_date + datetime.timedelta(days=21),
            done_at=_aware(c.meeting_date + datetime.timedelta(days=14)),
        )
        for c in convs
        for _ in range(2)
    )
    PrivateNote.objects.bulk_create(
        PrivateNote(conversation=c, author=manager.user, text=_text(rng, 40, maybe_name()))
        for c in convs[::2]
    )
    ShoutOut.objects.bulk_create(
        [
            ShoutOut(
                giver=rng.choice(mates),
                recipient=subject,
                value=rng.choice(values),
                message=_text(rng, 25, maybe_name()),
                created_at=_aware(rng.choice(days)),
            )
            for _ in range(150)
        ]
        + [
            ShoutOut(
                giver=subject,
                recipient=rng.choice(mates),
                value=rng.choice(values),
                message=_text(rng, 25),
                created_at=_aware(rng.choice(days)),
            )
            for _ in range(80)
        ]
    )
    for r in range(2 * YEARS):
        round_ = FeedbackRound.objects.create(
            subject=subject,
            requested_by=manager,
            closes_on=days[r * 6] + datetime.timedelta(days=14),
            created_at=_aware(days[r * 6]),
        )
        raters = rng.sample(mates, 6)
        FeedbackRequest.objects.bulk_create(
            FeedbackRequest(round=round_, rater=p, answered=True) for p in raters
        )
        for i, rater in enumerate(raters):
            anonymous = i >= 3
            response = FeedbackResponse.objects.create(
                round=round_, rater=None if anonymous else rater, is_anonymous=anonymous
            )
            FeedbackAnswer.objects.bulk_create(
                FeedbackAnswer(
                    response=response,
                    value=v,
                    does_well=_text(rng, 30, maybe_name(0.05)),
                    to_try=_text(rng, 20),
                )
                for v in values
            )
    for day in days:
        tt = TeamTime.objects.create(team=team, facilitator=manager, meeting_date=day)
        tt.attendees.add(subject, *mates[:6])
        TeamFeedback.objects.create(
            team_time=tt,
            giver=rng.choice(mates),
            recipient=subject,
            behaviour=rng.choice(behaviours),
            does_well=_text(rng, 25),
        )
    ideas = Idea.objects.bulk_create(
        Idea(
            title=f"Idea {i}",
            what_matters=_text(rng, 40),
            description=_text(rng, 80, maybe_name(0.1)),
            value=rng.choice(values),
            author=subject.user,
            organisation=org,
        )
        for i in range(20)
    )
    IdeaComment.objects.bulk_create(
        IdeaComment(idea=rng.choice(ideas), author=subject.user, body=_text(rng, 30, maybe_name()))
        for _ in range(200)
    )
    survey = Survey.objects.create(title="Bench pulse")
    waves = Wave.objects.bulk_create(
        Wave(survey=survey, number=i + 1, opens_on=day, closes_on=day + datetime.timedelta(days=7))
        for i, day in enumerate(days)
    )
    Participation.objects.bulk_create(Participation(wave=w, person=subject) for w in waves)
    Notification.objects.bulk_create(
        Notification(
            recipient=subject.user,
            title=f"Something about your my time {i}",
            body=_text(rng, 20, maybe_name(0.05)),
            created_at=_aware(rng.choice(days)),
        )
        for i in range(3000)
    )
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=subject.user,
                action=AuditEntry.Action.SIGN_IN,
                object_type="core.user",
                object_id=str(subject.user_id),
                at=_aware(today - datetime.timedelta(days=i)),
            )
            for i in range(1500)
        ]
        + [
            AuditEntry(
                actor=manager.user,
                action=AuditEntry.Action.VIEW,
                object_type="appraisals.conversation",
                object_id=str(rng.choice(convs).pk),
                object_repr="My time",
                subject=subject.user,
                at=_aware(rng.choice(days)),
            )
            for _ in range(1500)
        ]
    )
    _candidacy(org, subject, mates, rng)


def _candidacy(org, subject, mates, rng):
    from recruitment.models import (
        Candidate,
        Decision,
        EqualityMonitoring,
        Interview,
        PanelMember,
        PlanQuestion,
        Question,
        QuestionScore,
        Scorecard,
        Vacancy,
    )

    vacancy = Vacancy.objects.create(
        title="Senior support worker",
        reference="BENCH-1",
        organisation=org,
        recruiting_manager=mates[0].user,
    )
    plan = [
        PlanQuestion.objects.create(vacancy=vacancy, question_version=q.approved_version, order=i)
        for i, q in enumerate(Question.objects.approved().select_related("approved_version")[:5])
    ]
    candidate = Candidate.objects.create(
        vacancy=vacancy,
        first_name=subject.user.first_name,
        last_name=subject.user.last_name,
        appointed_person=subject,
    )
    EqualityMonitoring.objects.create(candidate=candidate)
    interview = Interview.objects.create(
        candidate=candidate, scheduled_at=timezone.now() - datetime.timedelta(days=2000)
    )
    for panellist in mates[:3]:
        PanelMember.objects.create(vacancy=vacancy, user=panellist.user)
        card = Scorecard.objects.create(
            interview=interview,
            panellist=panellist.user,
            status=Scorecard.Status.SUBMITTED,
            submitted_at=interview.scheduled_at,
        )
        QuestionScore.objects.bulk_create(
            QuestionScore(scorecard=card, plan_question=pq, score=4, evidence=_text(rng, 40))
            for pq in plan
        )
    Decision.objects.create(
        interview=interview,
        outcome=Decision.Outcome.APPOINT,
        rationale=_text(rng, 50),
        decided_by=mates[0].user,
    )


def main():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bewigan.people import roles
    from bewigan.privacy import sar
    from bewigan.privacy.models import SubjectAccessRequest
    from bewigan.values.models import Behaviour, Framework, FrameworkVersion, Value
    from bewigan.values.seed import seed_frameworks
    from recruitment.models import Question, QuestionVersion, RoleFamily
    from recruitment.question_bank import seed_question_bank

    fresh_database()
    seed_frameworks(Framework, FrameworkVersion, Value, Behaviour)
    seed_question_bank(
        RoleFamily=RoleFamily,
        Question=Question,
        QuestionVersion=QuestionVersion,
        Value=Value,
        Behaviour=Behaviour,
    )
    rng = random.Random(14)
    org = Organisation.objects.create(name="Bench Council", slug="bench", kind="council")
    team = Team.objects.create(name="Bench team", code="bench-team", organisation=org)
    figures = {}
    with timer() as t:
        people = _people(org, team)
        subject, manager, mates = people[0], people[1], people[2:12]
        Person.objects.filter(pk=subject.pk).update(line_manager=manager)
        subject.refresh_from_db()
        for m in (manager, *mates):
            m.user = get_user_model().objects.get(pk=m.user_id)
        _history(org, team, subject, manager, mates, rng)
        from recruitment.models import Candidate

        Candidate.objects.bulk_create(
            Candidate(
                vacancy_id=Candidate.objects.values_list("vacancy_id", flat=True).first(),
                first_name=f"Cand{i}",
                last_name=f"Applicant{i}",
            )
            for i in range(2000)
        )
    figures["seed_seconds"] = round(t["seconds"], 1)
    hr = get_user_model().objects.create_user(
        email="bench@bench.example", password="x", first_name="Helen", last_name="Bench"
    )
    Person.objects.create(user=hr, organisation=org, employee_number="HR-1")
    hr.groups.add(Group.objects.get_or_create(name=roles.HR_ADMIN)[0])
    hr = get_user_model().objects.get(pk=hr.pk)

    with CaptureQueriesContext(connection) as queries, timer() as t:
        request = sar.sar_start(
            actor=hr, person=subject, reference="BENCH-SAR", reason="Benchmark of five years"
        )
    request.refresh_from_db()
    figures["generate_seconds"] = round(t["seconds"], 2)
    figures["generate_queries"] = len(queries.captured_queries)
    data = sar.sar_data(sar=request)
    figures["sections"] = len(data["sections"])
    figures["records"] = sum(len(s["records"]) for s in data["sections"])
    figures["mentions_to_review"] = request.mentions.count()
    assert request.status == SubjectAccessRequest.Status.REVIEW, request.error

    decisions = {
        m.pk: ("redact" if i % 2 else "release")
        for i, m in enumerate(request.mentions.order_by("pk"))
    }
    with CaptureQueriesContext(connection) as queries, timer() as t:
        sar.sar_review(actor=hr, sar=request, decisions=decisions)
    request.refresh_from_db()
    assert request.status == SubjectAccessRequest.Status.READY, request.status
    figures["review_and_build_seconds"] = round(t["seconds"], 2)
    figures["review_and_build_queries"] = len(queries.captured_queries)
    figures["archive_kb"] = round(len(bytes(request.archive)) / 1024)
    figures["total_seconds"] = round(
        figures["generate_seconds"] + figures["review_and_build_seconds"], 2
    )
    figures["peak_rss_mb"] = peak_rss_mb()
    figures["database"] = connection.vendor
    figures["target"] = "generation plus review and build under 120 s for five years of history"
    assert figures["total_seconds"] < 120, figures
    return figures
