import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """A movement's reference to what it belongs to becomes generic (the caller's ``source``), so
    that catalog no longer points at billing. The bill column goes in 0005, after 0004 copies it."""

    dependencies = [
        ("catalog", "0002_description_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="stockmovement",
            name="source_type",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="stockmovement",
            name="source_id",
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="stockmovement",
            index=models.Index(fields=["source_type", "source_id"], name="stock_movement_source_idx"),
        ),
        migrations.AddConstraint(
            model_name="stockmovement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("source_id__isnull", True), ("source_type__isnull", True)),
                    models.Q(("source_id__isnull", False), ("source_type__isnull", False)),
                    _connector="OR",
                ),
                name="stock_movement_source_whole_or_none",
            ),
        ),
    ]
