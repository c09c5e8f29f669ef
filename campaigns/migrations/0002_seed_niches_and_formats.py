from django.db import migrations

from profiles.managed_lists import seed_managed_lists


def seed(apps, schema_editor):
    seed_managed_lists(apps.get_model("campaigns", "Niche"), apps.get_model("campaigns", "ContentFormat"))


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
