from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_stockmovement_source_from_bill"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="stockmovement",
            name="bill",
        ),
    ]
