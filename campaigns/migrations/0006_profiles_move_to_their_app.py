"""Niches, content formats and the two profiles now belong to ``profiles`` (its 0001): state only,
no table changes. A campaign's target niches point at ``profiles.Niche``, the same table."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0005_delivery_claimed_run"),
        ("profiles", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="campaign",
                    name="niches",
                    field=models.ManyToManyField(
                        blank=True, related_name="campaigns", to="profiles.niche", verbose_name="target niches"
                    ),
                ),
                migrations.DeleteModel(name="InfluencerProfile"),
                migrations.DeleteModel(name="VendorProfile"),
                migrations.DeleteModel(name="Niche"),
                migrations.DeleteModel(name="ContentFormat"),
            ],
        ),
    ]
