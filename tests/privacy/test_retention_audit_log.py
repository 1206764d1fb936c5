"""The audit log's one controlled exception: the retention schedule may
delete entries older than its period (and never younger than the floor),
through `AuditEntry.objects.retention_delete_before`. Everything else stays
refused: on PostgreSQL by the trigger, everywhere by the model."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from bewigan.core.models import AUDIT_RETENTION_FLOOR, AuditEntry

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
TABLE = AuditEntry._meta.db_table


@pytest.fixture
def entries():
    now = timezone.now()
    return {
        "ancient": AuditEntry.objects.create(at=now - timedelta(days=3000), action="view"),
        "old": AuditEntry.objects.create(at=now - timedelta(days=800), action="view"),
        "recent": AuditEntry.objects.create(at=now - timedelta(days=30), action="view"),
    }


def test_the_model_refuses_plain_deletes_and_updates(entries):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entries["ancient"].pk).delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entries["ancient"].pk).update(reason="x")
    with pytest.raises(PermissionError):
        entries["ancient"].delete()
    assert AuditEntry.objects.count() == 3


def test_retention_deletes_only_entries_older_than_the_cutoff_within_the_queryset(entries):
    cutoff = timezone.now() - timedelta(days=1000)
    kept = AuditEntry.objects.create(
        at=timezone.now() - timedelta(days=2000), action="view", object_type="keep.me"
    )
    deleted = AuditEntry.objects.exclude(object_type="keep.me").retention_delete_before(cutoff)
    assert deleted == 1
    assert set(AuditEntry.objects.values_list("pk", flat=True)) == {
        entries["old"].pk,
        entries["recent"].pk,
        kept.pk,
    }


def test_retention_never_deletes_younger_than_the_floor(entries):
    too_recent = timezone.now() - AUDIT_RETENTION_FLOOR + timedelta(days=1)
    with pytest.raises(PermissionError, match="floor"):
        AuditEntry.objects.retention_delete_before(too_recent)
    assert AuditEntry.objects.count() == 3


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _set(name, value):
    return f"SELECT set_config('{name}', '{value}', true)"


@pytest.mark.postgres
@on_postgres
def test_database_still_refuses_a_plain_delete_and_any_update(entries):
    pk = entries["ancient"].pk
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE} WHERE id = %s", [pk])  # noqa: S608
    # even with the retention switch on, UPDATE is refused
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(_set("bewigan.retention", "on"))
        cursor.execute(_set("bewigan.retention_before", timezone.now().isoformat()))
        cursor.execute(f"UPDATE {TABLE} SET reason = 'x' WHERE id = %s", [pk])  # noqa: S608
    assert AuditEntry.objects.filter(pk=pk).exists()


@pytest.mark.postgres
@on_postgres
def test_database_lets_a_delete_through_only_with_the_switch_the_cutoff_and_the_floor(entries):
    ancient, recent = entries["ancient"].pk, entries["recent"].pk
    delete = f"DELETE FROM {TABLE} WHERE id = %s"  # noqa: S608

    def attempt(pk, *settings):
        with transaction.atomic(), connection.cursor() as cursor:
            for name, value in settings:
                cursor.execute(_set(name, value))
            cursor.execute(delete, [pk])

    far_past = (timezone.now() - timedelta(days=5000)).isoformat()
    future = (timezone.now() + timedelta(days=1)).isoformat()
    refused = [
        (ancient, [("bewigan.retention", "on")]),  # no cutoff
        (ancient, [("bewigan.retention_before", future)]),  # switch off
        (ancient, [("bewigan.retention", "yes"), ("bewigan.retention_before", future)]),
        (ancient, [("bewigan.retention", "on"), ("bewigan.retention_before", far_past)]),
        # younger than the floor, even with a cutoff in the future
        (recent, [("bewigan.retention", "on"), ("bewigan.retention_before", future)]),
    ]
    for pk, settings in refused:
        with pytest.raises(DatabaseError, match="append-only"):
            attempt(pk, *settings)
    assert AuditEntry.objects.filter(pk__in=[ancient, recent]).count() == 2
    attempt(ancient, ("bewigan.retention", "on"), ("bewigan.retention_before", future))
    assert not AuditEntry.objects.filter(pk=ancient).exists()


@pytest.mark.postgres
@on_postgres
def test_the_switch_is_off_again_after_retention_and_outside_its_transaction(entries):
    with transaction.atomic():
        AuditEntry.objects.retention_delete_before(timezone.now() - timedelta(days=2000))
        # same transaction, straight after: a plain DELETE is refused again
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [entries["old"].pk])  # noqa: S608
    assert not AuditEntry.objects.filter(pk=entries["ancient"].pk).exists()
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE} WHERE id = %s", [entries["old"].pk])  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('bewigan.retention', true)")
        assert cursor.fetchone()[0] in (None, "", "off")
