"""How a bill's lines and totals are computed: one arithmetic for sales and imported history."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from billing.models import BillItem

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


def priced_line(*, product, quantity: int, unit_price: Decimal, unit_cost: Decimal, product_name: str = "") -> BillItem:
    """A bill line (unsaved, no bill yet), priced by ``line_amounts``. The product's name and SKU
    are kept as they are at the sale (an imported line keeps the name in the file)."""
    line_total, line_cost = line_amounts(quantity=quantity, unit_price=unit_price, unit_cost=unit_cost)
    return BillItem(
        product=product,
        product_name=product_name or product.name,
        sku=product.sku,
        quantity=quantity,
        unit_price=unit_price,
        unit_cost=unit_cost,
        line_total=line_total,
        line_cost=line_cost,
        line_profit=line_total - line_cost,
    )


def bill_totals(items) -> tuple[Decimal, Decimal, Decimal]:
    """The bill's total, cost and profit: the sums of its lines."""
    total = sum((item.line_total for item in items), ZERO)
    cost = sum((item.line_cost for item in items), ZERO)
    return total, cost, total - cost


def amounts(lines) -> Amounts:
    """Check a bill's ``(line_total, line_cost)`` pairs against what a bill can hold."""
    lines = list(lines)
    too_large = [index for index, (total, cost) in enumerate(lines) if total > MAX_TOTAL or cost > MAX_TOTAL]
    total = sum((line_total for line_total, _ in lines), ZERO)
    cost = sum((line_cost for _, line_cost in lines), ZERO)
    return Amounts(too_large=too_large, bill_too_large=not too_large and (total > MAX_TOTAL or cost > MAX_TOTAL))
