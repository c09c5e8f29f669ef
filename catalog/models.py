from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models
from django.db.models import F, Q, Value
from django.db.models.functions import Lower
from django.utils import timezone


class Category(models.Model):
    """A shared product category, listed for every logged-in user."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class GstRate(models.Model):
    """A GST rate a product can be taxed at: the managed list admins keep (seeded by a migration).

    A bill line stores the rate it was charged at, so changing this list never alters a past
    invoice. A rate no longer in force is made inactive, not deleted: products that still carry
    it keep it until their vendor picks another, and new products cannot choose it."""

    rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        unique=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Percent, e.g. 18.00 (half CGST, half SGST within a state; IGST between states).",
    )
    description = models.CharField(max_length=200, blank=True, help_text="What it applies to, for vendors choosing.")
    is_active = models.BooleanField(default=True, help_text="In force: offered to new products.")

    class Meta:
        ordering = ["rate"]
        verbose_name = "GST rate"
        constraints = [
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=100), name="gst_rate_0_to_100"),
        ]

    def __str__(self):
        return f"{self.rate.normalize():f}%"


class Unit(models.TextChoices):
    """The units a product is counted in, by GST's Unique Quantity Codes (UQC) as invoices and
    GSTR-1 name them."""

    PIECES = "PCS", "pcs"
    NUMBERS = "NOS", "nos"
    KILOGRAMS = "KGS", "kg"
    GRAMS = "GMS", "g"
    LITRES = "LTR", "l"
    MILLILITRES = "MLT", "ml"
    METRES = "MTR", "m"
    CENTIMETRES = "CMS", "cm"
    SQUARE_METRES = "SQM", "sq m"
    BOXES = "BOX", "box"
    PAIRS = "PRS", "pair"
    SETS = "SET", "set"
    DOZENS = "DOZ", "dozen"
    BOTTLES = "BTL", "bottle"
    PACKS = "PAC", "pack"
    BAGS = "BAG", "bag"
    ROLLS = "ROL", "roll"
    TONNES = "TON", "tonne"
    UNITS = "UNT", "unit"
    OTHERS = "OTH", "other"


HSN_CODE_PATTERN = r"^(?:[0-9]{4}|[0-9]{6}|[0-9]{8})$"


def low_stock_q(*, threshold: int | None = None, prefix: str = "") -> Q:
    """What "low on stock" means: at or below the product's own ``low_stock_threshold`` (or at or
    below ``threshold`` units when one is given). ``prefix`` reads it through a relation
    (``"product__"`` from a bill line). ``Product.is_low_stock`` says the same of one product."""
    limit = F(f"{prefix}low_stock_threshold") if threshold is None else threshold
    return Q(**{f"{prefix}quantity__lte": limit})


def sku_keys(skus) -> dict[str, str]:
    """Each SKU's key under the SKU rule (one SKU per vendor whatever its case), folded by the
    database's own ``LOWER()``, as ``product_sku_unique_per_vendor`` and ``with_sku`` fold it: two
    SKUs are one product exactly when their keys are equal. Python's ``str.lower()`` folds
    differently (SQLite lowers ASCII only; a collation may not lower Σ or İ), so code that groups
    SKUs asks here rather than lowering them itself."""
    skus = list(dict.fromkeys(skus))
    keys: dict[str, str] = {}
    for start in range(0, len(skus), 500):
        batch = skus[start : start + 500]
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(["LOWER(%s)"] * len(batch)), batch)
            keys.update(zip(batch, cursor.fetchone(), strict=True))
    return keys


def is_low_stock(quantity: int, threshold: int) -> bool:
    """``low_stock_q()`` for one product's numbers, read outside a query."""
    return quantity <= threshold


class ProductQuerySet(models.QuerySet):
    def low_stock(self, *, threshold: int | None = None):
        return self.filter(low_stock_q(threshold=threshold))

    def with_sku(self, skus):
        """Products whose SKU is one of ``skus``, case aside: the rule of the database's
        ``product_sku_unique_per_vendor``, in the same words (``LOWER(sku)``)."""
        return self.alias(sku_key=Lower("sku")).filter(sku_key__in=[Lower(Value(sku)) for sku in skus])


class Product(models.Model):
    """Something one vendor sells. ``quantity`` always equals the sum of its stock movements."""

    vendor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=200)
    sku = models.CharField("SKU", max_length=64)
    description = models.TextField(blank=True, max_length=5000)
    cost_price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    sale_price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    quantity = models.PositiveIntegerField(default=0, help_text="Units in stock.")
    low_stock_threshold = models.PositiveIntegerField(default=5)
    hsn_code = models.CharField(
        "HSN code",
        max_length=8,
        blank=True,
        validators=[RegexValidator(HSN_CODE_PATTERN, "An HSN code has 4, 6 or 8 digits.")],
        help_text="4, 6 or 8 digits; printed on tax invoices.",
    )
    gst_rate = models.ForeignKey(
        GstRate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name="GST rate",
        help_text="Needed to sell it on a tax invoice.",
    )
    unit = models.CharField(max_length=3, choices=Unit.choices, default=Unit.PIECES, help_text="GST unit (UQC).")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            # One SKU per vendor whatever its case: "chai-1" and "CHAI-1" are the same product.
            models.UniqueConstraint(
                F("vendor"),
                Lower("sku"),
                name="product_sku_unique_per_vendor",
                violation_error_message="This vendor already has a product with this SKU (in any case).",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="product_quantity_not_negative"),
            models.CheckConstraint(condition=Q(cost_price__gte=0), name="product_cost_price_not_negative"),
            models.CheckConstraint(condition=Q(sale_price__gte=0), name="product_sale_price_not_negative"),
        ]
        indexes = [
            models.Index(fields=["vendor", "is_active", "name"], name="product_vendor_active_name_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.sku})"

    @property
    def is_low_stock(self) -> bool:
        return is_low_stock(self.quantity, self.low_stock_threshold)


class StockMovement(models.Model):
    """One change of a product's stock, with why, who, and what it belongs to when the caller says.

    ``source`` is whatever the caller passes in (a sale's bill, a gift's shipment): catalog stores
    the reference and shows it (its ``str()`` and ``get_absolute_url()``) without knowing what it is.
    """

    class Reason(models.TextChoices):
        INITIAL = "initial", "Initial stock"
        RESTOCK = "restock", "Restock"
        SALE = "sale", "Sale"
        VOID = "void", "Bill voided"
        RETURN = "return", "Returned by the customer"
        ADJUSTMENT = "adjustment", "Manual adjustment"
        GIFT = "gift", "Gifted to an influencer"
        GIFT_RETURN = "gift_return", "Gift returned"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="movements")
    delta = models.IntegerField()
    quantity_after = models.PositiveIntegerField(help_text="Stock right after this movement.")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    source = GenericForeignKey("source_type", "source_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="stock_movement_delta_not_zero"),
            models.CheckConstraint(condition=Q(quantity_after__gte=0), name="stock_movement_after_not_negative"),
            models.CheckConstraint(
                condition=Q(source_type__isnull=True, source_id__isnull=True)
                | Q(source_type__isnull=False, source_id__isnull=False),
                name="stock_movement_source_whole_or_none",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "-created_at"], name="stock_movement_product_idx"),
            models.Index(fields=["source_type", "source_id"], name="stock_movement_source_idx"),
        ]

    def __str__(self):
        return f"{self.product} {self.delta:+d} ({self.reason})"
