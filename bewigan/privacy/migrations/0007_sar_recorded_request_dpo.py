# Subject access (issue #16): the request as received (date, channel), when
# the person was told, confidential sections reviewed like names, and the
# data protection officer role that alone handles packs.

from django.db import migrations, models

DPO = "Data protection officer"


def seed_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=DPO)


def remove_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=DPO).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("privacy", "0006_move_grants_to_partners"),
    ]

    operations = [
        migrations.AddField(
            model_name="subjectaccessrequest",
            name="received_on",
            field=models.DateField(blank=True, help_text="When the request arrived", null=True),
        ),
        migrations.AddField(
            model_name="subjectaccessrequest",
            name="received_via",
            field=models.CharField(
                blank=True,
                choices=[
                    ("email", "Email"),
                    ("letter", "Letter"),
                    ("in_person", "In person or by phone"),
                    ("online", "Online form"),
                    ("other", "Other"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="subjectaccessrequest",
            name="subject_told_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the person was told the request is being handled",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="subjectaccessmention",
            name="kind",
            field=models.CharField(
                choices=[("name", "Another person's name"), ("confidential", "Confidential section")],
                default="name",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="subjectaccessmention",
            name="section_key",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.RunPython(seed_group, remove_group),
    ]
