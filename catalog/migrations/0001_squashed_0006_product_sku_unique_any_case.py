import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The catalog as 0001–0006 leave it, for a new database, which then never depends on billing.

    A database that has some of 0001–0006 applied goes on through them (0004 copies each
    movement's bill into its source). When every database has run 0006, 0001–0006 can go and this
    one loses ``replaces``; ``catalog/tests/test_migrations.py`` checks both roads end the same.
    """

    replaces = [
        ("catalog", "0001_initial"),
        ("catalog", "0002_description_max_length"),
        ("catalog", "0003_stockmovement_source"),
        ("catalog", "0004_stockmovement_source_from_bill"),
        ("catalog", "0005_remove_stockmovement_bill"),
        ("catalog", "0006_product_sku_unique_any_case"),
    ]

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Category",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100)),
                ("slug", models.SlugField(max_length=120, unique=True)),
                ("description", models.TextField(blank=True, max_length=2000)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "categories",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="Product",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200)),
                ("sku", models.CharField(max_length=64, verbose_name="SKU")),
                ("description", models.TextField(blank=True, max_length=5000)),
                (
                    "cost_price",
                    models.DecimalField(
                        decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(0)]
                    ),
                ),
                (
                    "sale_price",
                    models.DecimalField(
                        decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(0)]
                    ),
                ),
                ("quantity", models.PositiveIntegerField(default=0, help_text="Units in stock.")),
                ("low_stock_threshold", models.PositiveIntegerField(default=5)),
                ("is_active", models.BooleanField(default=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "category",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="products",
                        to="catalog.category",
                    ),
                ),
                (
                    "vendor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="products",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["name", "pk"],
            },
        ),
        migrations.CreateModel(
            name="StockMovement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("delta", models.IntegerField()),
                ("quantity_after", models.PositiveIntegerField(help_text="Stock right after this movement.")),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("initial", "Initial stock"),
                            ("restock", "Restock"),
                            ("sale", "Sale"),
                            ("void", "Bill voided"),
                            ("adjustment", "Manual adjustment"),
                        ],
                        max_length=16,
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=255)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "product",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="movements", to="catalog.product"
                    ),
                ),
                (
                    "source_type",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                ("source_id", models.PositiveBigIntegerField(blank=True, editable=False, null=True)),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["vendor", "is_active", "name"], name="product_vendor_active_name_idx"),
        ),
        migrations.AddConstraint(
            model_name="product",
            constraint=models.CheckConstraint(
                condition=models.Q(("quantity__gte", 0)), name="product_quantity_not_negative"
            ),
        ),
        migrations.AddConstraint(
            model_name="product",
            constraint=models.CheckConstraint(
                condition=models.Q(("cost_price__gte", 0)), name="product_cost_price_not_negative"
            ),
        ),
        migrations.AddConstraint(
            model_name="product",
            constraint=models.CheckConstraint(
                condition=models.Q(("sale_price__gte", 0)), name="product_sale_price_not_negative"
            ),
        ),
        migrations.AddConstraint(
            model_name="product",
            constraint=models.UniqueConstraint(
                models.F("vendor"),
                django.db.models.functions.text.Lower("sku"),
                name="product_sku_unique_per_vendor",
                violation_error_message="This vendor already has a product with this SKU (in any case).",
            ),
        ),
        migrations.AddIndex(
            model_name="stockmovement",
            index=models.Index(fields=["product", "-created_at"], name="stock_movement_product_idx"),
        ),
        migrations.AddIndex(
            model_name="stockmovement",
            index=models.Index(fields=["source_type", "source_id"], name="stock_movement_source_idx"),
        ),
        migrations.AddConstraint(
            model_name="stockmovement",
            constraint=models.CheckConstraint(
                condition=models.Q(("delta", 0), _negated=True), name="stock_movement_delta_not_zero"
            ),
        ),
        migrations.AddConstraint(
            model_name="stockmovement",
            constraint=models.CheckConstraint(
                condition=models.Q(("quantity_after__gte", 0)), name="stock_movement_after_not_negative"
            ),
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
