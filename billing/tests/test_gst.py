"""GST on bills: tax invoices (CGST + SGST within the state, IGST between states), bills of
supply, plain invoices; at the service, the API, the page and the sales import."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import VendorFactory
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches
from billing import services
from billing.importing import ImportFailed, sales_import
from billing.models import Bill
from billing.tests.factories import gst_product, make_bill
from catalog.models import GstRate
from catalog.tests.factories import ProductFactory, gst_rate
from profiles import services as profile_services
from profiles.tests.factories import GSTIN_KARNATAKA_BUYER, gst_vendor

pytestmark = pytest.mark.django_db

BILLS = "/api/v1/bills/"
D = Decimal


@pytest.fixture
def vendor():
    """A regular GST vendor in Maharashtra (27) whose prices exclude tax."""
    return gst_vendor(state="27")


def test_a_sale_within_the_state_charges_cgst_and_sgst_half_each(vendor):
    tea = gst_product(vendor, 5, price="250.00")
    mug = gst_product(vendor, 18, price="399.00", hsn_code="6912")
    bill = make_bill(vendor, (tea, 2), (mug, 1), customer_address="5 MG Road, Pune")

    assert (bill.document_type, bill.place_of_supply) == ("tax_invoice", "27")
    assert bill.supplier_gstin == vendor.vendor_profile.gstin
    first, second = bill.items.order_by("pk")
    assert (first.hsn_code, first.gst_rate, first.taxable_value) == ("0902", D("5.00"), D("500.00"))
    assert (first.cgst, first.sgst, first.igst, first.line_total) == (D("12.50"), D("12.50"), 0, D("525.00"))
    assert (second.cgst, second.sgst, second.igst) == (D("35.91"), D("35.91"), 0)  # 9 % of 399.00, each
    assert (bill.taxable_total, bill.tax_total, bill.total) == (D("899.00"), D("96.82"), D("995.82"))
    assert bill.profit == bill.taxable_total - bill.cost  # tax is not revenue


def test_a_sale_to_a_business_in_another_state_charges_igst_and_defaults_the_place_of_supply(vendor):
    tea = gst_product(vendor, 18, price="1000.00")
    bill = make_bill(vendor, (tea, 3), customer_gstin=GSTIN_KARNATAKA_BUYER.lower())

    assert (bill.customer_gstin, bill.place_of_supply) == (GSTIN_KARNATAKA_BUYER, "29")
    line = bill.items.get()
    assert (line.cgst, line.sgst, line.igst) == (0, 0, D("540.00"))
    assert (bill.tax_total, bill.total) == (D("540.00"), D("3540.00"))
    # The vendor may say where the goods go (a branch in the vendor's own state).
    local = make_bill(vendor, (tea, 1), customer_gstin=GSTIN_KARNATAKA_BUYER, place_of_supply="27")
    assert local.items.get().cgst == D("90.00")


def test_prices_that_include_tax_are_split_back_and_the_customer_pays_the_price(vendor):
    profile_services.vendor_profile_update(user=vendor, prices_include_tax=True)
    tea = gst_product(vendor, 18, price="118.00")
    bill = make_bill(vendor, (tea, 10))
    assert (bill.total, bill.taxable_total, bill.tax_total, bill.prices_include_tax) == (
        D("1180.00"), D("1000.00"), D("180.00"), True,
    )  # fmt: skip


def test_a_line_keeps_the_rate_it_was_charged_when_the_product_or_list_changes(vendor):
    tea = gst_product(vendor, 18)
    bill = make_bill(vendor, (tea, 1))
    GstRate.objects.filter(rate=18).update(is_active=False)
    tea.gst_rate = gst_rate(5)
    tea.save(update_fields=["gst_rate"])
    line = Bill.objects.get(pk=bill.pk).items.get()
    assert (line.gst_rate, line.cgst + line.sgst) == (D("18.00"), D("180.00"))


def test_a_tax_invoice_refuses_products_without_a_gst_rate_naming_the_line(vendor):
    rated = gst_product(vendor, 5)
    unrated = ProductFactory(vendor=vendor, name="Mystery box")
    with pytest.raises(services.BillError) as refused:
        make_bill(vendor, (rated, 1), (unrated, 1))
    message = "Mystery box has no GST rate; set it in your catalog."
    assert refused.value.errors == {"items": {"1": {"product": [message]}}}
    assert not Bill.objects.exists()


def test_a_large_tax_invoice_to_a_buyer_without_gstin_records_their_address(vendor):
    gold = gst_product(vendor, 3, price="60000.00")
    with pytest.raises(services.BillError) as refused:
        make_bill(vendor, (gold, 1))
    assert "customer_address" in refused.value.errors
    assert make_bill(vendor, (gold, 1), customer_address="8 Linking Road, Mumbai").customer_address


@pytest.mark.parametrize("registration", ["composition", "unregistered"])
def test_composition_and_unregistered_vendors_issue_bills_of_supply_without_tax(registration):
    vendor = gst_vendor(registration_type="composition") if registration == "composition" else VendorFactory()
    tea = gst_product(vendor, 18, price="100.00")
    bill = make_bill(vendor, (tea, 2))
    assert (bill.document_type, bill.tax_total, bill.total, bill.taxable_total) == (
        "bill_of_supply", 0, D("200.00"), D("200.00"),
    )  # fmt: skip
    assert bill.items.get().gst_rate is None


def test_outside_india_a_bill_is_a_plain_invoice_with_the_optional_single_tax(settings):
    settings.CURRENCY = "EUR"
    vendor = gst_vendor()  # registered in India, but the platform bills in euros
    mug = gst_product(vendor, 18, price="50.00")
    bill = make_bill(vendor, (mug, 2))
    assert (bill.document_type, bill.currency, bill.tax_total, bill.total) == ("invoice", "EUR", 0, D("100.00"))

    settings.INVOICE_TAX_RATE = "20"
    bill = make_bill(vendor, (mug, 2))
    line = bill.items.get()
    assert (line.gst_rate, line.line_tax, line.cgst, line.igst) == (D("20.00"), D("20.00"), 0, 0)
    assert bill.total == D("120.00")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"customer_gstin": "29AABCU9603R1ZX"}, "customer_gstin"),
        ({"place_of_supply": "99"}, "place_of_supply"),
        ({"customer_address": "x" * 501}, "customer_address"),
    ],
)
def test_bad_gst_fields_are_refused_before_anything_is_written(vendor, fields, field):
    tea = gst_product(vendor)
    with pytest.raises(services.BillError) as refused:
        make_bill(vendor, (tea, 1), **fields)
    assert field in refused.value.errors
    assert not Bill.objects.exists()


# --- API -------------------------------------------------------------------------------------------


def test_the_api_takes_the_buyer_and_answers_the_tax_per_line(vendor):
    tea = gst_product(vendor, 18, price="1000.00")
    payload = {
        "customer_name": "Kaveri Traders",
        "customer_email": "accounts@kaveri.example",
        "customer_gstin": GSTIN_KARNATAKA_BUYER,
        "customer_address": "14 Residency Road, Bengaluru",
        "items": [{"product": tea.pk, "quantity": 2}],
    }
    response = api_client(vendor).post(BILLS, payload, format="json")
    assert response.status_code == 201, response.content
    assert_matches(response, BILLS, "post")
    body = response.json()
    assert (body["document_type"], body["place_of_supply"], body["customer_gstin"]) == (
        "tax_invoice", "29", GSTIN_KARNATAKA_BUYER,
    )  # fmt: skip
    assert (body["taxable_total"], body["tax_total"], body["total"]) == ("2000.00", "360.00", "2360.00")
    line = body["items"][0]
    assert (line["gst_rate"], line["taxable_value"], line["cgst"], line["sgst"], line["igst"]) == (
        "18.00", "2000.00", "0.00", "0.00", "360.00",
    )  # fmt: skip
    detail = api_client(vendor).get(f"{BILLS}{body['id']}/")
    assert_matches(detail, f"{BILLS}{{id}}/", "get")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"customer_gstin": "29AABCU9603R1ZX"}, "customer_gstin"),
        ({"customer_gstin": "29AABCU9603R1ZJ9"}, "customer_gstin"),
        ({"place_of_supply": "25"}, "place_of_supply"),
        ({"place_of_supply": 27}, "place_of_supply"),
    ],
)
def test_bad_gst_input_is_400_naming_the_field(vendor, changes, field):
    tea = gst_product(vendor)
    payload = {"customer_name": "A", "customer_email": "a@example.com", "items": [{"product": tea.pk, "quantity": 1}]}
    assert_error(api_client(vendor).post(BILLS, {**payload, **changes}, format="json"), 400, field)


def test_an_unrated_product_on_a_tax_invoice_is_400_on_its_line(vendor):
    plain = ProductFactory(vendor=vendor)
    payload = {"customer_name": "A", "customer_email": "a@example.com", "items": [{"product": plain.pk, "quantity": 1}]}
    body = assert_error(api_client(vendor).post(BILLS, payload, format="json"), 400, "items")
    assert body["errors"]["items"]["0"]["product"]


# --- Page ----------------------------------------------------------------------------------------


def test_the_bill_page_takes_the_buyer_and_shows_the_tax(client, vendor):
    client.force_login(vendor)
    tea = gst_product(vendor, 5, price="200.00", name="Darjeeling")
    form = client.get(reverse("billing:bill-create")).content.decode()
    assert 'name="customer_gstin"' in form
    assert 'name="place_of_supply"' in form
    data = {
        "customer_name": "Kaveri Traders",
        "customer_email": "accounts@kaveri.example",
        "customer_gstin": GSTIN_KARNATAKA_BUYER,
        "customer_address": "Bengaluru",
        "place_of_supply": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-product": str(tea.pk),
        "lines-0-quantity": "3",
    }
    response = client.post(reverse("billing:bill-create"), data, follow=True)
    page = response.content.decode()
    bill = Bill.objects.get()
    assert (bill.place_of_supply, bill.tax_total) == ("29", D("30.00"))
    assert "Tax invoice" in page
    assert "place of supply Karnataka (29)" in page
    assert "₹30.00" in page  # the line's IGST
    assert "(5% IGST)" in page

    data["customer_gstin"] = "29AABCU9603R1ZX"
    page = client.post(reverse("billing:bill-create"), data).content.decode()
    assert "check character does not match" in page
    assert Bill.objects.count() == 1


# --- Sales import ----------------------------------------------------------------------------------

HEADER = "date,bill_ref,product,sku,category,quantity,unit_price,hsn_code,gst_rate,unit,customer_gstin,place_of_supply"


def test_imported_history_carries_the_tax_of_each_line(vendor):
    rows = [
        HEADER,
        f"2025-03-01,B-1,Assam Gold,TEA-1,Tea,2,1000.00,0902,12,KGS,{GSTIN_KARNATAKA_BUYER},",
        "2025-03-02,B-2,Assam Gold,TEA-1,Tea,1,1000.00,,,,,27",
    ]
    result = sales_import(vendor=vendor, rows=io.StringIO("\n".join(rows) + "\n"), actor=vendor)
    assert result.created_bills == 2
    inter = Bill.objects.get(import_ref="B-1")
    line = inter.items.get()
    assert (inter.document_type, inter.place_of_supply, line.gst_rate, line.igst, line.unit) == (
        "tax_invoice", "29", D("12.00"), D("240.00"), "KGS",
    )  # fmt: skip
    product = line.product
    assert (product.hsn_code, product.gst_rate.rate, product.unit) == ("0902", 12, "KGS")
    intra = Bill.objects.get(import_ref="B-2").items.get()
    assert (intra.cgst, intra.sgst) == (D("60.00"), D("60.00"))  # the product's rate


def test_an_import_names_bad_gst_cells_and_lines_without_a_rate(vendor):
    rows = [
        HEADER,
        "2025-03-01,B-1,Tea,TEA-1,Tea,1,10.00,123,7,crates,29AABCU9603R1ZX,99",
        "2025-03-01,B-2,Mug,MUG-1,Kitchen,1,10.00,,,,,",
    ]
    with pytest.raises(ImportFailed) as failed:
        sales_import(vendor=vendor, rows=io.StringIO("\n".join(rows) + "\n"))
    problems = {(problem["line"], problem["field"]) for problem in failed.value.lines}
    assert problems == {
        (2, "hsn_code"), (2, "gst_rate"), (2, "unit"), (2, "customer_gstin"), (2, "place_of_supply"), (3, "gst_rate"),
    }  # fmt: skip
    assert not Bill.objects.exists()
