from django.db import migrations


def seed(apps, schema_editor):
    from surveys.library import seed_library

    seed_library(apps.get_model("surveys", "Question"), apps.get_model("values", "Value"))


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial"), ("values", "0002_seed_values")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
