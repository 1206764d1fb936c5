"""Organisational roles as groups. Relationship roles (line manager,
panellist, rater) come from the data, not from groups."""

from django.db import migrations

GROUPS = [
    "Staff",
    "Hiring panel member",
    "Recruiting manager",
    "HR admin",
    "Survey admin",
    "Comms editor",
    "Innovation lead",
]
# Roles that work in the Wagtail admin.
ADMIN_ACCESS = ["HR admin", "Comms editor"]
MODEL_PERMS = {
    "HR admin": [
        ("values", "framework", ["view"]),
        ("values", "frameworkversion", ["add", "change", "view"]),
        ("values", "value", ["add", "change", "view"]),
        ("people", "organisation", ["add", "change", "view"]),
        ("people", "neighbourhood", ["add", "change", "view"]),
        ("people", "team", ["add", "change", "view"]),
    ],
    "Comms editor": [
        ("people", "organisation", ["view"]),
        ("people", "neighbourhood", ["view"]),
        ("values", "value", ["view"]),
    ],
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in ADMIN_ACCESS:
        Group.objects.get(name=name).permissions.add(access)
    for name, specs in MODEL_PERMS.items():
        group = Group.objects.get(name=name)
        for app_label, model, verbs in specs:
            for verb in verbs:
                perm = Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{verb}_{model}"
                )
                group.permissions.add(perm)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("values", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
