"""Daily rollups of paid sales: a cache of the bills table that makes long series fast.

The bills table stays the source of truth. Each rollup day carries its fingerprint (bills,
revenue, and the sum of their creation times in epoch seconds), so any change to the bills,
whether through the services, an import, or history rewritten by hand, is noticed and only the
days that differ are recomputed (checked in ``analytics.rollup``, recomputed by
``analytics.services.rollup_refresh``).
"""

from django.conf import settings
from django.db import models


class DailySales(models.Model):
    """One vendor's paid bills on one day of the vendor's time zone."""

    vendor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    time_zone = models.CharField(max_length=64, help_text="The zone the day was counted in.")
    bills = models.PositiveIntegerField()
    revenue = models.DecimalField(max_digits=16, decimal_places=2)
    seconds = models.BigIntegerField(help_text="Sum of the bills' creation times in epoch seconds (fingerprint).")

    class Meta:
        verbose_name_plural = "daily sales"
        constraints = [models.UniqueConstraint(fields=["vendor", "day"], name="daily_sales_unique_per_day")]

    def __str__(self):
        return f"{self.vendor_id} {self.day}: {self.bills} bills"


class DailyProductSales(models.Model):
    """One product's paid lines on one day of its vendor's time zone."""

    vendor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    units = models.PositiveIntegerField()
    revenue = models.DecimalField(max_digits=16, decimal_places=2)
    profit = models.DecimalField(max_digits=16, decimal_places=2)
    bills = models.PositiveIntegerField(help_text="Bills with this product on this day.")

    class Meta:
        verbose_name_plural = "daily product sales"
        constraints = [
            models.UniqueConstraint(fields=["vendor", "day", "product"], name="daily_product_sales_unique_per_day")
        ]

    def __str__(self):
        return f"{self.vendor_id} {self.day} product {self.product_id}: {self.units} units"
