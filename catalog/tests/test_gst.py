"""What a product carries for GST: its HSN code, its rate from the managed list, its unit."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches
from catalog import services
from catalog.models import GstRate, Product
from catalog.tests.factories import ProductFactory, gst_rate

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products/"
RATES = "/api/v1/gst/rates/"


def test_the_rates_in_force_in_2026_are_seeded_and_12_and_28_are_kept_inactive():
    active = [f"{rate}" for rate in GstRate.objects.filter(is_active=True).values_list("rate", flat=True)]
    assert active == ["0.00", "0.10", "0.25", "1.50", "3.00", "5.00", "18.00", "40.00"]
    assert set(GstRate.objects.filter(is_active=False).values_list("rate", flat=True)) == {Decimal(12), Decimal(28)}


def test_a_product_takes_an_hsn_code_a_rate_in_force_and_a_unit():
    vendor = VendorFactory()
    product = ProductFactory(vendor=vendor, hsn_code="0902", gst_rate=gst_rate(5), unit="KGS")
    product.refresh_from_db()
    assert (product.hsn_code, product.gst_rate.rate, product.unit) == ("0902", Decimal("5.00"), "KGS")

    with pytest.raises(services.CatalogError) as refused:
        ProductFactory(vendor=vendor, hsn_code="09021", gst_rate=gst_rate(12), unit="KG")
    assert set(refused.value.errors) == {"hsn_code", "gst_rate", "unit"}
    assert refused.value.errors["gst_rate"] == ["12% is no longer in force; choose a current GST rate."]


def test_a_product_keeps_a_rate_that_went_out_of_force_until_another_is_chosen():
    product = ProductFactory(gst_rate=gst_rate(18))
    GstRate.objects.filter(rate=18).update(is_active=False)
    product = Product.objects.get(pk=product.pk)
    services.product_update(product=product, actor=product.vendor, name="Renamed")  # the rate stays
    with pytest.raises(services.CatalogError):
        services.product_update(product=product, actor=product.vendor, gst_rate=gst_rate(28))
    services.product_update(product=product, actor=product.vendor, gst_rate=gst_rate(40))
    assert Product.objects.get(pk=product.pk).gst_rate.rate == 40


def test_the_api_reads_and_writes_the_gst_fields():
    vendor = VendorFactory()
    client = api_client(vendor)
    payload = {"name": "Assam tea", "sku": "TEA-1", "cost_price": "100.00", "sale_price": "250.00"}
    response = client.post(PRODUCTS, {**payload, "hsn_code": "09023010", "gst_rate": "5", "unit": "GMS"}, format="json")
    assert response.status_code == 201, response.content
    assert_matches(response, PRODUCTS, "post")
    body = response.json()
    assert (body["hsn_code"], body["gst_rate"], body["unit"]) == ("09023010", "5.00", "GMS")

    response = client.patch(f"{PRODUCTS}{body['id']}/", {"gst_rate": None, "hsn_code": ""}, format="json")
    assert (response.json()["gst_rate"], response.json()["hsn_code"]) == (None, "")
    plain = client.post(PRODUCTS, {**payload, "sku": "TEA-2"}, format="json").json()
    assert (plain["gst_rate"], plain["unit"]) == (None, "PCS")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hsn_code": "12345"}, "hsn_code"),
        ({"hsn_code": "12ab"}, "hsn_code"),
        ({"gst_rate": "7"}, "gst_rate"),
        ({"gst_rate": "eighteen"}, "gst_rate"),
        ({"gst_rate": ""}, "gst_rate"),  # null is "no rate"; an empty text is not a rate
        ({"gst_rate": 18}, "gst_rate"),
        ({"gst_rate": "12"}, "gst_rate"),  # out of force
        ({"unit": "kg"}, "unit"),
    ],
)
def test_bad_gst_fields_are_400_naming_the_field(changes, field):
    payload = {"name": "Tea", "sku": "TEA-1", "cost_price": "1.00", "sale_price": "2.00", **changes}
    assert_error(api_client(VendorFactory()).post(PRODUCTS, payload, format="json"), 400, field)


def test_the_rates_list_says_which_are_in_force():
    response = api_client(VendorFactory()).get(RATES)
    assert response.status_code == 200
    assert_matches(response, RATES, "get")
    rates = {row["rate"]: row["is_active"] for row in response.json()}
    assert (rates["18.00"], rates["12.00"], rates["40.00"]) == (True, False, True)


def test_the_product_form_offers_the_rates_in_force_and_saves_the_gst_fields(client):
    vendor = VendorFactory()
    client.force_login(vendor)
    page = client.get(reverse("catalog:product-create")).content.decode()
    assert f'value="{gst_rate(18).pk}"' in page
    assert f'value="{gst_rate(12).pk}"' not in page
    response = client.post(
        reverse("catalog:product-create"),
        {"name": "Mug", "sku": "MUG-1", "cost_price": "50", "sale_price": "99", "quantity": "3",
         "low_stock_threshold": "1", "hsn_code": "6912", "gst_rate": gst_rate(18).pk, "unit": "PCS",
         "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    product = Product.objects.get(sku="MUG-1")
    assert (product.hsn_code, product.gst_rate.rate) == ("6912", 18)
    page = client.post(
        reverse("catalog:product-create"),
        {"name": "Pot", "sku": "POT-1", "cost_price": "50", "sale_price": "99", "quantity": "3",
         "low_stock_threshold": "1", "hsn_code": "69"},
    ).content.decode()  # fmt: skip
    assert "An HSN code has 4, 6 or 8 digits." in page


def test_the_admin_manages_rates_and_keeps_a_rate_fixed_once_made(client):
    client.force_login(AdminFactory())
    data = {"rate": "7.50", "description": "Test", "is_active": "on"}
    response = client.post(reverse("admin:catalog_gstrate_add"), data)
    assert response.status_code == 302
    rate = GstRate.objects.get(rate=Decimal("7.5"))
    page = client.get(reverse("admin:catalog_gstrate_change", args=[rate.pk]))
    assert "rate" not in page.context["adminform"].form.fields
