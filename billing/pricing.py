"""How a bill's lines and totals are computed: one arithmetic for sales and imported history."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from billing.models import BillItem
from billing.tax import TaxRegime, line_tax

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Bill.total holds 14 digits with 2 decimals; a sale above this cannot be recorded.
MAX_TOTAL = Decimal("999999999999.99")


@dataclass(frozen=True)
class Amounts:
    """What the lines of one bill come to, before anything is written."""

    too_large: list[int]  # indexes of the lines whose total or cost passes MAX_TOTAL
    bill_too_large: bool  # every line fits, but the bill's total or cost passes it


def line_amounts(*, quantity: int, unit_price: Decimal, unit_cost: Decimal) -> tuple[Decimal, Decimal]:
    """A line's total and cost, each rounded half up to the cent (its profit is the difference)."""
    return (unit_price * quantity).quantize(CENT, ROUND_HALF_UP), (unit_cost * quantity).quantize(CENT, ROUND_HALF_UP)


def priced_line(
    *,
    product,
    quantity: int,
    unit_price: Decimal,
    unit_cost: Decimal,
    regime: TaxRegime,
    gst_rate: Decimal | None = None,
    product_name: str = "",
    hsn_code: str = "",
    unit: str = "",
) -> BillItem:
    """A bill line (unsaved, no bill yet): price × quantity by ``line_amounts``, then its tax by
    ``billing.tax.line_tax`` under the bill's ``regime`` (``gst_rate`` on a tax invoice). The
    product's name, SKU, HSN code and unit are kept as they are at the sale (an imported line
    keeps what the file says). Profit is the taxable value less the cost: tax is not revenue."""
    amount, line_cost = line_amounts(quantity=quantity, unit_price=unit_price, unit_cost=unit_cost)
    tax = line_tax(amount=amount, gst_rate=gst_rate, regime=regime)
    return BillItem(
        product=product,
        product_name=product_name or product.name,
        sku=product.sku,
        hsn_code=hsn_code or product.hsn_code,
        unit=unit or product.unit,
        quantity=quantity,
        unit_price=unit_price,
        unit_cost=unit_cost,
        gst_rate=tax.rate,
        taxable_value=tax.taxable_value,
        cgst=tax.cgst,
        sgst=tax.sgst,
        igst=tax.igst,
        line_tax=tax.tax,
        line_total=tax.total,
        line_cost=line_cost,
        line_profit=tax.taxable_value - line_cost,
    )


@dataclass(frozen=True)
class BillTotals:
    taxable_total: Decimal
    tax_total: Decimal
    total: Decimal
    cost: Decimal

    @property
    def profit(self) -> Decimal:
        return self.taxable_total - self.cost


def bill_totals(items) -> BillTotals:
    """The bill's totals: the sums of its lines (profit on the taxable value)."""
    items = list(items)
    return BillTotals(
        taxable_total=sum((item.taxable_value for item in items), ZERO),
        tax_total=sum((item.line_tax for item in items), ZERO),
        total=sum((item.line_total for item in items), ZERO),
        cost=sum((item.line_cost for item in items), ZERO),
    )


def amounts(lines) -> Amounts:
    """Check a bill's ``(line_total, line_cost)`` pairs against what a bill can hold."""
    lines = list(lines)
    too_large = [index for index, (total, cost) in enumerate(lines) if total > MAX_TOTAL or cost > MAX_TOTAL]
    total = sum((line_total for line_total, _ in lines), ZERO)
    cost = sum((line_cost for _, line_cost in lines), ZERO)
    return Amounts(too_large=too_large, bill_too_large=not too_large and (total > MAX_TOTAL or cost > MAX_TOTAL))
