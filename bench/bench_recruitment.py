"""Recruitment at scale: 2,000 vacancies and 20,000 submitted scorecards.

Checks: the consensus page's query count does not grow with the number of
panellists or questions (and is at most 15), the consensus page answers in
under 100 ms and the question-analytics page in under 1 s of server time.
Data is generated with bulk_create (the services are exercised by the tests).
"""

import os
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.util import fresh_database, peak_rss_mb, time_requests, timer

VACANCIES = 2_000
SCORECARDS = 20_000
PANEL = 3
QUESTIONS_PER_PLAN = 6


def _page_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(
        [
            q
            for q in ctx.captured_queries
            if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
        ]
    )


def _seed_reference_data():
    from bewigan.people import roles
    from bewigan.values.models import Behaviour, Framework, FrameworkVersion, Value
    from bewigan.values.seed import seed_frameworks
    from recruitment.models import Question, QuestionVersion, RoleFamily
    from recruitment.question_bank import seed_question_bank

    for name in roles.ALL_GROUPS:
        Group.objects.get_or_create(name=name)
    seed_frameworks(Framework, FrameworkVersion, Value, Behaviour)
    seed_question_bank(
        RoleFamily=RoleFamily,
        Question=Question,
        QuestionVersion=QuestionVersion,
        Value=Value,
        Behaviour=Behaviour,
    )


def _generate(rng):
    from bewigan.people.models import Organisation, Person
    from bewigan.values.models import Value
    from recruitment.models import (
        Candidate,
        ConsensusScore,
        Decision,
        EqualityMonitoring,
        Interview,
        InterviewQuestionSummary,
        PanelMember,
        PlanQuestion,
        Question,
        QuestionScore,
        Scorecard,
        Vacancy,
        ValueRating,
    )

    User = get_user_model()
    now = timezone.now()
    orgs = [
        Organisation.objects.create(name=f"Bench org {i}", slug=f"bench-{i}", kind="council")
        for i in range(4)
    ]
    users = User.objects.bulk_create(
        [
            User(email=f"u{i}@bench.example", first_name="Bench", last_name=f"User{i}")
            for i in range(300)
        ]
    )
    Person.objects.bulk_create(
        [
            Person(user=u, organisation=orgs[i % 4], employee_number=f"B{i}")
            for i, u in enumerate(users)
        ]
    )
    values = list(Value.objects.current().order_by("order"))
    versions = [q.approved_version_id for q in Question.objects.approved()]
    vacancies = Vacancy.objects.bulk_create(
        [
            Vacancy(
                title=f"Bench vacancy {i}",
                reference=f"B-{i:05d}",
                organisation=orgs[i % 4],
                recruiting_manager=users[i % 40],
                created_at=now - timedelta(days=i % 700),
            )
            for i in range(VACANCIES)
        ]
    )
    Vacancy.values.through.objects.bulk_create(
        [
            Vacancy.values.through(vacancy_id=v.pk, value_id=val.pk)
            for v in vacancies
            for val in values
        ]
    )
    plan_rows, panel_rows = [], []
    for v in vacancies:
        for order, version in enumerate(rng.sample(versions, QUESTIONS_PER_PLAN), start=1):
            plan_rows.append(
                PlanQuestion(vacancy=v, question_version_id=version, order=order, minutes=8)
            )
        for seat, u in enumerate(rng.sample(users[40:], PANEL)):
            panel_rows.append(PanelMember(vacancy=v, user=u, is_chair=seat == 0))
    PlanQuestion.objects.bulk_create(plan_rows, batch_size=2000)
    PanelMember.objects.bulk_create(panel_rows, batch_size=2000)
    plans, panels = {}, {}
    for pq in PlanQuestion.objects.values_list("vacancy_id", "id", "question_version_id"):
        plans.setdefault(pq[0], []).append((pq[1], pq[2]))
    for vac, user in PanelMember.objects.values_list("vacancy_id", "user_id"):
        panels.setdefault(vac, []).append(user)
    interviews_needed = SCORECARDS // PANEL
    candidates = Candidate.objects.bulk_create(
        [
            Candidate(
                vacancy=vacancies[i % VACANCIES],
                first_name="Cand",
                last_name=str(i),
                external_ref=f"C{i}",
            )
            for i in range(interviews_needed)
        ],
        batch_size=2000,
    )
    eq = EqualityMonitoring
    EqualityMonitoring.objects.bulk_create(
        [
            eq(
                candidate=c,
                sex=rng.choice(["female", "male", "prefer_not"]),
                age_band=rng.choice(["25-34", "35-44", "45-54"]),
                ethnicity=rng.choice(["white", "white", "asian", "black", "mixed", "other"]),
                disability=rng.choice(["no", "no", "yes"]),
            )
            for c in candidates
        ],
        batch_size=2000,
    )
    interviews = Interview.objects.bulk_create(
        [
            Interview(candidate=c, scheduled_at=now - timedelta(days=rng.randint(5, 700)))
            for c in candidates
        ],
        batch_size=2000,
    )
    cards = []
    for it, c in zip(interviews, candidates, strict=True):
        for u in panels[c.vacancy_id]:
            cards.append(
                Scorecard(
                    interview=it,
                    panellist_id=u,
                    status="submitted",
                    submitted_at=it.scheduled_at,
                    updated_at=it.scheduled_at,
                )
            )
    cards = Scorecard.objects.bulk_create(cards, batch_size=2000)
    vacancy_of = {it.pk: c.vacancy_id for it, c in zip(interviews, candidates, strict=True)}
    base = {it.pk: rng.choice([2, 3, 3, 4, 4, 5]) for it in interviews}
    qs_rows, vr_rows = [], []
    for card in cards:
        b = base[card.interview_id]
        for pq_id, _ in plans[vacancy_of[card.interview_id]]:
            qs_rows.append(
                QuestionScore(
                    scorecard_id=card.pk,
                    plan_question_id=pq_id,
                    score=max(1, min(5, b + rng.choice([-1, 0, 0, 1]))),
                    evidence="Evidence",
                )
            )
        for val in values:
            vr_rows.append(
                ValueRating(scorecard_id=card.pk, value_id=val.pk, score=b, comment="View")
            )
    QuestionScore.objects.bulk_create(qs_rows, batch_size=5000)
    # the per-interview summaries the scorecard services keep up to date
    question_of = dict(PlanQuestion.objects.values_list("id", "question_version__question_id"))
    interview_of = {card.pk: card.interview_id for card in cards}
    groups = {}
    for row in qs_rows:
        groups.setdefault((interview_of[row.scorecard_id], row.plan_question_id), []).append(
            row.score
        )
    InterviewQuestionSummary.objects.bulk_create(
        [
            InterviewQuestionSummary(
                interview_id=iv,
                plan_question_id=pq,
                question_id=question_of[pq],
                scores=len(sc),
                total=sum(sc),
                lowest=min(sc),
                highest=max(sc),
                **{f"n{n}": sc.count(n) for n in range(1, 6)},
            )
            for (iv, pq), sc in groups.items()
        ],
        batch_size=5000,
    )
    ValueRating.objects.bulk_create(vr_rows, batch_size=5000)
    decisions, consensus = [], []
    for it in interviews[: int(len(interviews) * 0.9)]:
        b = base[it.pk]
        outcome = (
            "appoint"
            if b >= 4 and rng.random() < 0.4
            else ("reserve" if b >= 4 else "not_appointed")
        )
        decisions.append(
            Decision(
                interview=it,
                outcome=outcome,
                rationale="Bench",
                decided_by=users[0],
                decided_at=it.scheduled_at + timedelta(days=rng.randint(0, 14)),
            )
        )
        consensus += [ConsensusScore(interview=it, value_id=val.pk, score=b) for val in values]
    Decision.objects.bulk_create(decisions, batch_size=2000)
    ConsensusScore.objects.bulk_create(consensus, batch_size=5000)
    return interviews, users


def _consensus_case(users, hr, panel_size, n_questions, tag):
    from bewigan.values.models import Value
    from recruitment import services
    from recruitment.models import Question, Vacancy
    from recruitment.selectors import plan_questions, rated_values

    manager = users[1]
    vacancy = Vacancy.objects.create(
        title=f"Consensus {tag}",
        reference=f"CON-{tag}",
        organisation=hr.person.organisation,
        recruiting_manager=manager,
    )
    vacancy.values.set(Value.objects.current())
    for q in list(Question.objects.approved().order_by("code"))[:: max(1, 48 // n_questions)][
        :n_questions
    ]:
        services.plan_question_add(user=manager, vacancy=vacancy, question=q)
    panel = users[200 : 200 + panel_size]
    for i, u in enumerate(panel):
        services.panel_member_add(user=manager, vacancy=vacancy, member=u, is_chair=i == 0)
    candidate = services.candidate_create(
        user=manager,
        vacancy=vacancy,
        data={
            "first_name": "Case",
            "last_name": tag,
            "scheduled_at": timezone.now() - timedelta(days=1),
        },
    )
    plan = plan_questions(vacancy=vacancy)
    vals = rated_values(vacancy=vacancy, plan=plan)
    for i, u in enumerate(panel):
        card = services.scorecard_for(interview=candidate.interview, user=u)
        answers = {
            "questions": {pq.pk: (1 + (i + pq.pk) % 5, "Evidence") for pq in plan},
            "values": {v.pk: (3, "View") for v in vals},
        }
        services.scorecard_submit(
            user=u,
            scorecard_id=card.pk,
            answers=answers,
            plan_ids={p.pk for p in plan},
            value_ids={v.pk for v in vals},
        )
    return f"/recruitment/interviews/{candidate.interview.pk}/consensus/"


def main() -> dict:
    from bewigan.people import roles
    from bewigan.people.models import Organisation, Person
    from recruitment.models import QuestionScore, Scorecard, Vacancy

    fresh_database()
    _seed_reference_data()
    rng = random.Random(7)
    with timer() as t:
        interviews, users = _generate(rng)
    User = get_user_model()
    hr = User.objects.create_user("bench@bench.example", "x", first_name="Bench", last_name="HR")
    hr.groups.add(Group.objects.get(name=roles.HR_ADMIN))
    Person.objects.create(user=hr, organisation=Organisation.objects.first(), employee_number="HR1")
    client = Client()
    client.force_login(hr)

    small = _consensus_case(users, hr, 3, 6, "small")
    large = _consensus_case(users, hr, 6, 12, "large")
    q_small, q_large = _page_queries(client, small), _page_queries(client, large)
    assert q_small == q_large <= 15, f"consensus queries {q_small} vs {q_large}"
    typical = f"/recruitment/interviews/{interviews[100].pk}/consensus/"
    consensus_ms = time_requests(client, typical, n=30)
    consensus_large_ms = time_requests(client, large, n=30)
    analytics_ms = time_requests(client, "/recruitment/analytics/", n=5)
    analytics_queries = _page_queries(client, "/recruitment/analytics/")
    figures = {
        "vacancies": Vacancy.objects.count(),
        "scorecards": Scorecard.objects.count(),
        "question_scores": QuestionScore.objects.count(),
        "generate_seconds": round(t["seconds"], 1),
        "consensus_queries_3_panellists_6_questions": q_small,
        "consensus_queries_6_panellists_12_questions": q_large,
        "consensus_median_ms": consensus_ms,
        "consensus_6x12_median_ms": consensus_large_ms,
        "analytics_queries": analytics_queries,
        "analytics_median_ms": analytics_ms,
        "database": connection.vendor,
        "load_average_1m": round(os.getloadavg()[0], 1),
        "peak_rss_mb": peak_rss_mb(),
    }
    assert consensus_ms < 100, f"consensus page {consensus_ms} ms"
    assert analytics_ms < 1000, f"analytics page {analytics_ms} ms"
    return figures
