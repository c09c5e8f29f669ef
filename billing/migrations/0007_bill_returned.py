"""What a bill's credit notes took back (taxable value and cost), kept on the bill by billing.returns:
no credit note exists before 0006, so every bill starts at zero."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0006_gst_invoices'),
    ]

    operations = [
        migrations.AddField(
            model_name='bill',
            name='returned_cost',
            field=models.DecimalField(decimal_places=2, default=0, help_text='The cost of the goods its credit notes took back.', max_digits=14),
        ),
        migrations.AddField(
            model_name='bill',
            name='returned_taxable',
            field=models.DecimalField(decimal_places=2, default=0, help_text='The taxable value its credit notes took back (billing.returns keeps it).', max_digits=14),
        ),
        migrations.AddConstraint(
            model_name='bill',
            constraint=models.CheckConstraint(condition=models.Q(('returned_cost__gte', 0), ('returned_taxable__gte', 0), ('returned_taxable__lte', models.F('taxable_total'))), name='bill_returned_within_taxable'),
        ),
    ]
