"""Copy each response's coarse attributes onto its answers, so that the
refresh aggregates with one index-only scan and no join."""

import django.db.models.deletion
from django.db import migrations, models


def copy_attributes(apps, schema_editor):
    Answer = apps.get_model("surveys", "Answer")
    Response = apps.get_model("surveys", "Response")
    attrs = Response.objects.filter(pk=models.OuterRef("response_id"))
    Answer.objects.update(
        organisation_id=models.Subquery(attrs.values("organisation_id")[:1]),
        team_id=models.Subquery(attrs.values("team_id")[:1]),
        neighbourhood_id=models.Subquery(attrs.values("neighbourhood_id")[:1]),
        age_band=models.Subquery(attrs.values("age_band")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_peopleimport"),
        ("surveys", "0002_question_library"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="answer", name="surveys_ans_wave_id_006a1c_idx"),
        migrations.AddField(
            model_name="answer",
            name="age_band",
            field=models.CharField(blank=True, default="", max_length=10),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="answer",
            name="neighbourhood",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.neighbourhood",
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="team",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.team",
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="organisation",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.organisation",
            ),
        ),
        migrations.RunPython(copy_attributes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="answer",
            name="organisation",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="answer",
            name="question",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="surveys.question",
            ),
        ),
        migrations.AlterField(
            model_name="answer",
            name="wave",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="surveys.wave",
            ),
        ),
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(
                fields=[
                    "wave",
                    "organisation",
                    "team",
                    "neighbourhood",
                    "age_band",
                    "question",
                    "value",
                ],
                name="surveys_answer_rollup",
            ),
        ),
    ]
