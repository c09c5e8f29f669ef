from django.db import migrations, models


class Migration(migrations.Migration):
    """The rules of a gift shipment's life, held by the database: each status has the times of its
    steps, a sent shipment has its carrier and tracking number, and an item's cost is not negative."""

    dependencies = [
        ("collaborations", "0003_deliverables_shipments_tracking_ledger"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="shipment",
            constraint=models.CheckConstraint(
                condition=models.Q(status="preparing", shipped_at=None, delivered_at=None, returned_at=None)
                | models.Q(status="shipped", shipped_at__isnull=False, delivered_at=None, returned_at=None)
                | models.Q(status="delivered", shipped_at__isnull=False, delivered_at__isnull=False, returned_at=None)
                | (
                    models.Q(status="returned", returned_at__isnull=False)
                    & (models.Q(delivered_at=None) | models.Q(shipped_at__isnull=False))
                ),
                name="shipment_times_match_status",
            ),
        ),
        migrations.AddConstraint(
            model_name="shipment",
            constraint=models.CheckConstraint(
                condition=models.Q(shipped_at__isnull=True) | (~models.Q(carrier="") & ~models.Q(tracking_number="")),
                name="shipment_sent_has_tracking",
            ),
        ),
        migrations.AddConstraint(
            model_name="shipmentitem",
            constraint=models.CheckConstraint(
                condition=models.Q(unit_cost__gte=0), name="shipment_item_unit_cost_not_negative"
            ),
        ),
    ]
