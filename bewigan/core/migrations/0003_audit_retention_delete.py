"""The retention schedule's one controlled exception to the append-only
audit log (PostgreSQL). DELETE passes only when, in the same transaction,
`bewigan.retention` is 'on' (SET LOCAL / set_config(..., true)), the row is
older than `bewigan.retention_before` and older than the floor (365 days,
`AUDIT_RETENTION_FLOOR` in models.py). UPDATE is always refused. Only
`AuditEntry.objects.retention_delete_before()` sets these."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND current_setting('bewigan.retention', true) = 'on'
     AND OLD.at < NULLIF(current_setting('bewigan.retention_before', true), '')::timestamptz
     AND OLD.at < now() - interval '365 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'core_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
"""
BACKWARD = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'core_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]
    operations = [migrations.RunPython(forward, backward)]
