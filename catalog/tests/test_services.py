from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.tests.factories import VendorFactory
from anwariya.errors import DomainError
from catalog import services
from catalog.models import Product, StockMovement
from catalog.services import MAX_QUANTITY, StockLine
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


# --- Selling and returning stock ----------------------------------------------------------------


def test_stock_sell_takes_every_line_with_its_movement_and_source():
    vendor = VendorFactory()
    tea, mug = ProductFactory(vendor=vendor, quantity=5), ProductFactory(vendor=vendor, quantity=2)
    source = ProductFactory(vendor=vendor)  # any saved row will do: catalog does not look inside it

    movements = services.stock_sell(
        vendor=vendor, lines=[StockLine(tea.pk, 3), StockLine(mug.pk, 2)], source=source, actor=vendor
    )

    assert [(m.product, m.delta, m.quantity_after, m.reason) for m in movements] == [
        (tea, -3, 2, StockMovement.Reason.SALE),
        (mug, -2, 0, StockMovement.Reason.SALE),
    ]
    assert [Product.objects.get(pk=p.pk).quantity for p in (tea, mug)] == [2, 0]
    assert StockMovement.objects.filter(reason=StockMovement.Reason.SALE).get(product=tea).source == source


def test_stock_sell_refuses_every_short_or_inactive_line_and_changes_nothing():
    vendor = VendorFactory()
    tea, mug, cup = (ProductFactory(vendor=vendor, quantity=n) for n in (1, 9, 4))
    Product.objects.filter(pk=cup.pk).update(is_active=False)

    with pytest.raises(services.InsufficientStock) as caught:
        services.stock_sell(vendor=vendor, lines=[StockLine(tea.pk, 2), StockLine(mug.pk, 1), StockLine(cup.pk, 1)])

    assert caught.value.errors == {
        "items": {"0": {"quantity": ["Only 1 in stock."]}, "2": {"product": ["This product is inactive."]}}
    }
    assert [line["product"] for line in caught.value.extra["lines"]] == [tea.pk, cup.pk]
    assert [Product.objects.get(pk=p.pk).quantity for p in (tea, mug, cup)] == [1, 9, 4]
    assert not StockMovement.objects.filter(reason=StockMovement.Reason.SALE).exists()


def test_stock_sell_refuses_another_vendors_product():
    other = ProductFactory(quantity=5)
    with pytest.raises(DomainError) as caught:
        services.stock_sell(vendor=VendorFactory(), lines=[StockLine(other.pk, 1)])
    assert caught.value.errors == {"items": {"0": {"product": ["Unknown product."]}}}
    assert Product.objects.get(pk=other.pk).quantity == 5


def test_stock_return_past_the_cap_is_refused_naming_each_line_and_changes_nothing():
    vendor = VendorFactory()
    full = ProductFactory(vendor=vendor, name="Full Shelf", quantity=MAX_QUANTITY - 1)
    fine = ProductFactory(vendor=vendor, quantity=3)

    with pytest.raises(services.StockLimitExceeded) as caught:
        services.stock_return(vendor=vendor, lines=[StockLine(fine.pk, 1), StockLine(full.pk, 2)])

    assert caught.value.status_code == 409
    assert list(caught.value.errors["items"]) == ["1"]
    assert caught.value.errors["items"]["1"]["quantity"] == [
        "Full Shelf would have 1,000,000,001 units; stock holds at most 1,000,000,000 (999,999,999 now)."
    ]
    assert [Product.objects.get(pk=p.pk).quantity for p in (fine, full)] == [3, MAX_QUANTITY - 1]
    assert not StockMovement.objects.filter(reason=StockMovement.Reason.VOID).exists()


def test_stock_return_puts_the_lines_back_with_their_note():
    vendor = VendorFactory()
    tea = ProductFactory(vendor=vendor, quantity=2)
    (movement,) = services.stock_return(vendor=vendor, lines=[StockLine(tea.pk, 5)], note="Voided INV-1")
    assert (movement.delta, movement.quantity_after, movement.reason, movement.note) == (
        5,
        7,
        StockMovement.Reason.VOID,
        "Voided INV-1",
    )


# --- Low stock --------------------------------------------------------------------------------


def test_is_low_stock_and_the_low_stock_queryset_say_the_same():
    vendor = VendorFactory()
    products = [
        ProductFactory(vendor=vendor, quantity=quantity, low_stock_threshold=threshold)
        for quantity, threshold in [(0, 0), (4, 5), (5, 5), (6, 5), (0, 3), (9, 0)]
    ]
    low = set(Product.objects.filter(vendor=vendor).low_stock().values_list("pk", flat=True))
    assert {product.pk for product in products if product.is_low_stock} == low
    assert len(low) == 4
    assert set(Product.objects.filter(vendor=vendor).low_stock(threshold=5).values_list("pk", flat=True)) == {
        product.pk for product in products if product.quantity <= 5
    }


# --- The SKU rule -----------------------------------------------------------------------------


@pytest.mark.parametrize("taken", ["chai-1", "CHAI-1", " Chai-1 "])
def test_a_sku_is_taken_whatever_its_case_by_the_service(taken):
    vendor = VendorFactory()
    ProductFactory(vendor=vendor, sku="Chai-1")
    with pytest.raises(DomainError) as caught:
        ProductFactory(vendor=vendor, sku=taken)
    assert caught.value.errors["sku"] == [f'You already have a product with the SKU "{taken.strip()}".']
    mug = ProductFactory(vendor=vendor, sku="MUG-1")
    with pytest.raises(DomainError):
        services.product_update(product=mug, actor=vendor, sku=taken)
    assert Product.objects.get(pk=mug.pk).sku == "MUG-1"
    assert ProductFactory(sku=taken).sku == taken.strip()  # another vendor's catalog is its own


@pytest.mark.database_unique_rules
def test_the_database_refuses_a_sku_that_differs_only_in_case():
    product = ProductFactory(sku="Chai-1")
    duplicate = Product(
        vendor=product.vendor, name="Copy", sku="CHAI-1", cost_price=Decimal("1"), sale_price=Decimal("1")
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_products_created_unstocked_are_checked_together():
    vendor = VendorFactory()
    ProductFactory(vendor=vendor, sku="TEA-1")
    new = {"name": "Mug", "sku": "MUG-1", "cost_price": Decimal("1.00"), "sale_price": Decimal("2.00")}
    with pytest.raises(DomainError) as caught:
        services.products_create_unstocked(vendor=vendor, products=[new, {**new, "sku": "tea-1"}])
    assert caught.value.errors == {"sku": ['You already have a product with the SKU "TEA-1".']}
    with pytest.raises(DomainError) as caught:
        services.products_create_unstocked(vendor=vendor, products=[new, {**new, "sku": "mug-1"}])
    assert caught.value.errors == {"sku": ['The SKU "mug-1" is given twice.']}
    assert not Product.objects.filter(sku__iexact="MUG-1").exists()

    (mug,) = services.products_create_unstocked(vendor=vendor, products=[new])
    assert (mug.vendor, mug.quantity, mug.movements.count()) == (vendor, 0, 0)
