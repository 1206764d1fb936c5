from django.db import migrations


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    from cms.moderation import setup_moderation

    setup_moderation(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_newsindexpage_storyindexpage_idea_ideacomment_and_more"),
        ("people", "0002_groups"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
