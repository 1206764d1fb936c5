"""Applying an import: new people, updates, leavers, idempotence, all-or-nothing."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from bewigan.core.models import AuditEntry
from bewigan.people.importing import apply as apply_module
from bewigan.people.importing.services import people_import_file
from bewigan.people.models import Person, TeamMembership
from tests.people.factories import TeamFactory

from .import_files import csv_bytes, hierarchy_rows, person_row, xlsx_bytes

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def teams(organisation, other_organisation, team):
    return {
        "reablement-wigan": team,
        "reablement-leigh": TeamFactory(
            organisation=organisation, code="reablement-leigh", name="Leigh"
        ),
        "int-leigh": TeamFactory(
            organisation=other_organisation, code="int-leigh", name="INT Leigh"
        ),
    }


def run(rows, **kwargs):
    plan = people_import_file(content=csv_bytes(rows), filename="people.csv", **kwargs)
    assert plan.errors == [], plan.errors
    return plan


def person(employee_number):
    return Person.objects.select_related("user", "line_manager").get(
        employee_number=employee_number
    )


def test_new_people_get_an_account_profile_teams_and_manager(teams):
    rows = [
        person_row(1, job_title="Team manager"),
        person_row(
            2, team_codes="reablement-leigh;int-leigh", line_manager_employee_number="E00001"
        ),
    ]
    plan = run(rows)
    assert plan.counts == {
        "rows": 2,
        "new": 2,
        "changed": 0,
        "unchanged": 0,
        "leavers": 0,
        "absent_leavers": 0,
    }
    p = person("E00002")
    assert p.line_manager == person("E00001")
    assert p.user.email == "person2@wigan.gov.uk" and p.user.first_name == "Pat"
    assert not p.user.has_usable_password()
    assert p.user.is_active
    assert list(p.user.groups.values_list("name", flat=True)) == ["Staff"]
    assert EmailAddress.objects.filter(
        user=p.user, email=p.user.email, verified=True, primary=True
    ).exists()
    memberships = {m.team.code: m for m in p.memberships.all()}
    assert set(memberships) == {"reablement-leigh", "int-leigh"}
    assert memberships["reablement-leigh"].is_primary and not memberships["int-leigh"].is_primary
    assert memberships["int-leigh"].start_date == datetime.date(2024, 4, 1)


def test_reimporting_the_same_file_changes_nothing(teams, django_assert_max_num_queries):
    rows = hierarchy_rows(40)
    rows[5]["leaver_date"] = "2025-01-31"
    rows[6]["team_codes"] = "reablement-leigh;reablement-wigan"
    run(rows)
    before = list(
        Person.objects.order_by("pk").values_list(
            "employee_number",
            "job_title",
            "line_manager_id",
            "start_date",
            "leaver_date",
            "user__is_active",
        )
    )
    memberships = TeamMembership.objects.count()
    with django_assert_max_num_queries(15):
        plan = run(rows)
    assert plan.counts["unchanged"] == 40
    assert plan.changes == 0
    assert (
        list(
            Person.objects.order_by("pk").values_list(
                "employee_number",
                "job_title",
                "line_manager_id",
                "start_date",
                "leaver_date",
                "user__is_active",
            )
        )
        == before
    )
    assert TeamMembership.objects.count() == memberships


def test_a_changed_file_updates_people(teams):
    rows = hierarchy_rows(20)
    run(rows)
    old_membership = TeamMembership.objects.get(person__employee_number="E00015")
    rows[14].update(
        job_title="Senior support worker",
        team_codes="reablement-leigh;reablement-wigan",
        line_manager_employee_number="E00003",
        start_date="2019-06-03",
        last_name="Renamed",
        email="new.address@wigan.gov.uk",
    )
    plan = run(rows)
    assert plan.counts["changed"] == 1 and plan.counts["unchanged"] == 19 and plan.changes == 1
    p = person("E00015")
    assert p.job_title == "Senior support worker"
    assert p.line_manager.employee_number == "E00003"
    assert p.start_date == datetime.date(2019, 6, 3)
    assert p.user.last_name == "Renamed" and p.user.email == "new.address@wigan.gov.uk"
    assert list(EmailAddress.objects.filter(user=p.user).values_list("email", flat=True)) == [
        "new.address@wigan.gov.uk"
    ]
    # Still in reablement-wigan (same membership, now secondary); a new primary membership opens today.
    current = {m.team.code: m for m in TeamMembership.objects.current().filter(person=p)}
    assert (
        current["reablement-wigan"].pk == old_membership.pk
        and not current["reablement-wigan"].is_primary
    )
    assert current["reablement-leigh"].is_primary
    assert current["reablement-leigh"].start_date == timezone.localdate()


def test_leaving_a_team_closes_the_membership_with_a_date(teams):
    rows = [person_row(1)]
    run(rows)
    rows[0]["team_codes"] = "reablement-leigh"
    run(rows)
    p = person("E00001")
    closed = p.memberships.get(team=teams["reablement-wigan"])
    assert closed.end_date == timezone.localdate()
    assert [m.team.code for m in p.memberships.filter(end_date=None)] == ["reablement-leigh"]
    assert run(rows).changes == 0


def test_leaver_date_marks_a_leaver(teams):
    rows = hierarchy_rows(5)
    run(rows)
    rows[3]["leaver_date"] = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    plan = run(rows)
    assert plan.counts["leavers"] == 1 and plan.counts["changed"] == 1
    p = person("E00004")
    assert p.leaver_date == timezone.localdate() - datetime.timedelta(days=3)
    assert not p.user.is_active
    assert not TeamMembership.objects.current().filter(person=p).exists()
    assert p.memberships.get().end_date is not None
    assert run(rows).changes == 0


def test_a_future_leaver_date_keeps_the_account_until_then(teams):
    rows = [
        person_row(1, leaver_date=(timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    ]
    run(rows)
    assert person("E00001").user.is_active
    assert Person.objects.active().filter(employee_number="E00001").exists()


def test_full_organisation_file_marks_absent_people_as_leavers(teams, staff, outsider):
    rows = hierarchy_rows(3)
    run(rows)
    # Not a full-organisation file: people missing from it are left alone.
    assert run(rows[:2]).counts["leavers"] == 0
    assert person("E00003").user.is_active
    plan = run(rows[:2], full_organisation=True)
    # E00003, and staff and their line manager (Wigan Council, not in the file).
    assert plan.counts["absent_leavers"] == 3
    for gone in [person("E00003"), staff.person, staff.person.line_manager]:
        gone.refresh_from_db()
        gone.user.refresh_from_db()
        assert gone.leaver_date == timezone.localdate() and not gone.user.is_active
    # Another organisation is never touched by a Wigan Council file.
    outsider.refresh_from_db()
    assert outsider.is_active and outsider.person.leaver_date is None
    assert run(rows[:2], full_organisation=True).changes == 0


def test_matching_falls_back_to_email_when_the_employee_number_changes(teams):
    run([person_row(1)])
    plan = run([person_row(1, employee_number="NEW-1")])
    assert plan.counts == {
        "rows": 1,
        "new": 0,
        "changed": 1,
        "unchanged": 0,
        "leavers": 0,
        "absent_leavers": 0,
    }
    assert Person.objects.get().employee_number == "NEW-1"


def test_an_account_without_a_profile_gets_one(teams):
    user = User.objects.create_user(email="person1@wigan.gov.uk")
    run([person_row(1)])
    assert person("E00001").user == user


def test_xlsx_imports_like_csv(teams):
    rows = hierarchy_rows(12)
    plan = people_import_file(content=xlsx_bytes(rows), filename="people.xlsx")
    assert plan.errors == [] and plan.counts["new"] == 12
    assert person("E00012").line_manager.employee_number == "E00003"
    assert people_import_file(content=csv_bytes(rows), filename="people.csv").changes == 0


def test_an_error_in_row_9000_leaves_nothing_imported(teams):
    rows = hierarchy_rows(8999)
    rows[-1]["team_codes"] = "no-such-team"
    plan = people_import_file(content=csv_bytes(rows), filename="people.csv")
    assert [e.message for e in plan.errors] == ["Row 9000: team code no-such-team is not known"]
    assert Person.objects.count() == 0
    assert not User.objects.filter(email__startswith="person").exists()


def test_a_failure_while_writing_rolls_everything_back(teams, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(apply_module.TeamMembership.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        people_import_file(content=csv_bytes(hierarchy_rows(30)), filename="people.csv")
    assert Person.objects.count() == 0
    assert not User.objects.filter(email__startswith="person").exists()
    assert not AuditEntry.objects.exists()


def test_dry_run_writes_nothing(teams):
    plan = people_import_file(
        content=csv_bytes(hierarchy_rows(5)), filename="people.csv", dry_run=True
    )
    assert plan.counts["new"] == 5
    assert Person.objects.count() == 0


def test_the_import_is_audited_with_counts_not_content(teams):
    run(hierarchy_rows(4))
    entry = AuditEntry.objects.get(action="import")
    assert entry.details["counts"]["new"] == 4
    assert entry.details["organisations"] == ["wigan-council"]
    assert "person1@wigan.gov.uk" not in str(entry.details)


@pytest.mark.parametrize("size", [30, 300])
def test_query_count_does_not_grow_with_rows(teams, size, django_assert_max_num_queries):
    # The same bound at 30 and 300 rows (batches of 1,000; IN lists of 2,000).
    with django_assert_max_num_queries(40):
        plan = people_import_file(content=csv_bytes(hierarchy_rows(size)), filename="people.csv")
    assert plan.counts["new"] == size
    rows = hierarchy_rows(size)
    for row in rows:
        row["job_title"] = "Changed"
        row["team_codes"] = "reablement-leigh"
    with django_assert_max_num_queries(40):
        plan = people_import_file(content=csv_bytes(rows), filename="people.csv")
    assert plan.counts["changed"] == size
