"""Broadcast and Delivery, moved here from ``campaigns`` with their tables (issue #12).

State only: the tables ``campaigns_broadcast``, ``campaigns_delivery`` and
``campaigns_broadcast_recipients`` were made by campaigns' 0004 and 0005 and keep their names,
columns, indexes and constraints; no row moves. ``campaigns``' migration that deletes the two
models from its state depends on this one, so the models are always somewhere.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('campaigns', '0005_delivery_claimed_run'),
        ('chat', '0002_telegram_bridge'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Broadcast',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200)),
                        ('body', models.TextField(help_text='May use {name} and {campaign}.', max_length=3500)),
                        ('audience', models.CharField(choices=[('campaign', "A campaign's accepted influencers"), ('filter', 'Influencers matching filters'), ('list', 'Chosen influencers')], max_length=8)),
                        ('filters', models.JSONField(blank=True, default=dict, help_text='For a filter audience: niche, follower_band, min_engagement, country.')),
                        ('channels', models.JSONField(default=list, help_text='Any of chat, email, telegram.')),
                        ('scheduled_at', models.DateTimeField(blank=True, null=True)),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('scheduled', 'Scheduled'), ('running', 'Running'), ('paused', 'Paused'), ('finished', 'Finished'), ('cancelled', 'Cancelled')], default='draft', max_length=10)),
                        ('pause_reason', models.CharField(blank=True, max_length=300)),
                        ('run', models.PositiveIntegerField(default=0)),
                        ('run_errors', models.PositiveIntegerField(default=0, help_text='Failed attempts in a row in the current run.')),
                        ('recipient_count', models.PositiveIntegerField(default=0)),
                        ('total', models.PositiveIntegerField(default=0, help_text='Deliveries: recipients times their channels.')),
                        ('sent', models.PositiveIntegerField(default=0)),
                        ('failed', models.PositiveIntegerField(default=0)),
                        ('skipped', models.PositiveIntegerField(default=0)),
                        ('price_per_recipient', models.PositiveIntegerField(default=0)),
                        ('tokens_reserved', models.PositiveIntegerField(default=0)),
                        ('tokens_refunded', models.PositiveIntegerField(default=0)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('campaign', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='broadcasts', to='campaigns.campaign')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('recipients', models.ManyToManyField(blank=True, db_table='campaigns_broadcast_recipients', help_text='For a list audience.', related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('vendor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='broadcasts', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'campaigns_broadcast',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Delivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('chat', 'In-app chat'), ('email', 'Email'), ('telegram', 'Telegram')], max_length=8)),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('sending', 'Sending'), ('retrying', 'Waiting to retry'), ('sent', 'Sent'), ('failed', 'Failed'), ('skipped', 'Skipped')], default='pending', max_length=8)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('claimed_run', models.PositiveIntegerField(blank=True, help_text="The broadcast's run that last claimed it for sending.", null=True)),
                        ('last_error', models.TextField(blank=True)),
                        ('next_attempt_at', models.DateTimeField(blank=True, help_text='When a retry is due.', null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('broadcast', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='broadcasts.broadcast')),
                        ('message', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='chat.message')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name_plural': 'deliveries',
                        'db_table': 'campaigns_delivery',
                        'ordering': ['pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='broadcast',
                    index=models.Index(fields=['vendor', '-created_at'], name='broadcast_vendor_created_idx'),
                ),
                migrations.AddIndex(
                    model_name='broadcast',
                    index=models.Index(fields=['status', 'scheduled_at'], name='broadcast_status_scheduled_idx'),
                ),
                migrations.AddConstraint(
                    model_name='broadcast',
                    constraint=models.CheckConstraint(condition=models.Q(('tokens_refunded__lte', models.F('tokens_reserved'))), name='broadcast_refund_within_reserve'),
                ),
                migrations.AddConstraint(
                    model_name='broadcast',
                    constraint=models.CheckConstraint(condition=models.Q(('failed__lte', models.F('total')), ('sent__lte', models.F('total')), ('skipped__lte', models.F('total'))), name='broadcast_counters_within_total'),
                ),
                migrations.AddConstraint(
                    model_name='broadcast',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('audience', 'campaign'), _negated=True), ('campaign__isnull', False), _connector='OR'), name='broadcast_campaign_audience'),
                ),
                migrations.AddIndex(
                    model_name='delivery',
                    index=models.Index(fields=['broadcast', 'status'], name='delivery_broadcast_status_idx'),
                ),
                migrations.AddConstraint(
                    model_name='delivery',
                    constraint=models.UniqueConstraint(fields=('broadcast', 'recipient', 'channel'), name='delivery_one_per_recipient_and_channel'),
                ),
                migrations.AddConstraint(
                    model_name='delivery',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'sent'), _negated=True), ('sent_at__isnull', False), _connector='OR'), name='delivery_sent_has_time'),
                ),
            ],
        ),
    ]
