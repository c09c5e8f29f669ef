"""Broadcast and Delivery now belong to ``broadcasts`` (its 0001): state only, no table changes.
Their tables keep their names (``db_table``) and every row."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0006_profiles_move_to_their_app"),
        ("broadcasts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Delivery"),
                migrations.DeleteModel(name="Broadcast"),
            ],
        ),
    ]
