from django.db import migrations


def seed(apps, schema_editor):
    from bewigan.values.seed import seed_frameworks

    seed_frameworks(
        apps.get_model("values", "Framework"),
        apps.get_model("values", "FrameworkVersion"),
        apps.get_model("values", "Value"),
        apps.get_model("values", "Behaviour"),
    )


class Migration(migrations.Migration):
    dependencies = [("values", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
