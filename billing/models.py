from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.urls import reverse
from django.utils import timezone

from billing.tax import DocumentType
from catalog.models import Unit

# SQLite adds decimals as floating point: a sum is "equal" within a thousandth of a paisa's worth.
EPSILON = Value(Decimal("0.001"))


def adds_up(total: str, *parts: str) -> Q:
    """``total`` is the sum of ``parts``, as a constraint every database checks the same way."""
    summed = sum((F(part) for part in parts[1:]), F(parts[0]))
    return Q(**{f"{total}__gte": summed - EPSILON, f"{total}__lte": summed + EPSILON})


class Series(models.TextChoices):
    """A numbering series: invoices and credit notes each run gapless per vendor and financial
    year (``billing.numbering``). Bills from before financial-year numbering keep their numbers in
    the calendar-year series they were issued in; imported history has no number of ours."""

    INVOICE = "invoice", "Invoices (financial year)"
    CREDIT_NOTE = "credit_note", "Credit notes (financial year)"
    CALENDAR = "calendar", "Invoices by calendar year (before financial years)"
    IMPORTED = "imported", "Imported history (numbered by its file reference)"


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
        max_length=80,
        help_text="Invoice number, e.g. 26-27/000001 (INV-2026-000001 before financial years); "
        "IMP-<bill ref> for imported history.",
    )
    series = models.CharField(max_length=12, choices=Series.choices, default=Series.INVOICE)
    year = models.PositiveSmallIntegerField(
        help_text="The numbering year: a financial year by its first calendar year (2026 for 2026-27); the "
        "calendar year for the calendar series and imported history."
    )
    sequence = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Position in the vendor's gapless sequence for the series and year; empty for imported bills.",
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
    # GST (billing.tax): what the document is, who supplies whom and where, as at the sale.
    document_type = models.CharField(
        max_length=16,
        choices=DocumentType.CHOICES,
        default=DocumentType.INVOICE,
        help_text="Tax invoice (GST charged), bill of supply (no tax: composition or unregistered), or invoice.",
    )
    customer_gstin = models.CharField("customer GSTIN", max_length=15, blank=True, help_text="A B2B sale's buyer.")
    customer_address = models.TextField(max_length=500, blank=True)
    place_of_supply = models.CharField(max_length=2, blank=True, help_text="GST state code of the place of supply.")
    supplier_legal_name = models.CharField(max_length=200, blank=True, help_text="The vendor's, as at the sale.")
    supplier_address = models.TextField(max_length=500, blank=True)
    supplier_state = models.CharField(max_length=2, blank=True)
    supplier_gstin = models.CharField("supplier GSTIN", max_length=15, blank=True)
    prices_include_tax = models.BooleanField(default=False, help_text="Whether the prices were tax-inclusive.")
    taxable_total = models.DecimalField(
        max_digits=14, decimal_places=2, default=0, help_text="The sum of the lines' taxable values: the revenue."
    )
    tax_total = models.DecimalField(max_digits=14, decimal_places=2, default=0, help_text="The tax charged.")
    total = models.DecimalField(
        max_digits=14, decimal_places=2, default=0, help_text="What the customer pays: taxable total + tax."
    )
    returned_taxable = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=0,
        help_text="The taxable value its credit notes took back (billing.returns keeps it).",
    )
    returned_cost = models.DecimalField(
        max_digits=14, decimal_places=2, default=0, help_text="The cost of the goods its credit notes took back."
    )
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
            models.UniqueConstraint(
                fields=["vendor", "series", "year", "sequence"], name="bill_sequence_unique_per_vendor_series"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="bill_total_not_negative"),
            models.CheckConstraint(
                condition=Q(returned_taxable__gte=0, returned_taxable__lte=F("taxable_total"), returned_cost__gte=0),
                name="bill_returned_within_taxable",
            ),
            models.CheckConstraint(
                condition=adds_up("total", "taxable_total", "tax_total"), name="bill_total_is_taxable_plus_tax"
            ),
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

    @property
    def is_tax_invoice(self) -> bool:
        return self.document_type == DocumentType.TAX_INVOICE


class BillItem(models.Model):
    """One line of a bill: prices and cost as they were at the moment of sale."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="bill_items")
    product_name = models.CharField(max_length=200)
    sku = models.CharField(max_length=64)
    hsn_code = models.CharField("HSN code", max_length=8, blank=True)
    unit = models.CharField(max_length=3, choices=Unit.choices, default=Unit.PIECES, help_text="GST unit (UQC).")
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    unit_cost = models.DecimalField(max_digits=12, decimal_places=2)
    # The tax as charged, kept per line: a later change of rate never alters this bill.
    gst_rate = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="Percent; empty when no tax was charged."
    )
    taxable_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    cgst = models.DecimalField("CGST", max_digits=14, decimal_places=2, default=0)
    sgst = models.DecimalField("SGST/UTGST", max_digits=14, decimal_places=2, default=0)
    igst = models.DecimalField("IGST", max_digits=14, decimal_places=2, default=0)
    line_tax = models.DecimalField(
        max_digits=14, decimal_places=2, default=0, help_text="All the line's tax (GST, or a plain invoice's tax)."
    )
    line_total = models.DecimalField(max_digits=14, decimal_places=2, help_text="Taxable value + tax.")
    line_cost = models.DecimalField(max_digits=14, decimal_places=2)
    line_profit = models.DecimalField(max_digits=14, decimal_places=2, help_text="Taxable value less cost.")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="bill_item_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="bill_item_unit_price_not_negative"),
            models.CheckConstraint(
                condition=adds_up("line_total", "taxable_value", "line_tax"),
                name="bill_item_total_is_taxable_plus_tax",
            ),
            # GST is CGST + SGST within a state or IGST between states, never both; a plain
            # invoice's tax is none of them.
            models.CheckConstraint(
                condition=(Q(cgst=0, sgst=0) | Q(igst=0))
                & (adds_up("line_tax", "cgst", "sgst", "igst") | Q(cgst=0, sgst=0, igst=0)),
                name="bill_item_gst_split",
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.product_name}"


class InvoiceCounter(models.Model):
    """The last number a vendor used in a series and year (``billing.numbering``); its row lock
    makes numbers gapless. Counters of the calendar series are kept as they were."""

    vendor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=12, choices=Series.choices, default=Series.INVOICE)
    year = models.PositiveSmallIntegerField(help_text="A financial year by its first calendar year.")
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vendor", "series", "year"], name="invoice_counter_unique_per_series_year")
        ]

    def __str__(self):
        return f"{self.vendor} {self.get_series_display()} {self.year}: {self.last_sequence}"


class CreditNote(models.Model):
    """A return of some of a bill's lines: its own gapless series per financial year (CGST Act
    s.34, rule 53), referring to the invoice, reversing the returned lines' value and tax as the
    invoice charged them. Written by ``billing.returns.bill_return`` only."""

    vendor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credit_notes")
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="credit_notes")
    number = models.CharField(max_length=16, help_text="E.g. 26-27/CN0001, in the vendor's credit-note series.")
    year = models.PositiveSmallIntegerField(help_text="The financial year by its first calendar year.")
    sequence = models.PositiveIntegerField()
    reason = models.CharField(max_length=200, blank=True, help_text="Why the goods came back, as the customer said.")
    taxable_total = models.DecimalField(max_digits=14, decimal_places=2, help_text="The taxable value credited.")
    tax_total = models.DecimalField(max_digits=14, decimal_places=2, help_text="The tax reversed.")
    total = models.DecimalField(max_digits=14, decimal_places=2, help_text="What the customer is owed back.")
    cost = models.DecimalField(max_digits=14, decimal_places=2, help_text="The cost of the goods back in stock.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    pdf = models.FileField(upload_to="credit_notes/%Y/%m/", blank=True)
    email_status = models.CharField(max_length=8, choices=Bill.EmailStatus.choices, default=Bill.EmailStatus.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.TextField(
        max_length=2000, blank=True, help_text="The last error while emailing the credit note."
    )
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "number"], name="credit_note_number_unique_per_vendor"),
            models.UniqueConstraint(fields=["vendor", "year", "sequence"], name="credit_note_sequence_unique"),
            models.CheckConstraint(
                condition=Q(taxable_total__gte=0, tax_total__gte=0), name="credit_note_not_negative"
            ),
            models.CheckConstraint(
                condition=adds_up("total", "taxable_total", "tax_total"), name="credit_note_total_is_taxable_plus_tax"
            ),
        ]
        indexes = [models.Index(fields=["vendor", "created_at"], name="credit_note_vendor_created_idx")]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("billing:bill-detail", args=[self.bill_id]) + f"#credit-note-{self.pk}"


class CreditNoteItem(models.Model):
    """``quantity`` units of one bill line returned, and their share of the line's amounts."""

    credit_note = models.ForeignKey(CreditNote, on_delete=models.CASCADE, related_name="items")
    bill_item = models.ForeignKey(BillItem, on_delete=models.PROTECT, related_name="returns")
    quantity = models.PositiveIntegerField()
    taxable_value = models.DecimalField(max_digits=14, decimal_places=2)
    cgst = models.DecimalField("CGST", max_digits=14, decimal_places=2, default=0)
    sgst = models.DecimalField("SGST/UTGST", max_digits=14, decimal_places=2, default=0)
    igst = models.DecimalField("IGST", max_digits=14, decimal_places=2, default=0)
    line_tax = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    line_total = models.DecimalField(max_digits=14, decimal_places=2)
    line_cost = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="credit_note_item_quantity_positive"),
            models.UniqueConstraint(fields=["credit_note", "bill_item"], name="credit_note_item_once_per_line"),
            models.CheckConstraint(
                condition=adds_up("line_total", "taxable_value", "line_tax"),
                name="credit_note_item_total_is_taxable_plus_tax",
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.bill_item.product_name}"
