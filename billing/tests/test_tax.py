"""The tax arithmetic: Decimal, per line, to the paisa; prices with tax split back exactly."""

import random
from decimal import Decimal

import pytest

from billing.tax import DocumentType, LineTax, TaxRegime, line_tax
from catalog.gst_rates import RATES

ALL_RATES = [Decimal(rate) for rate, _, _ in RATES]
CENT = Decimal("0.01")


def regime(*, intra, inclusive, document_type=DocumentType.TAX_INVOICE, plain_rate=Decimal(0)):
    return TaxRegime(
        document_type=document_type,
        supplier_state="27",
        place_of_supply="27" if intra else "29",
        prices_include_tax=inclusive,
        plain_rate=plain_rate,
    )


def amounts():
    """Many line amounts: the smallest, round and awkward ones, and a seeded random spread."""
    fixed = ["0.00", "0.01", "0.02", "0.05", "0.99", "1.00", "9.99", "10.00", "99.99", "100.00", "118.00"]
    fixed += ["105.00", "1234.57", "99999.99", "100000.00", "9999999999.99"]
    spread = random.Random(2026)
    drawn = [Decimal(spread.randint(1, 10_000_000)) / 100 for _ in range(300)]
    return [Decimal(value) for value in fixed] + drawn


@pytest.mark.parametrize("rate", ALL_RATES, ids=str)
@pytest.mark.parametrize("intra", [True, False], ids=["intra-state", "inter-state"])
def test_tax_inclusive_prices_split_back_exactly_for_every_rate(rate, intra):
    for amount in amounts():
        tax = line_tax(amount=amount, gst_rate=rate, regime=regime(intra=intra, inclusive=True))
        assert tax.taxable_value + tax.tax == amount, (rate, amount)
        assert tax.tax == tax.cgst + tax.sgst + tax.igst
        for part in (tax.taxable_value, tax.cgst, tax.sgst, tax.igst):
            assert part == part.quantize(CENT)
        # The tax is the rate of the taxable value, to within its rounding (half a paisa each
        # half), which the taxable value carries too: |error| ≤ rounding × (1 + rate).
        rounding = Decimal("0.01") if intra else Decimal("0.005")
        assert abs(tax.taxable_value * rate / 100 - tax.tax) <= rounding * (1 + rate / 100), (rate, amount, tax)
        if intra:
            assert (tax.cgst, tax.igst) == (tax.sgst, 0)
        else:
            assert (tax.cgst, tax.sgst) == (0, 0)


@pytest.mark.parametrize("rate", ALL_RATES, ids=str)
def test_tax_exclusive_prices_add_the_rate_on_top(rate):
    for amount in amounts():
        within = line_tax(amount=amount, gst_rate=rate, regime=regime(intra=True, inclusive=False))
        between = line_tax(amount=amount, gst_rate=rate, regime=regime(intra=False, inclusive=False))
        assert within.taxable_value == between.taxable_value == amount
        assert within.cgst == within.sgst == (amount * rate / 200).quantize(CENT, "ROUND_HALF_UP")
        assert between.igst == (amount * rate / 100).quantize(CENT, "ROUND_HALF_UP")
        assert within.total == amount + within.cgst + within.sgst


def test_worked_examples():
    eighteen = Decimal(18)
    assert line_tax(amount=Decimal("1000.00"), gst_rate=eighteen, regime=regime(intra=True, inclusive=False)) == (
        LineTax(taxable_value=Decimal("1000.00"), rate=eighteen, cgst=Decimal("90.00"), sgst=Decimal("90.00"),
                tax=Decimal("180.00"))
    )  # fmt: skip
    inclusive = line_tax(amount=Decimal("1180.00"), gst_rate=eighteen, regime=regime(intra=False, inclusive=True))
    assert (inclusive.taxable_value, inclusive.igst) == (Decimal("1000.00"), Decimal("180.00"))
    odd = line_tax(amount=Decimal("100.00"), gst_rate=eighteen, regime=regime(intra=True, inclusive=True))
    assert (odd.taxable_value, odd.cgst, odd.sgst) == (Decimal("84.74"), Decimal("7.63"), Decimal("7.63"))


def test_bills_of_supply_and_plain_invoices():
    supply = line_tax(
        amount=Decimal("500.00"),
        gst_rate=Decimal(18),
        regime=regime(intra=True, inclusive=False, document_type=DocumentType.BILL_OF_SUPPLY),
    )
    assert supply == LineTax(taxable_value=Decimal("500.00"), rate=None)
    vat = regime(intra=True, inclusive=True, document_type=DocumentType.INVOICE, plain_rate=Decimal(20))
    plain = line_tax(amount=Decimal("120.00"), gst_rate=Decimal(18), regime=vat)
    assert (plain.taxable_value, plain.tax, plain.cgst, plain.igst) == (Decimal("100.00"), Decimal("20.00"), 0, 0)
    untaxed = regime(intra=True, inclusive=False, document_type=DocumentType.INVOICE)
    assert line_tax(amount=Decimal("120.00"), gst_rate=None, regime=untaxed).tax == 0
