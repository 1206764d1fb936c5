"""Manager dashboard (/my-time/team/) for a manager with 40 reports and 5
years of monthly my time (2,400 conversations, actions, talking points,
reflections), against a manager with 3 reports and 1 year. Targets: equal
query counts, at most 15, and a median server time under 100 ms."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from bench.util import count_queries, fresh_database, peak_rss_mb, time_requests, timer
from bewigan.people.models import Organisation, Person, Team, TeamMembership


def _manager(org, team, n_reports, years, tag, rng):
    from appraisals.models import Action, Conversation, Reflection, ShoutOut, TalkingPoint
    from bewigan.values.models import Behaviour, Value

    User = get_user_model()
    today = timezone.localdate()
    manager_user = User.objects.create_user(
        email=f"manager-{tag}@bench.example", password="x", first_name="M", last_name=tag
    )
    manager = Person.objects.create(user=manager_user, organisation=org, employee_number=f"M-{tag}")
    TeamMembership.objects.create(person=manager, team=team, start_date=datetime.date(2020, 1, 1))
    users = User.objects.bulk_create(
        User(email=f"r{tag}-{i}@bench.example", first_name="Report", last_name=f"{i:04d}")
        for i in range(n_reports)
    )
    reports = Person.objects.bulk_create(
        Person(user=u, organisation=org, employee_number=f"R{tag}-{i}", line_manager=manager)
        for i, u in enumerate(users)
    )
    convs = []
    for p in reports:
        for k in range(12 * years, 0, -1):
            day = today - datetime.timedelta(days=30 * k)
            stamp = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
            convs.append(
                Conversation(
                    person=p,
                    manager=manager,
                    meeting_date=day,
                    wellbeing_score=rng.randint(1, 5),
                    what_matters="Things",
                    recorded_at=stamp,
                    person_confirmed_at=stamp,
                    manager_confirmed_at=stamp,
                )
            )
        if rng.random() < 0.5:
            convs.append(
                Conversation(
                    person=p,
                    manager=manager,
                    meeting_date=today + datetime.timedelta(days=rng.randint(1, 25)),
                )
            )
    Conversation.objects.bulk_create(convs, batch_size=2000)
    convs = list(Conversation.objects.filter(manager=manager))
    behaviour_ids = list(Behaviour.objects.values_list("pk", flat=True))
    value = Value.objects.first()
    Action.objects.bulk_create(
        [
            Action(
                conversation=c,
                person_id=c.person_id,
                owner_id=c.person_id,
                text="Do the thing",
                due_date=c.meeting_date + datetime.timedelta(days=20),
                done_at=None if rng.random() < 0.1 else timezone.now(),
            )
            for c in convs
            for _ in range(2)
        ],
        batch_size=2000,
    )
    TalkingPoint.objects.bulk_create(
        [
            TalkingPoint(conversation=c, author_id=c.person_id, text="Point", discussed=True)
            for c in convs
        ],
        batch_size=2000,
    )
    Reflection.objects.bulk_create(
        [
            Reflection(conversation=c, behaviour_id=b, text="Example")
            for c in convs
            for b in behaviour_ids[:2]
        ],
        batch_size=2000,
    )
    ShoutOut.objects.bulk_create(
        [
            ShoutOut(giver=manager, recipient=p, value=value, message="Thanks")
            for p in reports
            for _ in range(10)
        ]
    )
    return manager_user, len(convs)


def main():
    fresh_database()
    from bewigan.values.models import Behaviour, Framework, FrameworkVersion, Value
    from bewigan.values.seed import seed_frameworks

    seed_frameworks(Framework, FrameworkVersion, Value, Behaviour)
    rng = random.Random(7)
    org = Organisation.objects.create(name="Bench Council", slug="bench", kind="council")
    team = Team.objects.create(name="Bench team", code="bench-team", organisation=org)
    figures = {}
    for n, years in ((3, 1), (40, 5)):
        with timer() as t:
            user, conversations = _manager(org, team, n, years, f"{n}", rng)
        figures[f"seed_seconds_{n}_reports"] = round(t["seconds"], 1)
        figures[f"conversations_{n}_reports"] = conversations
        client = Client()
        client.force_login(user)
        client.get("/my-time/team/")  # first request writes the session
        figures[f"queries_{n}_reports"] = count_queries(lambda c=client: c.get("/my-time/team/"))
        figures[f"median_ms_{n}_reports"] = time_requests(client, "/my-time/team/", n=20)
    figures["peak_rss_mb"] = peak_rss_mb()
    assert figures["queries_3_reports"] == figures["queries_40_reports"], figures
    assert figures["queries_40_reports"] <= 15, figures
    assert figures["median_ms_40_reports"] < 100, figures
    figures["target"] = "equal query counts, at most 15; median under 100 ms"
    return figures
