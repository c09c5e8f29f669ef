"""Real threads on PostgreSQL: gifts and sales of the same stock never oversell, never deadlock,
and a shipment is returned (its stock put back) once."""

import pytest
from django.db.models import Sum

from accounts.models import User
from anwariya.errors import Conflict
from anwariya.tests.concurrency import run_concurrently
from billing import services as billing
from billing.models import Bill
from catalog.models import Product, StockMovement
from catalog.services import InsufficientStock
from catalog.tests.factories import ProductFactory
from collaborations import shipments
from collaborations.models import Collaboration, Shipment
from collaborations.tests.factories import make_active_collaboration, make_shipment

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def gift(collaboration_pk, *lines):
    collaboration = Collaboration.objects.get(pk=collaboration_pk)
    return shipments.shipment_create(
        collaboration=collaboration,
        actor=User.objects.get(pk=collaboration.vendor_id),
        items=[{"product": product.pk, "quantity": quantity} for product, quantity in lines],
        address="1 MG Road, Bengaluru",
    )


def sell(vendor_pk, *lines):
    return billing.bill_create(
        vendor=User.objects.get(pk=vendor_pk),
        customer_name="Buyer",
        customer_email="buyer@example.com",
        items=[billing.Line(product=product.pk, quantity=quantity) for product, quantity in lines],
        send_invoice=False,
    ).bill


def stock_and_ledger(product):
    product = Product.objects.get(pk=product.pk)
    return product.quantity, product.movements.aggregate(total=Sum("delta"))["total"]


def test_gifts_and_bills_racing_for_the_last_units_never_oversell():
    first = make_active_collaboration()
    vendor = first.vendor
    collaborations = [first, *(make_active_collaboration(vendor=vendor) for _ in range(2))]
    product = ProductFactory(vendor=vendor, quantity=10)

    def act(index):
        if index % 2:
            return sell(vendor.pk, (product, 1))
        return gift(collaborations[index % 3].pk, (product, 1))

    results = run_concurrently(act, 30)

    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, InsufficientStock)]
    assert not unexpected, unexpected
    made = [r for r in results if not isinstance(r, Exception)]
    assert len(made) == 10, results
    assert stock_and_ledger(product) == (0, 0)
    gifts, bills = Shipment.objects.count(), Bill.objects.filter(vendor=vendor).count()
    assert gifts + bills == 10
    assert StockMovement.objects.filter(product=product, reason="gift").count() == gifts
    assert StockMovement.objects.filter(product=product, reason="sale").count() == bills


def test_gifts_and_bills_in_opposite_line_orders_never_deadlock():
    collaboration = make_active_collaboration()
    vendor = collaboration.vendor
    tea = ProductFactory(vendor=vendor, quantity=100)
    mug = ProductFactory(vendor=vendor, quantity=100)

    def act(index):
        lines = [(tea, 1), (mug, 1)] if index % 2 else [(mug, 1), (tea, 1)]
        return gift(collaboration.pk, *lines) if index % 4 < 2 else sell(vendor.pk, *lines)

    for _ in range(4):
        results = run_concurrently(act, 8)
        assert not [r for r in results if isinstance(r, Exception)], results
    assert stock_and_ledger(tea) == (68, 68)
    assert stock_and_ledger(mug) == (68, 68)


def test_parallel_returns_put_the_stock_back_once_while_others_gift_it():
    collaboration = make_active_collaboration()
    vendor = collaboration.vendor
    tea = ProductFactory(vendor=vendor, quantity=6)
    shipment = make_shipment(collaboration, (tea, 4))

    def act(index):
        if index < 4:
            return shipments.shipment_update_status(
                shipment=Shipment.objects.get(pk=shipment.pk),
                actor=User.objects.get(pk=vendor.pk),
                status="returned",
            ).status
        return gift(collaboration.pk, (tea, 2))

    results = run_concurrently(act, 8)

    returned = [r for r in results[:4] if r == "returned"]
    assert len(returned) == 1, results
    assert all(isinstance(r, Conflict) for r in results[:4] if r != "returned"), results
    assert not [r for r in results[4:] if isinstance(r, Exception) and not isinstance(r, InsufficientStock)]
    gifted = sum(1 for r in results[4:] if isinstance(r, Shipment))
    quantity, ledger = stock_and_ledger(tea)
    assert quantity == ledger == 6 - 2 * gifted
    assert StockMovement.objects.filter(product=tea, reason="gift_return").count() == 1
