from django.db import migrations, models


class Migration(migrations.Migration):
    """Two more reasons a movement can have: stock gifted to an influencer (a collaboration's
    shipment) and a gift coming back. Only the choices change; no column does."""

    dependencies = [
        ("catalog", "0001_squashed_0006_product_sku_unique_any_case"),
    ]

    operations = [
        migrations.AlterField(
            model_name="stockmovement",
            name="reason",
            field=models.CharField(
                choices=[
                    ("initial", "Initial stock"),
                    ("restock", "Restock"),
                    ("sale", "Sale"),
                    ("void", "Bill voided"),
                    ("adjustment", "Manual adjustment"),
                    ("gift", "Gifted to an influencer"),
                    ("gift_return", "Gift returned"),
                ],
                max_length=16,
            ),
        ),
    ]
