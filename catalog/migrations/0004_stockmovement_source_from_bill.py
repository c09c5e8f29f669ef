from django.db import migrations
from django.db.models import F

# The content type of billing's Bill, named, not imported: catalog's code does not know billing.
BILL = {"app_label": "billing", "model": "bill"}


def bill_to_source(apps, schema_editor):
    """Every movement of a bill now names the bill as its source (one UPDATE)."""
    StockMovement = apps.get_model("catalog", "StockMovement")
    ContentType = apps.get_model("contenttypes", "ContentType")
    movements = StockMovement.objects.using(schema_editor.connection.alias).filter(bill__isnull=False)
    if movements.exists():
        bill_type, _ = ContentType.objects.using(schema_editor.connection.alias).get_or_create(**BILL)
        movements.update(source_type=bill_type, source_id=F("bill_id"))


def source_to_bill(apps, schema_editor):
    StockMovement = apps.get_model("catalog", "StockMovement")
    ContentType = apps.get_model("contenttypes", "ContentType")
    bill_type = ContentType.objects.using(schema_editor.connection.alias).filter(**BILL).first()
    if bill_type is not None:
        StockMovement.objects.using(schema_editor.connection.alias).filter(source_type=bill_type).update(
            bill_id=F("source_id"), source_type=None, source_id=None
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_stockmovement_source"),
    ]

    operations = [
        migrations.RunPython(bill_to_source, source_to_bill),
    ]
