from decimal import Decimal

import pytest
from django.db.models import Sum

from accounts.tests.factories import VendorFactory
from anwariya.errors import DomainError
from billing import services
from billing.models import Bill
from billing.numbering import financial_year_label
from billing.tests.factories import make_bill
from catalog.models import Product, StockMovement
from catalog.selectors import movements_for_source
from catalog.services import MAX_QUANTITY, stock_restock
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def ledger_sum(product):
    return product.movements.aggregate(total=Sum("delta"))["total"] or 0


def test_bill_decrements_stock_writes_movements_and_computes_totals():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=10, sale_price=Decimal("120.50"), cost_price=Decimal("70.25"))
    cup = ProductFactory(vendor=vendor, quantity=4, sale_price=Decimal("99.99"), cost_price=Decimal("40.00"))

    bill = make_bill(vendor, (tea, 3), (cup, 1))

    assert bill.total == Decimal("461.49")
    assert bill.cost == Decimal("250.75")
    assert bill.profit == Decimal("210.74")
    assert bill.status == Bill.Status.PAID
    tea.refresh_from_db()
    cup.refresh_from_db()
    assert (tea.quantity, cup.quantity) == (7, 3)
    assert ledger_sum(tea) == 7
    assert ledger_sum(cup) == 3
    sale = tea.movements.get(reason=StockMovement.Reason.SALE)
    assert (sale.delta, sale.quantity_after, sale.source) == (-3, 7, bill)


def test_unit_price_can_be_set_and_cost_is_snapshotted():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, cost_price=Decimal("50.00"))
    result = services.bill_create(
        vendor=vendor,
        customer_name="A",
        customer_email="a@example.com",
        items=[services.Line(product=tea.pk, quantity=2, unit_price=Decimal("80.00"))],
    )
    Product.objects.filter(pk=tea.pk).update(cost_price=Decimal("65.00"))
    item = result.bill.items.get()
    assert (item.unit_price, item.unit_cost, item.line_total, item.line_profit) == (
        Decimal("80.00"),
        Decimal("50.00"),
        Decimal("160.00"),
        Decimal("60.00"),
    )


def test_insufficient_stock_refuses_whole_bill_and_lists_every_short_line():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=2)
    cup = ProductFactory(vendor=vendor, quantity=1)
    ok = ProductFactory(vendor=vendor, quantity=50)
    with pytest.raises(services.InsufficientStock) as caught:
        make_bill(vendor, (tea, 3), (ok, 1), (cup, 5))
    lines = caught.value.extra["lines"]
    assert [(line["product"], line["requested"], line["available"]) for line in lines] == [
        (tea.pk, 3, 2),
        (cup.pk, 5, 1),
    ]
    assert caught.value.status_code == 409
    assert not Bill.objects.exists()
    assert [p.quantity for p in Product.objects.order_by("pk")] == [2, 1, 50]
    assert not StockMovement.objects.filter(reason=StockMovement.Reason.SALE).exists()


def test_allow_partial_sells_what_it_can():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=2)
    cup = ProductFactory(vendor=vendor, quantity=5)
    result = services.bill_create(
        vendor=vendor,
        customer_name="A",
        customer_email="a@example.com",
        items=[services.Line(product=tea.pk, quantity=3), services.Line(product=cup.pk, quantity=5)],
        allow_partial=True,
    )
    assert [line["product"] for line in result.purchased] == [cup.pk]
    assert [(line["product"], line["available"]) for line in result.failed] == [(tea.pk, 2)]
    assert result.failed[0]["reason"] == "Only 2 in stock."
    assert result.bill.items.count() == 1
    cup.refresh_from_db()
    assert cup.quantity == 0


def test_allow_partial_with_nothing_sellable_creates_no_bill():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=0)
    with pytest.raises(services.NothingToSell):
        services.bill_create(
            vendor=vendor,
            customer_name="A",
            customer_email="a@example.com",
            items=[services.Line(product=tea.pk, quantity=1)],
            allow_partial=True,
        )
    assert not Bill.objects.exists()


def test_inactive_product_cannot_be_sold():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=5)
    Product.objects.filter(pk=tea.pk).update(is_active=False)
    with pytest.raises(services.InsufficientStock) as caught:
        make_bill(vendor, (tea, 1))
    assert caught.value.extra["lines"][0]["reason"] == "This product is inactive."


def test_cannot_sell_another_vendors_product():
    vendor = VendorFactory()
    other = ProductFactory(quantity=5)
    with pytest.raises(DomainError) as caught:
        make_bill(vendor, (other, 1))
    assert caught.value.errors["items"] == {"0": {"product": ["Unknown product."]}}
    other_product = Product.objects.get(pk=other.pk)
    assert other_product.quantity == 5


def test_duplicate_product_lines_are_refused():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor)
    with pytest.raises(DomainError) as caught:
        make_bill(vendor, (tea, 1), (tea, 2))
    assert "product" in caught.value.errors["items"]["1"]


def test_invoice_numbers_are_sequential_per_vendor():
    vendor, other = VendorFactory(), VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=100)
    coffee = ProductFactory(vendor=other, quantity=100)
    numbers = [make_bill(vendor, (tea, 1)).number for _ in range(3)]
    other_number = make_bill(other, (coffee, 1)).number
    year = financial_year_label(Bill.objects.first().year)  # the financial year, e.g. 26-27
    assert numbers == [f"{year}/000001", f"{year}/000002", f"{year}/000003"]
    assert other_number == f"{year}/000001"


def test_void_restocks_keeps_number_and_refuses_twice():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=10)
    bill = make_bill(vendor, (tea, 4))
    services.bill_void(bill=bill, actor=vendor)
    bill.refresh_from_db()
    tea.refresh_from_db()
    assert bill.status == Bill.Status.VOID
    assert bill.number.endswith("000001")
    assert tea.quantity == 10
    assert ledger_sum(tea) == 10
    assert movements_for_source(bill).filter(product=tea, reason=StockMovement.Reason.VOID, delta=4).exists()
    with pytest.raises(services.AlreadyVoid):
        services.bill_void(bill=bill, actor=vendor)
    tea.refresh_from_db()
    assert tea.quantity == 10
    assert make_bill(vendor, (tea, 1)).number.endswith("000002")


@pytest.mark.parametrize(
    ("quantity", "unit_price", "field"),
    [(0, None, "quantity"), (-3, None, "quantity"), (10**12, None, "quantity"), (1, Decimal("-1"), "unit_price")],
)
def test_bad_lines_name_the_field_and_change_nothing(quantity, unit_price, field):
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=10)
    with pytest.raises(DomainError) as caught:
        services.bill_create(
            vendor=vendor,
            customer_name="A",
            customer_email="a@example.com",
            items=[services.Line(product=tea.pk, quantity=quantity, unit_price=unit_price)],
        )
    assert field in caught.value.errors["items"]["0"]
    tea.refresh_from_db()
    assert tea.quantity == 10
    assert ledger_sum(tea) == 10


def test_imported_bills_cannot_be_voided_or_resent():
    from billing.importing import sales_import

    vendor = VendorFactory()
    csv_text = (
        "date,bill_ref,product,sku,category,quantity,unit_price,unit_cost\n"
        "2026-01-05,OLD-1,Masala Chai,CHAI-1,Tea,2,100.00,60.00\n"
    )
    sales_import(vendor=vendor, rows=csv_text)
    bill = Bill.objects.get(is_imported=True)
    with pytest.raises(DomainError):
        services.bill_void(bill=bill)
    with pytest.raises(DomainError):
        services.bill_resend_invoice(bill=bill)
    assert Bill.objects.get(pk=bill.pk).status == Bill.Status.PAID


def test_void_that_would_push_stock_past_the_cap_is_refused_naming_the_line():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, name="Assam Gold", quantity=10)
    cup = ProductFactory(vendor=vendor, quantity=10)
    bill = make_bill(vendor, (cup, 1), (tea, 5))
    stock_restock(product=tea, quantity=MAX_QUANTITY - 8)  # 5 left + this = 3 below the cap

    with pytest.raises(DomainError) as caught:
        services.bill_void(bill=bill, actor=vendor)

    assert caught.value.status_code == 409
    assert caught.value.errors == {
        "items": {
            "1": {
                "quantity": [
                    "Assam Gold would have 1,000,000,002 units; stock holds at most 1,000,000,000 (999,999,997 now)."
                ]
            }
        }
    }
    assert "Assam Gold" in caught.value.detail
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID
    assert [Product.objects.get(pk=p.pk).quantity for p in (tea, cup)] == [MAX_QUANTITY - 3, 9]
    assert not movements_for_source(bill).filter(reason=StockMovement.Reason.VOID).exists()


def test_a_line_whose_cost_passes_what_a_bill_holds_is_refused_before_anything_is_written():
    vendor = VendorFactory()
    gold = ProductFactory(vendor=vendor, cost_price=Decimal("9999999999.99"), quantity=1000)
    with pytest.raises(DomainError) as caught:
        services.bill_create(
            vendor=vendor,
            customer_name="A",
            customer_email="a@example.com",
            items=[services.Line(product=gold.pk, quantity=101, unit_price=Decimal("0.00"))],
        )
    assert caught.value.errors == {
        "items": {"0": {"quantity": ["This line comes to more than 999,999,999,999.99; split the sale."]}}
    }
    assert not Bill.objects.exists()
    assert Product.objects.get(pk=gold.pk).quantity == 1000
