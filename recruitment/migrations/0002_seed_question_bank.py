"""Every install starts with the starter question bank (recruitment/question_bank.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from recruitment.question_bank import seed_question_bank

    seed_question_bank(
        RoleFamily=apps.get_model("recruitment", "RoleFamily"),
        Question=apps.get_model("recruitment", "Question"),
        QuestionVersion=apps.get_model("recruitment", "QuestionVersion"),
        Value=apps.get_model("values", "Value"),
        Behaviour=apps.get_model("values", "Behaviour"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0001_initial"),
        ("values", "0002_seed_values"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
