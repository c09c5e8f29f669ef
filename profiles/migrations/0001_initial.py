"""The profile models move here from ``campaigns``: state only, their tables stay as they are
(``campaigns_niche``, ``campaigns_contentformat``, ``campaigns_influencerprofile`` and its two
through tables, ``campaigns_vendorprofile``). ``campaigns.0006`` drops them from its own state."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # The tables, made by campaigns.0001 and given time_zone by 0003.
        ("campaigns", "0003_vendor_time_zone"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ContentFormat",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=60, unique=True)),
                        ("slug", models.SlugField(max_length=60, unique=True)),
                    ],
                    options={
                        "db_table": "campaigns_contentformat",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Niche",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=60, unique=True)),
                        ("slug", models.SlugField(max_length=60, unique=True)),
                    ],
                    options={
                        "db_table": "campaigns_niche",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="VendorProfile",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "time_zone",
                            models.CharField(
                                blank=True,
                                help_text="Analytics buckets days in this zone; empty means the platform's.",
                                max_length=64,
                            ),
                        ),
                        ("website", models.URLField(blank=True)),
                        ("description", models.TextField(blank=True, max_length=2000)),
                        ("city", models.CharField(blank=True, max_length=100)),
                        ("country", models.CharField(blank=True, max_length=100)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="vendor_profile",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "campaigns_vendorprofile",
                    },
                ),
                migrations.CreateModel(
                    name="InfluencerProfile",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "follower_band",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("0-1k", "Under 1k"),
                                    ("1k-10k", "1k–10k"),
                                    ("10k-50k", "10k–50k"),
                                    ("50k-100k", "50k–100k"),
                                    ("100k-500k", "100k–500k"),
                                    ("500k-1m", "500k–1M"),
                                    ("1m+", "1M+"),
                                ],
                                max_length=12,
                            ),
                        ),
                        (
                            "engagement_rate",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=5,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(0),
                                    django.core.validators.MaxValueValidator(100),
                                ],
                                verbose_name="engagement rate %",
                            ),
                        ),
                        ("bio", models.TextField(blank=True, max_length=2000)),
                        (
                            "availability",
                            models.CharField(
                                choices=[
                                    ("available", "Available for campaigns"),
                                    ("limited", "Limited availability"),
                                    ("unavailable", "Not taking campaigns"),
                                ],
                                default="available",
                                max_length=12,
                            ),
                        ),
                        ("social_links", models.JSONField(blank=True, default=dict, help_text="Network name → profile URL.")),
                        ("city", models.CharField(blank=True, max_length=100)),
                        ("country", models.CharField(blank=True, max_length=100)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "content_formats",
                            models.ManyToManyField(blank=True, related_name="influencers", to="profiles.contentformat"),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="influencer_profile",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        ("niches", models.ManyToManyField(blank=True, related_name="influencers", to="profiles.niche")),
                    ],
                    options={
                        "db_table": "campaigns_influencerprofile",
                        "indexes": [models.Index(fields=["country", "follower_band"], name="influencer_country_band_idx")],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("engagement_rate__isnull", True),
                                    models.Q(("engagement_rate__gte", 0), ("engagement_rate__lte", 100)),
                                    _connector="OR",
                                ),
                                name="influencer_engagement_rate_0_to_100",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
