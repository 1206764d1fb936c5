"""HR admins read the audit log for people in their own organisation;
entries can never be changed or deleted."""

import pytest
from django.db import DatabaseError, connection, transaction

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
    }


def test_hr_admin_reads_entries_for_their_organisation(client_for, hr_admin, entries):
    response = client_for(hr_admin).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "My time review" in html
    assert "appraisals.conversation" in html
    assert "recruitment.scorecard" in html  # about someone in their organisation
    assert "Outsider secret" not in html
    assert "4 entries" not in html and "3 entries" in html


@pytest.mark.parametrize(
    "query, present, absent",
    [
        ({"person": "STAFF@wigan.gov.uk"}, ["My time review", "appraisals.conversation"], []),
        ({"person": "manager@wigan.gov.uk"}, ["My time review"], ["appraisals.conversation"]),
        ({"action": "update"}, ["appraisals.conversation"], ["My time review"]),
        ({"object_type": "people.person"}, ["My time review"], ["appraisals.conversation"]),
        ({"person": "outsider@wwl.nhs.uk"}, ["recruitment.scorecard"], ["Outsider secret"]),
    ],
)
def test_filters(client_for, hr_admin, entries, query, present, absent):
    html = client_for(hr_admin).get(URL, query).content.decode()
    for text in present:
        assert text in html, text
    for text in absent:
        assert text not in html.split("<table")[-1], text


def test_bad_filter_shows_an_error(client_for, hr_admin, entries):
    response = client_for(hr_admin).get(URL, {"object_type": "nope.nothing", "person": "bad"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


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


def test_hr_admin_of_another_organisation_sees_only_theirs(client_for, outsider, entries):
    from django.contrib.auth.models import Group

    outsider.groups.add(Group.objects.get(name="HR admin"))
    from django.conf import settings

    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [outsider.email]
    html = client_for(outsider).get(URL).content.decode()
    assert "Outsider secret" in html and "My time review" not in html


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
        client.get(URL, {"page": 2, "person": staff.email})


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
