"""Helpers for the leavers and movers tests: HR import rows for existing
personas, and running an import the way HR does (its after-commit work
included)."""

import datetime

from django.utils import timezone

from bewigan.people.importing.services import people_import_file
from bewigan.people.models import TeamMembership
from tests.people.import_files import csv_bytes


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def row_for(user, **overrides) -> dict:
    """The HR export row that leaves `user` exactly as they are."""
    p = user.person
    manager = p.line_manager
    teams = [
        m.team.code
        for m in TeamMembership.objects.current()
        .filter(person=p)
        .select_related("team")
        .order_by("-is_primary", "pk")
    ]
    row = {
        "employee_number": p.employee_number,
        "organisation": p.organisation.slug,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "job_title": p.job_title,
        "team_codes": ";".join(teams),
        "line_manager_employee_number": manager.employee_number if manager else "",
        "line_manager_organisation": (
            manager.organisation.slug
            if manager and manager.organisation_id != p.organisation_id
            else ""
        ),
        "start_date": p.start_date.isoformat() if p.start_date else "",
        "leaver_date": "",
    }
    row.update(overrides)
    return row


def hr_import(rows, capture, *, actor=None, full_organisation=False):
    """Import `rows` through the HR import service and run what it does
    after its transaction commits (`capture` is pytest-django's
    django_capture_on_commit_callbacks)."""
    with capture(execute=True):
        plan = people_import_file(
            content=csv_bytes(rows),
            filename="hr.csv",
            actor=actor,
            full_organisation=full_organisation,
        )
    assert plan.errors == [], plan.errors
    return plan
