"""Gift shipments' services: stock leaves with the shipment and comes back on a return, the steps."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db.models import Sum

from accounts.tests.factories import VendorFactory
from anwariya.errors import Conflict
from catalog.models import Product, StockMovement
from catalog.selectors import movements_for_source
from catalog.services import InsufficientStock, StockLine, product_update, stock_sell
from catalog.tests.factories import ProductFactory
from chat.models import Message
from collaborations import selectors, services, shipments
from collaborations.models import Collaboration, Shipment
from collaborations.services import CollaborationError, NotAllowed
from collaborations.tests.factories import make_active_collaboration, make_collaboration, make_shipment, send_terms

pytestmark = pytest.mark.django_db


def stock(product):
    return Product.objects.get(pk=product.pk).quantity


def movement_sum(product):
    return Product.objects.get(pk=product.pk).movements.aggregate(total=Sum("delta"))["total"]


def ship(shipment, actor=None, **fields):
    fields.setdefault("carrier", "Delhivery")
    fields.setdefault("tracking_number", "DL123456789IN")
    return shipments.shipment_update_status(
        shipment=shipment, actor=actor or shipment.collaboration.vendor, status="shipped", **fields
    )


# --- Making one -----------------------------------------------------------------------------


def test_a_gift_takes_the_stock_at_once_with_gift_movements_belonging_to_the_shipment():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=5, cost_price=Decimal("120.50"))
    mug = ProductFactory(vendor=collaboration.vendor, quantity=2, cost_price=Decimal("80.00"))

    shipment = make_shipment(collaboration, (tea, 2), (mug, 1), carrier="Blue Dart")

    assert (stock(tea), stock(mug)) == (3, 1)
    assert shipment.status == "preparing"
    assert shipment.cost == Decimal("321.00")
    assert [(item.product_id, item.quantity, item.unit_cost) for item in shipment.items.order_by("pk")] == [
        (tea.pk, 2, Decimal("120.50")),
        (mug.pk, 1, Decimal("80.00")),
    ]
    movements = list(movements_for_source(shipment))
    assert [(m.product_id, m.delta, m.reason) for m in movements] == [(tea.pk, -2, "gift"), (mug.pk, -1, "gift")]
    assert all(m.source == shipment and m.created_by_id == collaboration.vendor_id for m in movements)
    assert movement_sum(tea) == 3
    assert movement_sum(mug) == 1


def test_the_unit_cost_is_the_cost_price_when_sent_not_later():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=5, cost_price=Decimal("100.00"))
    shipment = make_shipment(collaboration, (tea, 1))
    product_update(product=tea, actor=collaboration.vendor, cost_price=Decimal("150.00"))
    assert shipment.items.get().unit_cost == Decimal("100.00")
    assert Shipment.objects.get(pk=shipment.pk).cost == Decimal("100.00")


def test_one_short_line_refuses_the_whole_gift_listing_each_short_line():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=5)
    mug = ProductFactory(vendor=collaboration.vendor, quantity=1, name="Brass mug")
    jar = ProductFactory(vendor=collaboration.vendor, quantity=0, name="Jar")

    with pytest.raises(InsufficientStock) as caught:
        make_shipment(collaboration, (tea, 2), (mug, 3), (jar, 1))

    assert caught.value.status_code == 409
    assert [(line["line"], line["name"], line["available"]) for line in caught.value.extra["lines"]] == [
        (1, "Brass mug", 1),
        (2, "Jar", 0),
    ]
    assert caught.value.errors["items"] == {
        "1": {"quantity": ["Only 1 in stock."]},
        "2": {"quantity": ["Only 0 in stock."]},
    }
    assert (stock(tea), stock(mug), stock(jar)) == (5, 1, 0)
    assert not Shipment.objects.exists()
    assert not StockMovement.objects.filter(reason="gift").exists()


def test_lines_are_checked_each_with_its_error_and_nothing_is_written():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor)
    retired = ProductFactory(vendor=collaboration.vendor)
    product_update(product=retired, actor=collaboration.vendor, is_active=False)
    theirs = ProductFactory(vendor=VendorFactory())

    with pytest.raises(CollaborationError) as caught:
        shipments.shipment_create(
            collaboration=collaboration,
            actor=collaboration.vendor,
            address="Somewhere",
            items=[
                {"product": tea.pk, "quantity": 1},
                {"product": tea.pk, "quantity": 2},
                {"product": retired.pk, "quantity": 1},
                {"product": theirs.pk, "quantity": 1},
                {"product": tea.pk, "quantity": 0},
                {"product": "7", "quantity": shipments.MAX_QUANTITY + 1},
            ],
        )

    assert caught.value.errors["items"] == {
        "1": {"product": ["Already on line 1; give its quantity there."]},
        "2": {"product": ["This product is inactive."]},
        "3": {"product": ["Not a product of your catalog."]},
        "4": {
            "product": ["Already on line 1; give its quantity there."],
            "quantity": ["Give a whole number from 1 to 100."],
        },
        "5": {"product": ["Choose a product."], "quantity": ["Give a whole number from 1 to 100."]},
    }
    assert not Shipment.objects.exists()
    assert stock(tea) == 10


@pytest.mark.parametrize(
    ("items", "message"),
    [([], "Add at least one product."), ("tea", "Add at least one product."), ([{}] * 21, "At most 20 lines")],
)
def test_a_gift_needs_one_to_twenty_lines(items, message):
    collaboration = make_active_collaboration()
    with pytest.raises(CollaborationError) as caught:
        shipments.shipment_create(collaboration=collaboration, actor=collaboration.vendor, items=items, address="X")
    assert message in caught.value.errors["items"][0]


def test_the_address_defaults_to_the_influencers_and_one_is_needed():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor)
    with pytest.raises(CollaborationError) as caught:
        make_shipment(collaboration, (tea, 1), address="   ")
    assert "has not given one" in caught.value.errors["address"][0]
    assert stock(tea) == 10

    shipments.shipping_address_set(
        collaboration=collaboration, actor=collaboration.influencer, address="  Flat 4, Bandra, Mumbai 400050 "
    )
    shipment = make_shipment(collaboration, (tea, 1), address="")
    assert shipment.address == "Flat 4, Bandra, Mumbai 400050"
    assert make_shipment(collaboration, (tea, 1), address="Office, Pune").address == "Office, Pune"


@pytest.mark.parametrize(("field", "limit"), [("address", 1000), ("carrier", 100), ("tracking_number", 100)])
def test_texts_over_their_limit_are_refused(field, limit):
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor)
    with pytest.raises(CollaborationError) as caught:
        make_shipment(collaboration, (tea, 1), **{field: "x" * (limit + 1)})
    assert caught.value.errors[field] == [f"Ensure this field has no more than {limit} characters."]


def test_only_the_vendor_sends_gifts():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor)
    for actor in (collaboration.influencer, VendorFactory()):
        with pytest.raises(NotAllowed):
            shipments.shipment_create(
                collaboration=collaboration, actor=actor, items=[{"product": tea.pk, "quantity": 1}], address="X"
            )
    assert stock(tea) == 10


def test_gifts_wait_for_accepted_terms_and_stop_when_the_collaboration_closes():
    collaboration = make_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor)
    with pytest.raises(Conflict) as caught:
        make_shipment(collaboration, (tea, 1))
    assert caught.value.detail == "Gifts are sent once the influencer has accepted the terms."
    send_terms(collaboration)
    with pytest.raises(Conflict):
        make_shipment(collaboration, (tea, 1))
    assert shipments.gift_refusal(collaboration) == "Gifts are sent once the influencer has accepted the terms."

    services.terms_accept(collaboration=collaboration, actor=collaboration.influencer)
    assert shipments.gift_refusal(collaboration) is None
    make_shipment(collaboration, (tea, 1))
    # Renegotiating after an accepted version: the earlier terms still hold.
    send_terms(collaboration, fee=Decimal("9000.00"))
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "terms_sent"
    make_shipment(collaboration, (tea, 1))

    services.collaboration_cancel(collaboration=collaboration, actor=collaboration.vendor, reason="Budget cut.")
    with pytest.raises(Conflict) as caught:
        make_shipment(collaboration, (tea, 1))
    assert "cancelled" in caught.value.detail
    assert stock(tea) == 8


# --- Moving one -----------------------------------------------------------------------------


def test_preparing_shipped_delivered_with_times_and_notifications(django_capture_on_commit_callbacks):
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, name="Masala chai")
    shipment = make_shipment(collaboration, (tea, 2))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        ship(shipment)
    assert (shipment.status, shipment.carrier, shipment.tracking_number) == ("shipped", "Delhivery", "DL123456789IN")
    assert shipment.shipped_at is not None
    line = Message.objects.filter(sender=collaboration.vendor).latest("pk").text
    assert "2 × Masala chai" in line
    assert "Delhivery, tracking number DL123456789IN" in line
    assert [m.to for m in mail.outbox] == [[collaboration.influencer.email]]
    assert "DL123456789IN" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        shipments.shipment_update_status(shipment=shipment, actor=collaboration.influencer, status="delivered")
    stored = Shipment.objects.get(pk=shipment.pk)
    assert stored.status == "delivered"
    assert stored.delivered_at >= stored.shipped_at
    assert Message.objects.filter(sender=collaboration.influencer).latest("pk").text.startswith("Received the gift")
    assert mail.outbox[-1].to == [collaboration.vendor.email]
    assert stock(tea) == 8  # a delivered gift's stock stays out


def test_shipping_needs_a_carrier_and_a_tracking_number():
    collaboration = make_active_collaboration()
    shipment = make_shipment(collaboration, (ProductFactory(vendor=collaboration.vendor), 1))
    with pytest.raises(CollaborationError) as caught:
        ship(shipment, carrier="", tracking_number="")
    assert set(caught.value.errors) == {"carrier", "tracking_number"}
    assert Shipment.objects.get(pk=shipment.pk).status == "preparing"
    # Given when the shipment was made, they need not be given again.
    ready = make_shipment(
        collaboration, (ProductFactory(vendor=collaboration.vendor), 1), carrier="India Post", tracking_number="EE1IN"
    )
    shipments.shipment_update_status(shipment=ready, actor=collaboration.vendor, status="shipped")
    assert Shipment.objects.get(pk=ready.pk).status == "shipped"


@pytest.mark.parametrize("sent_first", ["shipped", "delivered"])
def test_a_returned_gift_puts_the_stock_back_and_its_cost_no_longer_counts(sent_first):
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=5, cost_price=Decimal("50.00"))
    mug = ProductFactory(vendor=collaboration.vendor, quantity=3, cost_price=Decimal("30.00"))
    kept = make_shipment(collaboration, (tea, 1))
    shipment = make_shipment(collaboration, (tea, 2), (mug, 1))
    ship(shipment)
    if sent_first == "delivered":
        shipments.shipment_update_status(shipment=shipment, actor=collaboration.vendor, status="delivered")
    everything = Collaboration.objects.filter(pk=collaboration.pk)
    assert selectors.gift_cost(everything) == Decimal("180.00")

    shipments.shipment_update_status(shipment=shipment, actor=collaboration.vendor, status="returned")

    assert (stock(tea), stock(mug)) == (4, 3)
    assert movement_sum(tea) == 4
    assert movement_sum(mug) == 3
    back = [(m.product_id, m.delta, m.reason) for m in movements_for_source(shipment) if m.delta > 0]
    assert back == [(tea.pk, 2, "gift_return"), (mug.pk, 1, "gift_return")]
    stored = Shipment.objects.get(pk=shipment.pk)
    assert (stored.status, stored.returned_at is not None, stored.cost) == ("returned", True, Decimal("130.00"))
    assert selectors.gift_cost(everything) == kept.cost == Decimal("50.00")
    assert "returned" in Message.objects.latest("pk").text


def test_a_shipment_cancelled_before_it_was_sent_is_returned_without_being_shipped():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=5)
    shipment = make_shipment(collaboration, (tea, 5))
    assert stock(tea) == 0
    shipments.shipment_update_status(shipment=shipment, actor=collaboration.vendor, status="returned")
    stored = Shipment.objects.get(pk=shipment.pk)
    assert (stored.status, stored.shipped_at, stored.returned_at is not None) == ("returned", None, True)
    assert stock(tea) == 5
    assert Message.objects.latest("pk").text.startswith("Cancelled the gift")


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ([], "delivered"),
        ([], "preparing"),
        (["shipped"], "shipped"),
        (["shipped"], "preparing"),
        (["shipped", "delivered"], "shipped"),
        (["shipped", "delivered"], "delivered"),
        (["returned"], "shipped"),
        (["returned"], "returned"),
        (["shipped", "returned"], "delivered"),
    ],
)
def test_illegal_steps_are_conflicts_and_change_nothing(path, wanted):
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=5)
    shipment = make_shipment(collaboration, (tea, 2), carrier="DTDC", tracking_number="D1")
    for status in path:
        shipments.shipment_update_status(shipment=shipment, actor=collaboration.vendor, status=status)
    before = Shipment.objects.filter(pk=shipment.pk).values().get()
    quantity = stock(tea)

    with pytest.raises(Conflict) as caught:
        shipments.shipment_update_status(shipment=shipment, actor=collaboration.vendor, status=wanted)

    assert caught.value.status_code == 409
    assert caught.value.errors == {"status": [before["status"]]}
    assert Shipment.objects.filter(pk=shipment.pk).values().get() == before
    assert stock(tea) == quantity


def test_an_unknown_status_is_bad_input():
    collaboration = make_active_collaboration()
    shipment = make_shipment(collaboration, (ProductFactory(vendor=collaboration.vendor), 1))
    with pytest.raises(CollaborationError) as caught:
        shipments.shipment_update_status(shipment=shipment, actor=collaboration.vendor, status="lost")
    assert "status" in caught.value.errors


def test_the_influencer_only_says_a_shipped_gift_arrived():
    collaboration = make_active_collaboration()
    shipment = make_shipment(collaboration, (ProductFactory(vendor=collaboration.vendor), 1))
    influencer = collaboration.influencer
    for status in ("shipped", "returned"):
        with pytest.raises(NotAllowed):
            shipments.shipment_update_status(
                shipment=shipment, actor=influencer, status=status, carrier="X", tracking_number="Y"
            )
    with pytest.raises(Conflict):  # not shipped yet
        shipments.shipment_update_status(shipment=shipment, actor=influencer, status="delivered")
    ship(shipment)
    with pytest.raises(NotAllowed):
        shipments.shipment_update_status(shipment=shipment, actor=influencer, status="delivered", carrier="Mine")
    with pytest.raises(NotAllowed):
        shipments.shipment_update_tracking(shipment=shipment, actor=influencer, tracking_number="Z")
    with pytest.raises(NotAllowed):
        shipments.shipment_update_status(shipment=shipment, actor=VendorFactory(), status="delivered")
    shipments.shipment_update_status(shipment=shipment, actor=influencer, status="delivered")
    assert Shipment.objects.get(pk=shipment.pk).status == "delivered"


def test_a_gift_sent_before_a_cancellation_still_comes_back():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=3)
    shipment = make_shipment(collaboration, (tea, 3))
    ship(shipment)
    services.collaboration_cancel(collaboration=collaboration, actor=collaboration.influencer, reason="Moved abroad.")
    shipments.shipment_update_status(shipment=shipment, actor=collaboration.vendor, status="returned")
    assert stock(tea) == 3


def test_tracking_is_corrected_until_delivered_and_never_cleared_once_shipped():
    collaboration = make_active_collaboration()
    shipment = make_shipment(collaboration, (ProductFactory(vendor=collaboration.vendor), 1))
    vendor = collaboration.vendor
    shipments.shipment_update_tracking(shipment=shipment, actor=vendor, carrier="Ekart")
    assert Shipment.objects.get(pk=shipment.pk).carrier == "Ekart"
    ship(shipment, carrier=None, tracking_number="EK42")
    messages = Message.objects.count()
    shipments.shipment_update_tracking(shipment=shipment, actor=vendor, tracking_number=" EK43 ")
    assert Shipment.objects.get(pk=shipment.pk).tracking_number == "EK43"
    assert "EK43" in Message.objects.latest("pk").text
    assert Message.objects.count() == messages + 1
    with pytest.raises(CollaborationError):
        shipments.shipment_update_tracking(shipment=shipment, actor=vendor, tracking_number="")
    assert shipments.shipment_update_tracking(shipment=shipment, actor=vendor).tracking_number == "EK43"
    shipments.shipment_update_status(shipment=shipment, actor=vendor, status="delivered")
    with pytest.raises(Conflict):
        shipments.shipment_update_tracking(shipment=shipment, actor=vendor, tracking_number="EK44")
    assert Shipment.objects.get(pk=shipment.pk).tracking_number == "EK43"


# --- The address ----------------------------------------------------------------------------


def test_the_influencer_gives_the_address_while_the_collaboration_is_open():
    collaboration = make_collaboration()
    shipments.shipping_address_set(collaboration=collaboration, actor=collaboration.influencer, address=" 1 Park St ")
    assert Collaboration.objects.get(pk=collaboration.pk).shipping_address == "1 Park St"
    assert "shipping address" in Message.objects.latest("pk").text
    with pytest.raises(NotAllowed):
        shipments.shipping_address_set(collaboration=collaboration, actor=collaboration.vendor, address="Mine")
    with pytest.raises(CollaborationError):
        shipments.shipping_address_set(collaboration=collaboration, actor=collaboration.influencer, address="x" * 1001)
    shipments.shipping_address_set(collaboration=collaboration, actor=collaboration.influencer, address="")
    assert Collaboration.objects.get(pk=collaboration.pk).shipping_address == ""
    services.collaboration_cancel(collaboration=collaboration, actor=collaboration.vendor, reason="No.")
    with pytest.raises(Conflict):
        shipments.shipping_address_set(collaboration=collaboration, actor=collaboration.influencer, address="2 Park St")


# --- Catalog's side -------------------------------------------------------------------------


def test_catalog_refuses_a_reason_that_does_not_take_stock_out():
    product = ProductFactory()
    with pytest.raises(ValueError, match="takes stock out"):
        stock_sell(vendor=product.vendor, lines=[StockLine(product=product.pk, quantity=1)], reason="void")
    assert stock(product) == 10


def test_the_export_holds_the_shipments_with_the_cost_for_the_vendor_only():
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, name="Masala chai", cost_price=Decimal("40.00"))
    shipment = make_shipment(collaboration, (tea, 2))
    ship(shipment)

    vendor_view = selectors.collaborations_export(collaboration.vendor)[0]
    assert vendor_view["shipping_address"] == ""
    [exported] = vendor_view["shipments"]
    assert (exported["status"], exported["tracking_number"], exported["cost"]) == (
        "shipped",
        "DL123456789IN",
        Decimal("80.00"),
    )
    assert exported["items"] == [
        {"product": "Masala chai", "sku": tea.sku, "quantity": 2, "unit_cost": Decimal("40.00")}
    ]
    [seen] = selectors.collaborations_export(collaboration.influencer)[0]["shipments"]
    assert "cost" not in seen
    assert seen["items"] == [{"product": "Masala chai", "sku": tea.sku, "quantity": 2}]
