"""HR admins read the audit log for people in their own organisation;
entries can never be changed or deleted."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from bewigan.core.models import AuditEntry
from bewigan.core.services import audit_record

pytestmark = pytest.mark.django_db
URL = "/people/audit/"


@pytest.fixture
def entries(hr_admin, staff, line_manager, outsider):
    return {
        "about_staff": audit_record(
            actor=line_manager,
            action="view",
            obj=staff.person,
            subject=staff,
            reason="My time review",
        ),
        "by_staff": audit_record(
            actor=staff, action="update", object_type="appraisals.conversation", object_id=7
        ),
        "outsider_only": audit_record(
            actor=outsider,
            action="view",
            obj=outsider.person,
            subject=outsider,
            reason="Outsider secret",
        ),
        "outsider_about_staff": audit_record(
            actor=outsider, action="export", object_type="recruitment.scorecard", subject=staff
        ),
        "other_record": audit_record(
            actor=staff, action="view", object_type="appraisals.conversation", object_id=8
        ),
        "system": audit_record(
            actor=None, action="delete", obj=staff.person, subject=staff, reason="Retention job"
        ),
        # 23:30 UK summer time is 22:30 UTC: the date filters use UK days.
        "last_year": AuditEntry.objects.create(
            at=timezone.make_aware(datetime.datetime(2025, 6, 1, 23, 30)),
            actor=line_manager,
            action="view",
            subject=staff,
            object_type="people.person",
            reason="Last year",
        ),
    }


def test_hr_admin_reads_entries_for_their_organisation(client_for, hr_admin, entries):
    response = client_for(hr_admin).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "My time review" in html
    assert "Conversation 7" in html and "appraisals.conversation #7" not in html
    assert "Scorecard" in html  # about someone in their organisation
    assert "Outsider secret" not in html
    assert "Retention job" in html and "Last year" in html
    assert "6 entries" in html


@pytest.mark.parametrize(
    "query, present, absent",
    [
        # About a person: by exact email (any case) or by name.
        (
            {"subject": "STAFF@wigan.gov.uk"},
            ["My time review", "Scorecard"],
            ["Conversation"],
        ),
        (
            {"subject": "sam turner"},
            ["My time review", "Scorecard"],
            ["Conversation"],
        ),
        ({"subject": "Turn"}, ["My time review"], ["Conversation"]),
        ({"subject": "manager@wigan.gov.uk"}, [], ["My time review", "Conversation"]),
        # Done by a person.
        (
            {"actor": "manager@wigan.gov.uk"},
            ["My time review"],
            ["Conversation", "Scorecard"],
        ),
        ({"actor": "Priya"}, ["My time review"], ["Conversation"]),
        ({"actor": "sam"}, ["Conversation"], ["My time review"]),
        (
            {"actor": "outsider@wwl.nhs.uk"},
            ["Scorecard"],
            ["Outsider secret", "My time review"],
        ),
        ({"actor": "system"}, ["Retention job"], ["My time review", "Conversation"]),
        # Action, kind of record, one record.
        ({"action": "update"}, ["Conversation"], ["My time review"]),
        ({"object_type": "people.person"}, ["My time review"], ["Conversation"]),
        (
            {"object_type": "appraisals.conversation", "object_id": "7"},
            ["Conversation 7"],
            ["Conversation 8", "My time review"],
        ),
        # Dates (inclusive, UK time).
        ({"date_from": "2026-03-01"}, ["My time review"], ["Last year"]),
        ({"date_to": "2025-12-31"}, ["Last year"], ["My time review"]),
        ({"date_from": "2025-06-01", "date_to": "2025-06-01"}, ["Last year"], ["My time review"]),
    ],
)
def test_filters(client_for, hr_admin, entries, query, present, absent):
    response = client_for(hr_admin).get(URL, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" not in html
    table = html.split("<table")[-1] if "<table" in html else ""
    for text in present:
        assert text in table, text
    for text in absent:
        assert text not in table, text


def test_rows_link_to_their_record_actor_and_subject(client_for, hr_admin, entries):
    html = client_for(hr_admin).get(URL).content.decode()
    assert "?object_type=appraisals.conversation&amp;object_id=7" in html
    assert "?actor=manager%40wigan.gov.uk" in html
    assert "?subject=staff%40wigan.gov.uk" in html


def test_bad_filter_shows_an_error(client_for, hr_admin, entries):
    response = client_for(hr_admin).get(
        URL, {"object_type": "nope.nothing", "date_from": "2026-02-30", "date_to": "2026-01-01"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Select a valid choice" in html and "Enter a valid date" in html


def test_end_date_before_start_date_and_number_without_kind_are_refused(
    client_for, hr_admin, entries
):
    html = (
        client_for(hr_admin)
        .get(URL, {"date_from": "2026-03-02", "date_to": "2026-03-01", "object_id": "7"})
        .content.decode()
    )
    assert "The end date must be the same as or after the start date" in html
    assert "Choose the kind of record the number belongs to" in html


def test_pagination_keeps_filters(client_for, hr_admin, staff):
    for i in range(60):
        audit_record(actor=staff, action="view", object_type="appraisals.conversation", object_id=i)
    html = client_for(hr_admin).get(URL, {"action": "view"}).content.decode()
    assert "Page 1 of 2" in html
    assert "?action=view&amp;page=2" in html


@pytest.mark.parametrize(
    "persona", ["staff", "line_manager", "survey_admin", "recruiting_manager", "comms_editor"]
)
def test_others_are_refused(request, client_for, entries, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(URL).status_code == 403


def test_hr_admin_of_another_organisation_sees_only_theirs(client_for, outsider, entries, settings):
    """WWL's HR admin sees entries about WWL people, never entries about
    Wigan people, not even those made by WWL staff."""
    from django.contrib.auth.models import Group

    outsider.groups.add(Group.objects.get(name="HR admin"))
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [outsider.email]
    client = client_for(outsider)
    html = client.get(URL).content.decode()
    assert "Outsider secret" in html
    for text in ("My time review", "recruitment.scorecard", "Retention job", "Turner"):
        assert text not in html, text
    assert "1 entry" in html
    # Filters cannot reach them either.
    for query in ({"subject": "staff@wigan.gov.uk"}, {"actor": "outsider@wwl.nhs.uk"}):
        html = client.get(URL, query).content.decode()
        assert "recruitment.scorecard" not in html.split("<table")[-1]


def test_query_count_is_constant(
    client_for, hr_admin, staff, entries, django_assert_max_num_queries
):
    client = client_for(hr_admin)
    client.get(URL)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for i in range(120):
        audit_record(actor=staff, action="view", obj=staff.person, subject=staff, reason=f"r{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"page": 2, "subject": staff.email})
    assert "Page 2 of" in response.content.decode()
    every_filter = {
        "page": 2,
        "subject": "Sam Turner",
        "actor": "staff",
        "action": "view",
        "object_type": "people.person",
        "object_id": str(staff.person.pk),
        "date_from": "2026-01-01",
        "date_to": timezone.localdate().isoformat(),
    }
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, every_filter)
    assert "Page 2 of 3" in response.content.decode()


def test_entries_cannot_be_changed_or_deleted(entries):
    entry = entries["about_staff"]
    entry.reason = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "My time review"


def test_django_admin_cannot_change_entries(entries):
    from django.contrib import admin
    from django.test import RequestFactory

    from tests.people.factories import UserFactory

    model_admin = admin.site._registry[AuditEntry]
    request = RequestFactory().get("/")
    request.user = UserFactory(email="root@wigan.gov.uk", is_superuser=True, is_staff=True)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entries["about_staff"])
    assert not model_admin.has_delete_permission(request, entries["about_staff"])


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
def test_database_refuses_raw_update_and_delete(entries):
    pk = entries["about_staff"].pk
    table = AuditEntry._meta.db_table
    for sql in (
        f"UPDATE {table} SET reason = 'rewritten' WHERE id = %s",  # noqa: S608
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [pk])
    assert AuditEntry.objects.get(pk=pk).reason == "My time review"
