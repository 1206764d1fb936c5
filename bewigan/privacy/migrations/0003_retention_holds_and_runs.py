# Retention, legal holds and erasure (issue #8): why a hold was released, and
# what each retention run skipped and which periods it used.
# Depends on the SAR migration only to keep the graph linear (no field overlap).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('privacy', '0002_sar_organisation_mention_forms'),
    ]

    operations = [
        migrations.AddField(
            model_name='legalhold',
            name='release_reason',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='retentionrun',
            name='periods',
            field=models.JSONField(blank=True, default=dict, help_text='{kind: period in months used by this run}'),
        ),
        migrations.AddField(
            model_name='retentionrun',
            name='skipped',
            field=models.JSONField(blank=True, default=dict, help_text='{kind: why it was not applied (disabled, notice)}'),
        ),
    ]
