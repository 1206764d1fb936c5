# Data-sharing grants, taken over from the privacy app (issue #16) with
# their table, rows and constraints unchanged (state only). The content type
# moves too, so permissions and admin links keep working.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label="partners", model="datasharinggrant").exists():
        return
    ContentType.objects.filter(app_label="privacy", model="datasharinggrant").update(
        app_label="partners"
    )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label="privacy", model="datasharinggrant").exists():
        return
    ContentType.objects.filter(app_label="partners", model="datasharinggrant").update(
        app_label="privacy"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("people", "0003_peopleimport"),
        ("privacy", "0006_move_grants_to_partners"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="DataSharingGrant",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "purpose",
                            models.CharField(
                                choices=[
                                    (
                                        "hr",
                                        "HR administration (people, appraisals, recruitment, subject access)",
                                    ),
                                    ("surveys", "Staff surveys (results and administration)"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "agreement_reference",
                            models.CharField(
                                help_text="The data-sharing agreement this grant records",
                                max_length=100,
                            ),
                        ),
                        (
                            "description",
                            models.TextField(blank=True, help_text="What is shared and why"),
                        ),
                        ("starts_on", models.DateField(default=django.utils.timezone.localdate)),
                        (
                            "ends_on",
                            models.DateField(
                                blank=True, help_text="Exclusive; empty means open-ended", null=True
                            ),
                        ),
                        ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "receiving_organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="grants_received",
                                to="people.organisation",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "sharing_organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="grants_given",
                                to="people.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "privacy_datasharinggrant",
                        "ordering": [
                            "sharing_organisation__name",
                            "receiving_organisation__name",
                            "-starts_on",
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("sharing_organisation", models.F("receiving_organisation")),
                                    _negated=True,
                                ),
                                name="grant_between_two_organisations",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("ends_on__isnull", True),
                                    ("ends_on__gt", models.F("starts_on")),
                                    _connector="OR",
                                ),
                                name="grant_dates_ordered",
                            ),
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
