"""Profile page query count for a manager with 5 reports vs 500 reports
(must be equal, and at most 12), plus its server time."""

import datetime

from django.contrib.auth import get_user_model
from django.test import Client

from bench.util import count_queries, fresh_database, time_requests
from bewigan.people.models import Organisation, Person, Team, TeamMembership


def _manager_with_reports(org, team, n, tag):
    User = get_user_model()
    manager_user = User.objects.create_user(email=f"manager-{tag}@bench.example", password="x")
    manager = Person.objects.create(user=manager_user, organisation=org, employee_number=f"M-{tag}")
    TeamMembership.objects.create(person=manager, team=team, start_date=datetime.date(2020, 1, 1))
    users = User.objects.bulk_create(
        User(email=f"r{tag}-{i}@bench.example", first_name="Report", last_name=f"{i:04d}")
        for i in range(n)
    )
    reports = Person.objects.bulk_create(
        Person(user=u, organisation=org, employee_number=f"R{tag}-{i}", line_manager=manager)
        for i, u in enumerate(users)
    )
    TeamMembership.objects.bulk_create(
        TeamMembership(person=p, team=team, start_date=datetime.date(2021, 1, 1)) for p in reports
    )
    # a second level under the first few reports
    users2 = User.objects.bulk_create(
        User(email=f"s{tag}-{i}@bench.example", first_name="Second", last_name=f"{i:04d}")
        for i in range(n)
    )
    Person.objects.bulk_create(
        Person(user=u, organisation=org, employee_number=f"S{tag}-{i}", line_manager=reports[i % 3])
        for i, u in enumerate(users2)
    )
    return manager_user


def main():
    fresh_database()
    from bewigan.values.models import Behaviour, Framework, FrameworkVersion, Value
    from bewigan.values.seed import seed_frameworks

    seed_frameworks(Framework, FrameworkVersion, Value, Behaviour)
    org = Organisation.objects.create(name="Bench Council", slug="bench", kind="council")
    team = Team.objects.create(name="Bench team", code="bench-team", organisation=org)
    figures = {}
    for n in (5, 500):
        user = _manager_with_reports(org, team, n, str(n))
        client = Client()
        client.force_login(user)
        client.get("/people/me/")  # first request writes the session
        figures[f"queries_{n}_reports"] = count_queries(lambda c=client: c.get("/people/me/"))
        figures[f"median_ms_{n}_reports"] = time_requests(client, "/people/me/", n=20)
    assert figures["queries_5_reports"] == figures["queries_500_reports"], figures
    assert figures["queries_500_reports"] <= 12, figures
    figures["target"] = "equal query counts, at most 12"
    return figures
