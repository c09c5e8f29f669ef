"""The gift shipments on the collaboration's page, the new-shipment form and the status buttons."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import VendorFactory
from catalog.models import Product
from catalog.services import product_update
from catalog.tests.factories import ProductFactory
from collaborations import shipments
from collaborations.models import Collaboration, Shipment
from collaborations.tests.factories import make_active_collaboration, make_collaboration, make_shipment

pytestmark = pytest.mark.django_db


def detail(collaboration):
    return reverse("collaborations:collaboration-detail", args=[collaboration.pk])


def new_form(collaboration):
    return reverse("collaborations:shipment-create", args=[collaboration.pk])


def update(shipment):
    return reverse("collaborations:shipment-update", args=[shipment.pk])


def lines_data(*lines, total=3):
    data = {"lines-TOTAL_FORMS": str(total), "lines-INITIAL_FORMS": "0"}
    for i in range(total):
        product, quantity = lines[i] if i < len(lines) else ("", "")
        data[f"lines-{i}-product"] = getattr(product, "pk", product)
        data[f"lines-{i}-quantity"] = quantity
    return data


def test_empty_states_say_what_comes_next(client):
    collaboration = make_collaboration()
    client.force_login(collaboration.vendor)
    page = client.get(detail(collaboration)).content.decode()
    assert "No gifts yet." in page
    assert "Gifts are sent once the influencer has accepted the terms." in page
    assert new_form(collaboration) not in page
    client.force_login(collaboration.influencer)
    page = client.get(detail(collaboration)).content.decode()
    assert "Products the vendor sends you show here, with their tracking number." in page
    assert 'name="shipping_address"' in page


def test_the_vendors_form_lists_active_products_with_stock_and_starts_from_the_influencers_address(client):
    collaboration = make_active_collaboration()
    ProductFactory(vendor=collaboration.vendor, name="Masala chai", quantity=7, sku="CHAI-7")
    retired = ProductFactory(vendor=collaboration.vendor, name="Old tin")
    product_update(product=retired, actor=collaboration.vendor, is_active=False)
    ProductFactory(name="Someone else's tea")
    shipments.shipping_address_set(
        collaboration=collaboration, actor=collaboration.influencer, address="9 Brigade Rd, Bengaluru"
    )
    client.force_login(collaboration.vendor)

    page = client.get(detail(collaboration)).content.decode()
    assert new_form(collaboration) in page
    assert "9 Brigade Rd, Bengaluru" in page
    form = client.get(new_form(collaboration))
    text = form.content.decode()
    assert form.status_code == 200
    assert "Masala chai (CHAI-7) — 7 in stock" in text
    assert "Old tin" not in text
    assert "Someone else" not in text
    assert ">\n9 Brigade Rd, Bengaluru</textarea>" in text
    assert text.count('name="lines-') == 3 * 2 + 4  # three lines of two fields, and the management form
    assert client.get(new_form(collaboration), {"lines": "8"}).content.decode().count("Product, line") == 8
    assert client.get(new_form(collaboration), {"lines": "500"}).content.decode().count("Product, line") == 20


def test_the_vendor_makes_a_shipment_from_the_form_and_stock_leaves(client):
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, name="Masala chai", quantity=7, cost_price=Decimal("45.00"))
    mug = ProductFactory(vendor=collaboration.vendor, name="Brass mug", quantity=2)
    client.force_login(collaboration.vendor)

    response = client.post(
        new_form(collaboration),
        {"address": "3 Church St", "carrier": "", "tracking_number": "", **lines_data((tea, 2), (mug, ""))},
    )

    shipment = Shipment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{detail(collaboration)}#shipment-{shipment.pk}"
    assert [(item.product_id, item.quantity) for item in shipment.items.order_by("pk")] == [(tea.pk, 2), (mug.pk, 1)]
    assert Product.objects.get(pk=tea.pk).quantity == 5
    page = client.get(detail(collaboration)).content.decode()
    assert "Gift shipment made; its stock has left." in page
    assert "Masala chai" in page
    assert "₹150.00" in page  # 2 × 45 + 1 × 60, the vendor sees the cost
    assert "Mark shipped" in page
    assert "Cancel: not sent" in page


def test_short_stock_shows_on_its_line_and_nothing_is_made(client):
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=7)
    mug = ProductFactory(vendor=collaboration.vendor, quantity=1)
    client.force_login(collaboration.vendor)

    response = client.post(new_form(collaboration), {"address": "X", **lines_data((tea, 2), (mug, 3))})

    assert response.status_code == 400
    text = response.content.decode()
    assert "Only 1 in stock." in text
    assert "Not enough stock for every line; nothing was sold." in text
    assert not Shipment.objects.exists()
    assert Product.objects.get(pk=tea.pk).quantity == 7


def test_form_errors_are_tied_to_their_fields(client):
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor)
    client.force_login(collaboration.vendor)
    response = client.post(new_form(collaboration), {"address": "", **lines_data()})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Choose at least one product." in text
    assert "This field is required." in text
    response = client.post(new_form(collaboration), {"address": "X", **lines_data((tea, 1), (tea, 2))})
    assert "Already on line 1; give its quantity there." in response.content.decode()
    response = client.post(new_form(collaboration), {"address": "X", **lines_data((tea, 101))})
    assert "Ensure this value is less than or equal to 100." in response.content.decode()
    assert not Shipment.objects.exists()


def test_the_form_is_the_vendors_only(client):
    collaboration = make_active_collaboration()
    client.force_login(collaboration.influencer)
    assert client.get(new_form(collaboration)).status_code == 403
    assert client.post(new_form(collaboration), {"address": "X", **lines_data()}).status_code == 403
    client.force_login(VendorFactory())
    assert client.get(new_form(collaboration)).status_code == 404


def test_status_buttons_ship_deliver_and_return(client):
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=4)
    shipment = make_shipment(collaboration, (tea, 2))
    client.force_login(collaboration.vendor)

    response = client.post(update(shipment), {"status": "shipped", "carrier": "", "tracking_number": ""}, follow=True)
    assert "Give the carrier of a shipped gift." in response.content.decode()
    assert Shipment.objects.get(pk=shipment.pk).status == "preparing"

    response = client.post(update(shipment), {"status": "shipped", "carrier": "Delhivery", "tracking_number": "DL77"})
    assert response["Location"] == f"{detail(collaboration)}#shipment-{shipment.pk}"
    assert Shipment.objects.get(pk=shipment.pk).status == "shipped"

    client.force_login(collaboration.influencer)
    page = client.get(detail(collaboration)).content.decode()
    assert "DL77" in page
    assert "I received it" in page
    gifts = page.split('id="shipments"')[1].split('id="money"')[0]  # the shipments panel, up to the money one
    assert "₹" not in gifts  # the influencer sees no cost
    client.post(update(shipment), {"status": "delivered"})
    assert Shipment.objects.get(pk=shipment.pk).status == "delivered"
    assert client.post(update(shipment), {"status": "returned"}).status_code == 403

    client.force_login(collaboration.vendor)
    response = client.post(update(shipment), {"status": "returned"}, follow=True)
    assert "Its stock is back in your catalog." in response.content.decode()
    assert Product.objects.get(pk=tea.pk).quantity == 4
    response = client.post(update(shipment), {"status": "shipped"}, follow=True)
    assert "A returned shipment cannot become shipped." in response.content.decode()


def test_the_vendor_corrects_the_tracking_of_a_shipped_gift(client):
    collaboration = make_active_collaboration()
    shipment = make_shipment(collaboration, (ProductFactory(vendor=collaboration.vendor), 1))
    shipments.shipment_update_status(
        shipment=shipment, actor=collaboration.vendor, status="shipped", carrier="DTDC", tracking_number="D1"
    )
    client.force_login(collaboration.vendor)
    assert "Correct the tracking" in client.get(detail(collaboration)).content.decode()
    client.post(update(shipment), {"carrier": "DTDC", "tracking_number": "D2"})
    assert Shipment.objects.get(pk=shipment.pk).tracking_number == "D2"


def test_strangers_get_404_on_the_buttons(client):
    collaboration = make_active_collaboration()
    shipment = make_shipment(collaboration, (ProductFactory(vendor=collaboration.vendor), 1))
    client.force_login(VendorFactory())
    assert client.post(update(shipment), {"status": "returned"}).status_code == 404
    address = reverse("collaborations:shipping-address", args=[collaboration.pk])
    assert client.post(address, {"shipping_address": "X"}).status_code == 404
    assert Shipment.objects.get(pk=shipment.pk).status == "preparing"


def test_the_influencer_saves_their_address_from_the_page(client):
    collaboration = make_collaboration()
    address = reverse("collaborations:shipping-address", args=[collaboration.pk])
    client.force_login(collaboration.influencer)
    response = client.post(address, {"shipping_address": "5 Marine Drive, Mumbai 400020"}, follow=True)
    assert "Your shipping address is saved" in response.content.decode()
    assert Collaboration.objects.get(pk=collaboration.pk).shipping_address == "5 Marine Drive, Mumbai 400020"
    response = client.post(address, {"shipping_address": "x" * 1001}, follow=True)
    assert "Ensure this value has at most 1000 characters" in response.content.decode()
    client.force_login(collaboration.vendor)
    assert client.post(address, {"shipping_address": "Mine"}).status_code == 403
    page = client.get(detail(collaboration)).content.decode()
    assert "5 Marine Drive, Mumbai 400020" in page


def test_the_shipments_list_is_paginated(client):
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=50)
    made = [make_shipment(collaboration, (tea, 1)) for _ in range(12)]
    client.force_login(collaboration.influencer)
    first = client.get(detail(collaboration)).content.decode()
    assert f'id="shipment-{made[-1].pk}"' in first
    assert f'id="shipment-{made[0].pk}"' not in first
    assert "Page 1 of 2 · 12 shipments" in first
    second = client.get(detail(collaboration), {"shipments_page": 2}).content.decode()
    assert f'id="shipment-{made[0].pk}"' in second


def test_the_product_page_links_a_gift_movement_to_its_shipment(client):
    collaboration = make_active_collaboration()
    tea = ProductFactory(vendor=collaboration.vendor, quantity=5)
    shipment = make_shipment(collaboration, (tea, 2))
    client.force_login(collaboration.vendor)
    page = client.get(reverse("catalog:product-detail", args=[tea.pk])).content.decode()
    assert f'Gifted to an influencer · <a href="{detail(collaboration)}#shipment-{shipment.pk}">{shipment}</a>' in page
