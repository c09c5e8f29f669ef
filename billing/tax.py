"""What a bill charges in tax, and which document it is: one arithmetic for sales, the sales
import and returns.

- A vendor registered under GST's regular scheme issues a **tax invoice**: every line carries its
  taxable value and GST, split half CGST, half SGST (UTGST in a union territory without a
  legislature) when the place of supply is the vendor's own state, all IGST otherwise.
- A composition or unregistered vendor issues a **bill of supply**: no tax is charged, and the
  document says so.
- Where the platform's ``CURRENCY`` is not INR, a bill is a plain **invoice**: no GST; the
  optional single tax of ``INVOICE_TAX_RATE`` percent (named ``INVOICE_TAX_NAME``, e.g. VAT) is
  charged on every line when it is above 0.

Amounts are ``Decimal`` and each line is rounded half up to the paisa on its own. With prices
that include tax, the tax is split out of the line's amount and the taxable value is what is
left, so taxable value + tax is exactly the price × quantity the customer was shown. The bill's
total is the exact sum of its lines (the rounding to the rupee of section 170 of the CGST Act
applies to the tax paid with the return, not to each invoice).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core import checks

from profiles.gst import RegistrationType, gstin_state

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


class DocumentType:
    TAX_INVOICE = "tax_invoice"
    BILL_OF_SUPPLY = "bill_of_supply"
    INVOICE = "invoice"
    CHOICES = [(TAX_INVOICE, "Tax invoice"), (BILL_OF_SUPPLY, "Bill of supply"), (INVOICE, "Invoice")]


@dataclass(frozen=True)
class TaxRegime:
    """How one bill is taxed, decided once for all its lines."""

    document_type: str
    supplier_state: str = ""
    place_of_supply: str = ""
    prices_include_tax: bool = False
    plain_rate: Decimal = ZERO  # a plain invoice's single tax rate, in percent

    @property
    def charges_gst(self) -> bool:
        return self.document_type == DocumentType.TAX_INVOICE

    @property
    def intra_state(self) -> bool:
        """CGST + SGST when the goods are supplied within the supplier's state; else IGST."""
        return self.place_of_supply == self.supplier_state


@dataclass(frozen=True)
class LineTax:
    """A line's amounts: ``taxable_value`` + ``tax`` is what the customer pays for it."""

    taxable_value: Decimal
    rate: Decimal | None
    cgst: Decimal = ZERO
    sgst: Decimal = ZERO
    igst: Decimal = ZERO
    tax: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.taxable_value + self.tax


def document_type_for(profile) -> str:
    """The document a vendor's sales are: by the platform's currency, then the registration."""
    if settings.CURRENCY.upper() != "INR":
        return DocumentType.INVOICE
    if profile.registration_type == RegistrationType.REGULAR:
        return DocumentType.TAX_INVOICE
    return DocumentType.BILL_OF_SUPPLY


def default_place_of_supply(*, supplier_state: str, customer_gstin: str) -> str:
    """Where goods sold over the counter are supplied, unless the vendor says otherwise: the
    state of the buyer's GSTIN for a registered buyer, else the vendor's own state."""
    return gstin_state(customer_gstin) if customer_gstin else supplier_state


def plain_invoice_rate() -> Decimal:
    """``INVOICE_TAX_RATE`` as a percentage from 0 to 100 (``check_invoice_tax_rate`` reports a
    setting that is not one)."""
    try:
        rate = Decimal(str(settings.INVOICE_TAX_RATE).strip() or "0")
    except ArithmeticError:
        return ZERO
    return rate.quantize(CENT) if rate.is_finite() and ZERO <= rate <= HUNDRED else ZERO


@checks.register()
def check_invoice_tax_rate(**kwargs):
    try:
        rate = Decimal(str(settings.INVOICE_TAX_RATE).strip() or "0")
        valid = rate.is_finite() and ZERO <= rate <= HUNDRED and rate == rate.quantize(CENT)
    except ArithmeticError:
        valid = False
    if valid:
        return []
    return [
        checks.Error(
            f"INVOICE_TAX_RATE={settings.INVOICE_TAX_RATE!r} is not a percentage from 0 to 100 "
            "with at most 2 decimals.",
            hint="Set it like 20 or 7.5; 0 charges no tax. It applies only where CURRENCY is not INR.",
            id="billing.E001",
        )
    ]


def tax_regime(*, profile, place_of_supply: str) -> TaxRegime:
    document_type = document_type_for(profile)
    return TaxRegime(
        document_type=document_type,
        supplier_state=profile.state,
        place_of_supply=place_of_supply,
        prices_include_tax=profile.prices_include_tax,
        plain_rate=plain_invoice_rate() if document_type == DocumentType.INVOICE else ZERO,
    )


def paise(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, ROUND_HALF_UP)


def line_tax(*, amount: Decimal, gst_rate: Decimal | None, regime: TaxRegime) -> LineTax:
    """The tax of one line whose price × quantity is ``amount`` (already in paise).

    ``gst_rate`` is the product's GST rate, used on tax invoices only (a tax invoice's line
    always has one: the sale refuses a product without it)."""
    if regime.charges_gst:
        return _gst(amount, gst_rate, regime)
    if regime.document_type == DocumentType.INVOICE and regime.plain_rate > 0:
        tax = _tax_of(amount, regime.plain_rate, regime.prices_include_tax)
        taxable = amount - tax if regime.prices_include_tax else amount
        return LineTax(taxable_value=taxable, rate=regime.plain_rate, tax=tax)
    return LineTax(taxable_value=amount, rate=None)


def _gst(amount, rate, regime) -> LineTax:
    inclusive = regime.prices_include_tax
    if regime.intra_state:
        half = _tax_of(amount, rate / 2, inclusive, gross_rate=rate)
        cgst = sgst = half
        tax = cgst + sgst
        taxable = amount - tax if inclusive else amount
        return LineTax(taxable_value=taxable, rate=rate, cgst=cgst, sgst=sgst, tax=tax)
    igst = _tax_of(amount, rate, inclusive)
    taxable = amount - igst if inclusive else amount
    return LineTax(taxable_value=taxable, rate=rate, igst=igst, tax=igst)


def _tax_of(amount, rate, inclusive, *, gross_rate=None) -> Decimal:
    """Tax at ``rate`` percent: of ``amount`` when it is the taxable value, or the part of
    ``amount`` that is tax when it includes tax at ``gross_rate`` (the whole GST rate of which
    ``rate`` is one half)."""
    if inclusive:
        return paise(amount * rate / (HUNDRED + (gross_rate if gross_rate is not None else rate)))
    return paise(amount * rate / HUNDRED)


def share(amount: Decimal, part: int, whole: int) -> Decimal:
    """``part`` of ``whole`` units of a line's ``amount``, in paise (a return of some units)."""
    return paise(amount * part / whole)
