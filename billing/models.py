from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Bill(models.Model):
    """A sale by one vendor to one customer. Totals are computed by the server from the lines."""

    class Status(models.TextChoices):
        PAID = "paid", "Paid"
        VOID = "void", "Void"

    class EmailStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        NOT_SENT = "not_sent", "Not sent"

    vendor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bills")
    number = models.CharField(
        max_length=80, help_text="Invoice number, e.g. INV-2026-000001; IMP-<bill ref> for imported history."
    )
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Position in the vendor's gapless sequence for the year; empty for imported bills.",
    )
    is_imported = models.BooleanField(
        default=False, help_text="Past sale loaded from a file: it did not change stock and sent no email."
    )
    import_ref = models.CharField(
        max_length=64, blank=True, help_text="The bill reference in the imported file (unique per vendor)."
    )
    customer_name = models.CharField(max_length=200)
    customer_email = models.EmailField()
    referral_code = models.CharField(
        max_length=32, blank=True, db_index=True, help_text="Influencer/campaign referral code, for attribution."
    )
    referral = models.ForeignKey(
        "campaigns.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bills",
        help_text="The accepted application whose referral code the sale carried: its campaign and influencer.",
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PAID)
    currency = models.CharField(max_length=3, default="INR")
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    cost = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    profit = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invoice_pdf = models.FileField(upload_to="invoices/%Y/%m/", blank=True)
    email_status = models.CharField(max_length=8, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.TextField(blank=True, help_text="The last error while emailing the invoice.")
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "number"], name="bill_number_unique_per_vendor"),
            models.UniqueConstraint(fields=["vendor", "year", "sequence"], name="bill_sequence_unique_per_vendor"),
            models.CheckConstraint(condition=Q(total__gte=0), name="bill_total_not_negative"),
            models.UniqueConstraint(
                fields=["vendor", "import_ref"],
                condition=Q(is_imported=True),
                name="bill_import_ref_unique_per_vendor",
            ),
            # Sales take the next invoice number; imported history is numbered by its file reference.
            models.CheckConstraint(
                condition=Q(is_imported=False, sequence__isnull=False, import_ref="")
                | (Q(is_imported=True, sequence__isnull=True) & ~Q(import_ref="")),
                name="bill_sequence_or_import_ref",
            ),
        ]
        indexes = [
            models.Index(fields=["vendor", "created_at"], name="bill_vendor_created_idx"),
            # With total, analytics reads a vendor's bill fingerprint from the index alone.
            models.Index(fields=["vendor", "status", "created_at", "total"], name="bill_vendor_status_time_total"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("billing:bill-detail", args=[self.pk])


class BillItem(models.Model):
    """One line of a bill: prices and cost as they were at the moment of sale."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="bill_items")
    product_name = models.CharField(max_length=200)
    sku = models.CharField(max_length=64)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    unit_cost = models.DecimalField(max_digits=12, decimal_places=2)
    line_total = models.DecimalField(max_digits=14, decimal_places=2)
    line_cost = models.DecimalField(max_digits=14, decimal_places=2)
    line_profit = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="bill_item_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="bill_item_unit_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.product_name}"


class InvoiceCounter(models.Model):
    """The last invoice number a vendor used in a year; its row lock makes numbers gapless."""

    vendor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vendor", "year"], name="invoice_counter_unique_per_year")]

    def __str__(self):
        return f"{self.vendor} {self.year}: {self.last_sequence}"
