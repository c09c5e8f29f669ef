from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
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
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "sku"], name="product_sku_unique_per_vendor"),
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
    def is_low_stock(self):
        return self.quantity <= self.low_stock_threshold


class StockMovement(models.Model):
    """One change of a product's stock, with why, who, and the bill when there is one."""

    class Reason(models.TextChoices):
        INITIAL = "initial", "Initial stock"
        RESTOCK = "restock", "Restock"
        SALE = "sale", "Sale"
        VOID = "void", "Bill voided"
        ADJUSTMENT = "adjustment", "Manual adjustment"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="movements")
    delta = models.IntegerField()
    quantity_after = models.PositiveIntegerField(help_text="Stock right after this movement.")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bill = models.ForeignKey(
        "billing.Bill", null=True, blank=True, on_delete=models.PROTECT, related_name="stock_movements"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="stock_movement_delta_not_zero"),
            models.CheckConstraint(condition=Q(quantity_after__gte=0), name="stock_movement_after_not_negative"),
        ]
        indexes = [models.Index(fields=["product", "-created_at"], name="stock_movement_product_idx")]

    def __str__(self):
        return f"{self.product} {self.delta:+d} ({self.reason})"


# Used by selectors and tests: a product is low on stock at or below this level.
LOW_STOCK = Q(quantity__lte=F("low_stock_threshold"))
