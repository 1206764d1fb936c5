"""Demo recruitment for `manage.py seed_demo`: vacancies in four partner
organisations, interview plans from the bank, candidates, completed panels
with consensus and decisions, and one interview where panel@wwl.nhs.uk still
has a scorecard to submit.

Deterministic (fixed random seed, dates relative to today) and idempotent:
if the first demo vacancy exists, nothing is created. Writes go through the
services, so demo rows obey the same rules as real ones.
"""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bewigan.people.models import Organisation, Person, Team
from bewigan.values.models import Behaviour, Value

from . import services
from .models import Decision, Question, QuestionVersion, RoleFamily, Scorecard, Vacancy
from .question_bank import seed_question_bank

FIRST_NAMES = [
    "Aaliyah",
    "Ben",
    "Cara",
    "Dylan",
    "Esme",
    "Farhan",
    "Gemma",
    "Harvey",
    "Imran",
    "Jade",
    "Kieran",
    "Lola",
    "Mason",
    "Nadia",
    "Owen",
    "Priya",
    "Quinn",
    "Reece",
    "Safa",
    "Tyler",
    "Una",
    "Vikram",
    "Wren",
    "Yusuf",
]
LAST_NAMES = [
    "Atherton",
    "Boyle",
    "Chowdhury",
    "Dunn",
    "Eckersley",
    "Fairclough",
    "Gregson",
    "Hussain",
    "Ingham",
    "Jolly",
    "Kowalski",
    "Leigh",
    "Marsden",
    "Nolan",
    "Okafor",
    "Pilling",
    "Rourke",
    "Sutton",
    "Tonge",
    "Unsworth",
    "Varley",
    "Worsley",
]

# reference, title, org slug, team name, manager email (None = first person in org),
# panel [(email or None, chair)], question codes, decided candidates, visibility
VACANCIES = [
    (
        "DEMO-WC-001",
        "Reablement support worker",
        "wigan-council",
        "Reablement Wigan",
        "recruiter@wigan.gov.uk",
        [
            ("recruiter@wigan.gov.uk", True),
            ("panel@wwl.nhs.uk", False),
            ("manager@wigan.gov.uk", False),
        ],
        ["POS-01", "POS-05", "ACC-01", "ACC-07", "COU-02", "COU-05"],
        9,
        "after_own",
    ),
    (
        "DEMO-CP-002",
        "Community connector",
        "community-partners",
        "Social Prescribing Link Workers",
        "recruiter@wigan.gov.uk",
        [("recruiter@wigan.gov.uk", True), ("panel@wwl.nhs.uk", False), (None, False)],
        ["POS-02", "POS-16", "ACC-04", "COU-01", "COU-16"],
        8,
        "after_own",
    ),
    (
        "DEMO-WWL-003",
        "District nurse (band 6)",
        "wwl",
        "District Nursing Leigh",
        None,
        [(None, True), ("panel@wwl.nhs.uk", False)],
        ["POS-13", "ACC-02", "ACC-14", "COU-10", "COU-04"],
        8,
        "after_close",
    ),
    (
        "DEMO-HOM-004",
        "Housing officer",
        "wigan-homes",
        "Tenancy Sustainment",
        None,
        [(None, True), (None, False), (None, False)],
        ["POS-03", "POS-11", "ACC-05", "ACC-13", "COU-03", "COU-15"],
        10,
        "after_own",
    ),
    (
        "DEMO-WC-005",
        "Data analyst",
        "wigan-council",
        "Digital and Data",
        "recruiter@wigan.gov.uk",
        [("recruiter@wigan.gov.uk", True)],
        ["POS-08", "ACC-03"],
        0,
        "after_own",
    ),
]

EVIDENCE = {
    5: "Gave a vivid, specific example and explained what changed for the people involved.",
    4: "A strong, specific example; clear about their own part and what they learned.",
    3: "A good example, though the result and their own part were less clear.",
    2: "A general answer; needed probing to reach a specific example.",
    1: "Found it hard to give an example.",
}


def _person(org, index):
    people = list(
        Person.objects.filter(organisation=org)
        .select_related("user")
        .order_by("employee_number")[:12]
    )
    return people[index % len(people)] if people else None


def _answers(plan, values, base, rng, evidence=True):
    def pick():
        return max(1, min(5, base + rng.choice([-1, 0, 0, 0, 1])))

    q = {}
    for pq in plan:
        s = pick()
        q[pq.pk] = (s, EVIDENCE[s] if evidence else "")
    v = {}
    for value in values:
        s = pick()
        v[value.pk] = (s, f"Overall, {EVIDENCE[s][0].lower()}{EVIDENCE[s][1:]}" if evidence else "")
    return {"questions": q, "values": v}


@transaction.atomic
def seed(stdout=None) -> dict:
    from .selectors import plan_questions, rated_values

    seed_question_bank(
        RoleFamily=RoleFamily,
        Question=Question,
        QuestionVersion=QuestionVersion,
        Value=Value,
        Behaviour=Behaviour,
    )
    if Vacancy.objects.filter(reference=VACANCIES[0][0]).exists():
        return {"vacancies": 0}
    User = get_user_model()
    rng = random.Random(2026)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    hr = User.objects.filter(email="hr@wigan.gov.uk").first()
    values = list(Value.objects.current())
    questions = {q.code: q for q in Question.objects.approved()}
    created = {"vacancies": 0, "candidates": 0, "decisions": 0}
    name_i = 0
    for n, (
        ref,
        title,
        org_slug,
        team_name,
        manager_email,
        panel,
        codes,
        decided,
        visibility,
    ) in enumerate(VACANCIES):
        org = Organisation.objects.filter(slug=org_slug).first()
        if org is None:
            continue
        team = Team.objects.filter(organisation=org, name=team_name).first()
        fallback = _person(org, n)
        manager = (User.objects.filter(email=manager_email).first() if manager_email else None) or (
            fallback.user if fallback else None
        )
        if manager is None:
            continue
        vacancy = services.vacancy_save(
            user=hr,
            vacancy=None,
            data={
                "title": title,
                "reference": ref,
                "organisation": org,
                "team": team,
                "recruiting_manager": manager,
                "essential_criteria": "Experience of working with residents or patients.\nA commitment to our values.",
                "visibility": visibility,
                "status": "open",
                "values": values,
            },
        )
        created["vacancies"] += 1
        for code in codes:
            if code in questions:
                services.plan_question_add(
                    user=manager,
                    vacancy=vacancy,
                    question=questions[code],
                    minutes=rng.choice([6, 8, 10]),
                )
        used = {manager.pk}
        for i, (email, chair) in enumerate(panel):
            user = User.objects.filter(email=email).first() if email else None
            if user is None:
                candidate_person = _person(org, n + i + 3)
                user = candidate_person.user if candidate_person else None
            if user is None or user.pk in used and email is None:
                continue
            used.add(user.pk)
            services.panel_member_add(user=manager, vacancy=vacancy, member=user, is_chair=chair)
        plan = plan_questions(vacancy=vacancy)
        rvalues = rated_values(vacancy=vacancy, plan=plan)
        panel_users = [m.user for m in vacancy.panel.select_related("user")]
        for c in range(decided):
            first, last = (
                FIRST_NAMES[name_i % len(FIRST_NAMES)],
                LAST_NAMES[(name_i * 7) % len(LAST_NAMES)],
            )
            name_i += 1
            when = _office_time(-(20 + 9 * c + 3 * n), 10 + rng.choice([0, 2, 4]))
            candidate = services.candidate_create(
                user=manager,
                vacancy=vacancy,
                data={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{first.lower()}.{last.lower()}@example.org",
                    "external_ref": f"{ref}-A{c + 1:02d}",
                    "guaranteed_interview": c % 5 == 2,
                    "consent_share_evidence": c % 2 == 0,
                    "scheduled_at": when,
                    "location": "Wigan Life Centre",
                },
                equality={
                    "sex": rng.choice(["female", "female", "male", "prefer_not"]),
                    "age_band": rng.choice(["16-24", "25-34", "35-44", "45-54", "55-64"]),
                    "ethnicity": rng.choice(
                        ["white", "white", "white", "asian", "black", "mixed", "prefer_not"]
                    ),
                    "disability": rng.choice(["no", "no", "no", "yes", "prefer_not"]),
                },
            )
            created["candidates"] += 1
            base = rng.choice([2, 3, 3, 4, 4, 5])
            for user in panel_users:
                card = services.scorecard_for(interview=candidate.interview, user=user)
                services.scorecard_submit(
                    user=user,
                    scorecard_id=card.pk,
                    answers=_answers(plan, rvalues, base, rng),
                    plan_ids={p.pk for p in plan},
                    value_ids={v.pk for v in rvalues},
                )
            Scorecard.objects.filter(interview=candidate.interview).update(
                submitted_at=when + timedelta(hours=3)
            )
            outcome = (
                "appoint"
                if base >= 4 and c % 3 == 0
                else ("reserve" if base >= 4 else "not_appointed")
            )
            decision = services.decision_record(
                user=manager,
                interview=candidate.interview,
                agreed={v.pk: base for v in rvalues},
                outcome=outcome,
                rationale="The panel agreed the scores after discussing each value; see the consensus scores.",
            )
            Decision.objects.filter(pk=decision.pk).update(
                decided_at=when + timedelta(days=rng.choice([1, 2, 3, 6]))
            )
            created["decisions"] += 1
        if ref == "DEMO-WC-001":
            _reablement_extras(vacancy, plan, rvalues, panel_users, manager, now, rng)
        if ref == "DEMO-WWL-003":
            candidate = services.candidate_create(
                user=manager,
                vacancy=vacancy,
                data={
                    "first_name": "Wren",
                    "last_name": "Tonge",
                    "external_ref": f"{ref}-A99",
                    "scheduled_at": _office_time(5, 12),
                    "location": "Leigh Health Centre",
                },
                equality={},
            )
    if stdout:
        stdout.write(f"recruitment: {created}\n")
    return created


def _office_time(days: int, hour: int = 10):
    """`hour` o'clock, UK time, `days` from today, moved back to the Friday
    when that is a weekend: interviews sit in office hours whenever the demo
    is seeded (seeding near midnight used to give 00:00 interviews)."""
    day = timezone.localdate() + timedelta(days=days)
    day -= timedelta(days=max(0, day.weekday() - 4))
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _reablement_extras(vacancy, plan, rvalues, panel_users, manager, now, rng):
    """Sam Turner (staff@) was appointed through BeWigan and consented to share
    the panel's evidence; and one interview waits for panel@wwl.nhs.uk."""
    User = get_user_model()
    staff = User.objects.filter(email="staff@wigan.gov.uk").select_related("person").first()
    if staff is not None and hasattr(staff, "person"):
        when = _office_time(-200)
        candidate = services.candidate_create(
            user=manager,
            vacancy=vacancy,
            data={
                "first_name": staff.first_name,
                "last_name": staff.last_name,
                "email": staff.email,
                "external_ref": "DEMO-WC-001-A50",
                "consent_share_evidence": True,
                "scheduled_at": when,
            },
            equality={"sex": "prefer_not"},
        )
        for user in panel_users:
            card = services.scorecard_for(interview=candidate.interview, user=user)
            services.scorecard_submit(
                user=user,
                scorecard_id=card.pk,
                answers=_answers(plan, rvalues, 4, rng),
                plan_ids={p.pk for p in plan},
                value_ids={v.pk for v in rvalues},
            )
        services.decision_record(
            user=manager,
            interview=candidate.interview,
            agreed={v.pk: 4 for v in rvalues},
            outcome="appoint",
            rationale="Strong, specific evidence for every value; the panel was unanimous.",
        )  # links the candidate to Sam's staff profile by email
    candidate = services.candidate_create(
        user=manager,
        vacancy=vacancy,
        data={
            "first_name": "Nadia",
            "last_name": "Okafor",
            "email": "nadia.okafor@example.org",
            "external_ref": "DEMO-WC-001-A60",
            "guaranteed_interview": True,
            "consent_share_evidence": True,
            "scheduled_at": _office_time(-1),
            "location": "Wigan Life Centre, room 3",
        },
        equality={"disability": "yes"},
    )
    for user in panel_users:
        card = services.scorecard_for(interview=candidate.interview, user=user)
        if user.email == "panel@wwl.nhs.uk":
            answers = _answers(plan[:2], [], 4, rng)  # an autosaved, half-finished draft
            services.scorecard_save_draft(user=user, scorecard_id=card.pk, answers=answers)
        else:
            services.scorecard_submit(
                user=user,
                scorecard_id=card.pk,
                answers=_answers(plan, rvalues, 4, rng),
                plan_ids={p.pk for p in plan},
                value_ids={v.pk for v in rvalues},
            )
