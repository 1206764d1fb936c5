# Leavers and movers (issue #8): which session belongs to whom, so a leaver's
# sessions end at once, and one record per processed leaving.
# Depends on the latest privacy migration only to keep the graph linear.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0003_peopleimport'),
        ('privacy', '0003_retention_holds_and_runs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='UserSession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('session_key', models.CharField(max_length=40, unique=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='LeaverRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('leaver_date', models.DateField()),
                ('source', models.CharField(choices=[('import', 'HR import'), ('manual', 'Marked by an HR admin'), ('scheduled', 'Leaving date reached')], max_length=20)),
                ('reason', models.TextField(blank=True)),
                ('processed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('counts', models.JSONField(blank=True, default=dict, help_text='What was done: counts only')),
                ('handover_to', models.ForeignKey(blank=True, help_text='Who was told about the open work (their line manager, or HR)', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='leaver_records', to='people.person')),
                ('processed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-processed_at', '-id'],
                'constraints': [models.UniqueConstraint(fields=('person', 'leaver_date'), name='one_record_per_leaving')],
            },
        ),
    ]
