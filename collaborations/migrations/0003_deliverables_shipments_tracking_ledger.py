"""Deliverables and their submissions, gift shipments, tracking links and their clicks, and the
ledger of money owed to the influencer with its payouts."""

import collaborations.models
import django.db.models.deletion
import django.db.models.expressions
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def give_tracking_codes(apps, schema_editor):
    from collaborations.models import new_tracking_code

    Collaboration = apps.get_model("collaborations", "Collaboration")
    taken = set()
    for collaboration in Collaboration.objects.filter(tracking_code__isnull=True).only("pk").iterator():
        code = new_tracking_code()
        while code in taken:
            code = new_tracking_code()
        taken.add(code)
        Collaboration.objects.filter(pk=collaboration.pk).update(tracking_code=code)


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0005_bill_index_with_total'),
        ('campaigns', '0007_broadcasts_move_to_their_app'),
        ('catalog', '0001_initial'),
        ('collaborations', '0002_collaborations_for_accepted_applications'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ClickDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('clicks', models.PositiveIntegerField(default=0)),
                ('unique_clicks', models.PositiveIntegerField(default=0)),
            ],
            options={
                'ordering': ['-day'],
            },
        ),
        migrations.CreateModel(
            name='Deliverable',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField()),
                ('kind', models.CharField(choices=[('reel', 'Reel'), ('post', 'Post'), ('story', 'Story'), ('video', 'Video'), ('blog', 'Blog')], max_length=8)),
                ('brief', models.CharField(max_length=280)),
                ('due_date', models.DateField()),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('submitted', 'Submitted'), ('changes_requested', 'Changes requested'), ('approved', 'Approved')], default='pending', max_length=20)),
                ('revisions', models.PositiveSmallIntegerField(default=0, help_text='Changes requested so far.')),
                ('submitted_at', models.DateTimeField(blank=True, help_text='The latest submission.', null=True)),
                ('approved_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['position', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='LedgerEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('earned', 'Commission earned'), ('released', 'Commission released'), ('reversed', 'Commission reversed'), ('fee', 'Fee'), ('payout', 'Payout'), ('adjustment', 'Adjustment')], max_length=10)),
                ('held', models.DecimalField(decimal_places=2, default=0, help_text='Change of the held balance.', max_digits=14)),
                ('payable', models.DecimalField(decimal_places=2, default=0, help_text='Change of the payable balance.', max_digits=14)),
                ('paid', models.DecimalField(decimal_places=2, default=0, help_text='Change of the paid balance.', max_digits=14)),
                ('held_after', models.DecimalField(decimal_places=2, max_digits=14)),
                ('payable_after', models.DecimalField(decimal_places=2, max_digits=14)),
                ('paid_after', models.DecimalField(decimal_places=2, max_digits=14)),
                ('currency', models.CharField(max_length=3)),
                ('base_amount', models.DecimalField(blank=True, decimal_places=2, help_text="An earning's bill amount before tax, the rate applied to it.", max_digits=14, null=True)),
                ('rate', models.DecimalField(blank=True, decimal_places=2, help_text='Percent.', max_digits=5, null=True)),
                ('release_at', models.DateTimeField(blank=True, help_text="When an earning's hold ends.", null=True)),
                ('note', models.CharField(blank=True, max_length=500)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name_plural': 'ledger entries',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Payout',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14)),
                ('currency', models.CharField(max_length=3)),
                ('method', models.CharField(choices=[('upi', 'UPI'), ('bank_transfer', 'Bank transfer'), ('cash', 'Cash'), ('other', 'Other')], max_length=16)),
                ('reference', models.CharField(blank=True, help_text='The UPI or bank transaction reference.', max_length=100)),
                ('paid_on', models.DateField(default=django.utils.timezone.localdate)),
                ('note', models.CharField(blank=True, max_length=500)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'ordering': ['-paid_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Shipment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('preparing', 'Preparing'), ('shipped', 'Shipped'), ('delivered', 'Delivered'), ('returned', 'Returned')], default='preparing', max_length=10)),
                ('address', models.TextField(max_length=1000)),
                ('carrier', models.CharField(blank=True, max_length=100)),
                ('tracking_number', models.CharField(blank=True, max_length=100)),
                ('cost', models.DecimalField(decimal_places=2, default=0, help_text='The gifted products at cost, when sent.', max_digits=14)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('shipped_at', models.DateTimeField(blank=True, null=True)),
                ('delivered_at', models.DateTimeField(blank=True, null=True)),
                ('returned_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ShipmentItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('quantity', models.PositiveIntegerField()),
                ('unit_cost', models.DecimalField(decimal_places=2, help_text="The product's cost price when it was sent.", max_digits=14)),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='Submission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('round', models.PositiveSmallIntegerField()),
                ('url', models.URLField(blank=True, help_text='The published post.', max_length=500)),
                ('caption', models.TextField(blank=True, max_length=5000)),
                ('file', models.FileField(blank=True, help_text='A draft image or video.', max_length=255, upload_to=collaborations.models.draft_upload_to)),
                ('missing_disclosure', models.BooleanField(default=False, help_text='The caption carries no disclosure label.')),
                ('submitted_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('decision', models.CharField(blank=True, choices=[('', 'Waiting for review'), ('approved', 'Approved'), ('changes_requested', 'Changes requested')], default='', max_length=20)),
                ('comment', models.TextField(blank=True, help_text="The vendor's request for changes.", max_length=2000)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['-round'],
            },
        ),
        migrations.CreateModel(
            name='TrackingSalt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(unique=True)),
                ('salt', models.CharField(max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name='TrackingVisit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('visitor', models.CharField(max_length=64)),
            ],
        ),
        migrations.AddField(
            model_name='collaboration',
            name='held',
            field=models.DecimalField(decimal_places=2, default=0, help_text='Commission earned, still in its hold period.', max_digits=14),
        ),
        migrations.AddField(
            model_name='collaboration',
            name='paid',
            field=models.DecimalField(decimal_places=2, default=0, help_text='Paid to the influencer so far.', max_digits=14),
        ),
        migrations.AddField(
            model_name='collaboration',
            name='payable',
            field=models.DecimalField(decimal_places=2, default=0, help_text='Owed to the influencer now: released commission and the fee, less payouts. Negative after a reversal of commission already paid (set against what is earned next).', max_digits=14),
        ),
        migrations.AddField(
            model_name='collaboration',
            name='shipping_address',
            field=models.TextField(blank=True, help_text='Where the influencer wants gifted products sent.', max_length=1000),
        ),
        migrations.AddField(
            model_name='collaboration',
            name='tracking_code',
            field=models.CharField(help_text='The code of the tracking link /r/<code>.', max_length=16, null=True),
        ),
        # Each existing collaboration gets its own code (a callable default would give them all one).
        migrations.RunPython(give_tracking_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='collaboration',
            name='tracking_code',
            field=models.CharField(default=collaborations.models.new_tracking_code, help_text='The code of the tracking link /r/<code>.', max_length=16, unique=True),
        ),
        migrations.AddConstraint(
            model_name='collaboration',
            constraint=models.CheckConstraint(condition=models.Q(('held__gte', 0)), name='collaboration_held_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='collaboration',
            constraint=models.CheckConstraint(condition=models.Q(('paid__gte', 0)), name='collaboration_paid_not_negative'),
        ),
        migrations.AddField(
            model_name='clickday',
            name='collaboration',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='click_days', to='collaborations.collaboration'),
        ),
        migrations.AddField(
            model_name='deliverable',
            name='collaboration',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliverables', to='collaborations.collaboration'),
        ),
        migrations.AddField(
            model_name='deliverable',
            name='terms',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='collaborations.termsversion'),
        ),
        migrations.AddField(
            model_name='ledgerentry',
            name='bill',
            field=models.ForeignKey(blank=True, help_text='The attributed bill an earning is for.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='billing.bill'),
        ),
        migrations.AddField(
            model_name='ledgerentry',
            name='collaboration',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ledger', to='collaborations.collaboration'),
        ),
        migrations.AddField(
            model_name='ledgerentry',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='ledgerentry',
            name='earning',
            field=models.ForeignKey(blank=True, help_text='The earning a release or reversal is of.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='collaborations.ledgerentry'),
        ),
        migrations.AddField(
            model_name='payout',
            name='collaboration',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payouts', to='collaborations.collaboration'),
        ),
        migrations.AddField(
            model_name='payout',
            name='created_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='ledgerentry',
            name='payout',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='entry', to='collaborations.payout'),
        ),
        migrations.AddField(
            model_name='shipment',
            name='collaboration',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shipments', to='collaborations.collaboration'),
        ),
        migrations.AddField(
            model_name='shipment',
            name='created_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='shipmentitem',
            name='product',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.product'),
        ),
        migrations.AddField(
            model_name='shipmentitem',
            name='shipment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='collaborations.shipment'),
        ),
        migrations.AddField(
            model_name='submission',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='submission',
            name='deliverable',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='submissions', to='collaborations.deliverable'),
        ),
        migrations.AddField(
            model_name='submission',
            name='submitted_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='trackingvisit',
            name='collaboration',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='collaborations.collaboration'),
        ),
        migrations.AddConstraint(
            model_name='clickday',
            constraint=models.UniqueConstraint(fields=('collaboration', 'day'), name='click_day_unique'),
        ),
        migrations.AddConstraint(
            model_name='clickday',
            constraint=models.CheckConstraint(condition=models.Q(('unique_clicks__lte', models.F('clicks'))), name='click_day_unique_lte_all'),
        ),
        migrations.AddIndex(
            model_name='deliverable',
            index=models.Index(fields=['status', 'due_date'], name='deliverable_status_due_idx'),
        ),
        migrations.AddConstraint(
            model_name='deliverable',
            constraint=models.UniqueConstraint(fields=('collaboration', 'position'), name='deliverable_position_unique'),
        ),
        migrations.AddConstraint(
            model_name='deliverable',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'submitted', 'changes_requested', 'approved'])), name='deliverable_status_known'),
        ),
        migrations.AddConstraint(
            model_name='deliverable',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('approved_at__isnull', False), ('status', 'approved')), models.Q(models.Q(('status', 'approved'), _negated=True), ('approved_at__isnull', True)), _connector='OR'), name='deliverable_approved_has_time'),
        ),
        migrations.AddConstraint(
            model_name='payout',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='payout_amount_positive'),
        ),
        migrations.AddConstraint(
            model_name='payout',
            constraint=models.CheckConstraint(condition=models.Q(('method__in', ['upi', 'bank_transfer', 'cash', 'other'])), name='payout_method_known'),
        ),
        migrations.AddIndex(
            model_name='ledgerentry',
            index=models.Index(fields=['collaboration', '-created_at', '-id'], name='ledger_entry_collab_newest_idx'),
        ),
        migrations.AddIndex(
            model_name='ledgerentry',
            index=models.Index(fields=['kind', 'release_at'], name='ledger_entry_kind_release_idx'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('bill__isnull', False), ('held__gt', 0), ('kind', 'earned'), ('paid', 0), ('payable', 0), ('release_at__isnull', False)), models.Q(('earning__isnull', False), ('held__lt', 0), ('kind', 'released'), ('paid', 0), ('payable', django.db.models.expressions.CombinedExpression(models.F('held'), '*', models.Value(-1)))), models.Q(('earning__isnull', False), ('held__lt', 0), ('kind', 'reversed'), ('paid', 0), ('payable', 0)), models.Q(('earning__isnull', False), ('held', 0), ('kind', 'reversed'), ('paid', 0), ('payable__lt', 0)), models.Q(('held', 0), ('kind', 'fee'), ('paid', 0), ('payable__gt', 0)), models.Q(('held', 0), ('kind', 'payout'), ('paid', django.db.models.expressions.CombinedExpression(models.F('payable'), '*', models.Value(-1))), ('payable__lt', 0), ('payout__isnull', False)), models.Q(('kind', 'adjustment'), ('paid', 0), models.Q(models.Q(('held', 0), _negated=True), models.Q(('payable', 0), _negated=True), _connector='OR')), _connector='OR'), name='ledger_entry_amounts_match_kind'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.CheckConstraint(condition=models.Q(('held_after__gte', 0)), name='ledger_entry_held_after_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.CheckConstraint(condition=models.Q(('paid_after__gte', 0)), name='ledger_entry_paid_after_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'earned')), fields=('bill',), name='ledger_entry_one_earning_per_bill'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'released')), fields=('earning',), name='ledger_entry_earning_released_once'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'reversed')), fields=('earning',), name='ledger_entry_earning_reversed_once'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'fee')), fields=('collaboration',), name='ledger_entry_one_fee_per_collaboration'),
        ),
        migrations.AddConstraint(
            model_name='shipment',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['preparing', 'shipped', 'delivered', 'returned'])), name='shipment_status_known'),
        ),
        migrations.AddConstraint(
            model_name='shipment',
            constraint=models.CheckConstraint(condition=models.Q(('cost__gte', 0)), name='shipment_cost_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='shipmentitem',
            constraint=models.CheckConstraint(condition=models.Q(('quantity__gte', 1)), name='shipment_item_quantity_positive'),
        ),
        migrations.AddConstraint(
            model_name='shipmentitem',
            constraint=models.UniqueConstraint(fields=('shipment', 'product'), name='shipment_item_product_unique'),
        ),
        migrations.AddConstraint(
            model_name='submission',
            constraint=models.UniqueConstraint(fields=('deliverable', 'round'), name='submission_round_unique'),
        ),
        migrations.AddConstraint(
            model_name='submission',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('url', ''), _negated=True), models.Q(('file', ''), _negated=True), _connector='OR'), name='submission_has_url_or_file'),
        ),
        migrations.AddConstraint(
            model_name='submission',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('decided_at__isnull', True), ('decision', '')), models.Q(models.Q(('decision', ''), _negated=True), ('decided_at__isnull', False)), _connector='OR'), name='submission_decision_has_time'),
        ),
        migrations.AddConstraint(
            model_name='trackingvisit',
            constraint=models.UniqueConstraint(fields=('collaboration', 'day', 'visitor'), name='tracking_visit_unique'),
        ),
    ]
