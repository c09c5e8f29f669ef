"""The admin writes products only through the catalog services, and never moves one to another vendor."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, VendorFactory
from catalog.models import Product, StockMovement
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def change_form_data(response, **changes):
    """What the admin's change page would post back unchanged, with ``changes`` applied."""
    form = response.context["adminform"].form
    data = {}
    formsets = [inline.formset for inline in response.context["inline_admin_formsets"]]
    for bound in [form, *(f for formset in formsets for f in [formset.management_form, *formset.forms])]:
        for name in bound.fields:
            value = bound[name].value()
            if value is True:
                data[bound.add_prefix(name)] = "on"
            elif value not in (None, False):
                data[bound.add_prefix(name)] = str(value)
    data.update(changes)
    return data


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def test_admin_cannot_move_a_product_to_another_vendor_but_edits_it_through_the_service(admin_client):
    vendor, other = VendorFactory(), VendorFactory()
    product = ProductFactory(vendor=vendor, name="Assam Gold", quantity=4)
    url = reverse("admin:catalog_product_change", args=[product.pk])
    data = change_form_data(admin_client.get(url), vendor=str(other.pk), name="Assam Gold Tips", quantity="999")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    product.refresh_from_db()
    assert (product.vendor, product.name, product.quantity) == (vendor, "Assam Gold Tips", 4)
    assert list(product.movements.values_list("reason", flat=True)) == [StockMovement.Reason.INITIAL]
    page = admin_client.get(url).content.decode()
    assert 'name="vendor"' not in page
    assert 'name="quantity"' not in page


def test_admin_sku_taken_in_another_case_is_a_form_error_not_a_server_error(admin_client):
    vendor = VendorFactory()
    ProductFactory(vendor=vendor, sku="CHAI-1")
    product = ProductFactory(vendor=vendor, sku="MUG-1")
    url = reverse("admin:catalog_product_change", args=[product.pk])

    response = admin_client.post(url, change_form_data(admin_client.get(url), sku="chai-1"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["sku"] == ['You already have a product with the SKU "chai-1".']
    product.refresh_from_db()
    assert product.sku == "MUG-1"


def test_admin_adds_a_product_through_the_service(admin_client):
    vendor = VendorFactory()
    data = {
        "vendor": str(vendor.pk),
        "name": "Brass Mug",
        "sku": "MUG-9",
        "cost_price": "200.00",
        "sale_price": "399.00",
        "low_stock_threshold": "5",
        "is_active": "on",
        "movements-TOTAL_FORMS": "0",
        "movements-INITIAL_FORMS": "0",
    }

    response = admin_client.post(reverse("admin:catalog_product_add"), data)

    assert response.status_code == 302
    product = Product.objects.get(sku="MUG-9")
    assert (product.vendor, product.sale_price, product.quantity) == (vendor, Decimal("399.00"), 0)
    assert response.url == reverse("admin:catalog_product_changelist")
