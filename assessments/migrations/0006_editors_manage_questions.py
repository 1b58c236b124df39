"""Give Wagtail's Editors and Moderators groups the question banks (as Wagtail gives them
pages and images), so that editors can author, import and analyse questions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("question", "questionbank")
ACTIONS = ("add", "change", "delete", "view")


def forwards(apps, schema_editor):
    config = apps.get_app_config("assessments")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="assessments",
        codename__in=[f"{action}_{model}" for action in ACTIONS for model in MODELS])
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0005_drop_inline_questions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
