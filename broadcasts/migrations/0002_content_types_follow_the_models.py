"""The moved models' content types change app (``campaigns`` → ``broadcasts``), keeping their ids,
so admin permissions, groups and the admin's history stay attached to them."""

from django.db import migrations

MODELS = ("broadcast", "delivery")


def _move(apps, old_app, new_app):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=old_app, model=model).first()
        if old is None:
            continue  # a fresh database: post_migrate makes the new rows
        # A row for the new app made meanwhile (post_migrate of a partial migrate) holds no history:
        # the old row, with its permissions, takes its place.
        ContentType.objects.filter(app_label=new_app, model=model).delete()
        old.app_label = new_app
        old.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    _move(apps, "campaigns", "broadcasts")


def backwards(apps, schema_editor):
    _move(apps, "broadcasts", "campaigns")


class Migration(migrations.Migration):
    dependencies = [
        ("broadcasts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
