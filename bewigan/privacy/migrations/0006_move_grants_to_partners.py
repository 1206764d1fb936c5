# Data-sharing grants move below the capabilities, to bewigan.partners
# (issue #16). State only: the table (privacy_datasharinggrant) and its rows
# stay where they are; partners.0001 takes the model over.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0005_leavers_sessions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DataSharingGrant")],
            database_operations=[],
        ),
    ]
