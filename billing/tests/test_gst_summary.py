"""The monthly GST summary (GSTR-1 tables), at the selector, the API (JSON and CSV) and the page:
the issue's whole story, from two tax invoices and a return to totals that match the bills."""

import csv
import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import InfluencerFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches
from billing import services
from billing.gst_summary import gst_summary
from billing.models import Bill
from billing.tests.factories import gst_product, make_bill, make_return
from profiles.tests.factories import GSTIN_KARNATAKA_BUYER, gst_vendor

pytestmark = pytest.mark.django_db

D = Decimal
KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")
MAY = datetime.date(2026, 5, 1)
SUMMARY = "/api/v1/gst/summary/"


@pytest.fixture
def month_of_sales(clock):
    """A Maharashtra vendor's May: a sale in Maharashtra, one to a business in Karnataka, a large
    inter-state sale to a consumer, a void bill, and a return of one line."""
    clock.set(datetime.datetime(2026, 5, 10, 11, 0, tzinfo=KOLKATA))
    vendor = gst_vendor(state="27")
    tea = gst_product(vendor, 5, price="200.00", hsn_code="0902", unit="KGS", name="Tea")
    mug = gst_product(vendor, 18, price="500.00", hsn_code="6912", name="Mug", quantity=500)
    local = make_bill(vendor, (tea, 3), (mug, 2), customer_name="Meera Iyer")
    b2b = make_bill(vendor, (mug, 10), customer_name="Kaveri Traders", customer_gstin=GSTIN_KARNATAKA_BUYER)
    large = make_bill(vendor, (mug, 200), customer_address="Chennai", place_of_supply="33")
    void = make_bill(vendor, (tea, 1))
    services.bill_void(bill=void)
    clock.set(datetime.datetime(2026, 5, 20, 9, 0, tzinfo=KOLKATA))
    note = make_return(b2b, (mug, 2))
    clock.set(datetime.datetime(2026, 6, 1, 0, 30, tzinfo=KOLKATA))  # June: not May's
    make_bill(vendor, (tea, 1))
    return vendor, local, b2b, large, void, note


def test_the_two_invoices_the_return_and_the_summary_of_the_issue_agree(month_of_sales):
    vendor, local, b2b, large, void, note = month_of_sales
    # Within Maharashtra: CGST + SGST; to Karnataka's registered business: IGST.
    assert {(line.cgst > 0, line.igst > 0) for line in local.items.all()} == {(True, False)}
    assert {(line.cgst > 0, line.igst > 0) for line in b2b.items.all()} == {(False, True)}
    assert (note.taxable_total, note.tax_total) == (D("1000.00"), D("180.00"))

    summary = gst_summary(vendor, MAY)
    bills = [local, b2b, large]
    totals = summary["totals"]
    assert totals["taxable_value"] == sum(bill.taxable_total for bill in bills)
    assert totals["tax"] == sum(bill.tax_total for bill in bills)
    assert totals["invoice_value"] == sum(bill.total for bill in bills)
    assert totals["cgst"] == totals["sgst"] == sum(line.cgst for line in local.items.all())
    assert totals["igst"] == b2b.tax_total + large.tax_total
    assert (totals["credited_tax"], totals["net_tax"]) == (D("180.00"), totals["tax"] - D("180.00"))

    by_rate = {(row["gst_rate"], row["supply_type"]): row for row in summary["by_rate"]}
    assert set(by_rate) == {(D("5.00"), "intra"), (D("18.00"), "intra"), (D("18.00"), "inter")}
    assert by_rate[D("18.00"), "inter"]["invoices"] == 2
    assert by_rate[D("18.00"), "inter"]["igst"] == D("900.00") + D("18000.00")

    (b2b_row,) = summary["b2b"]
    assert (b2b_row["gstin"], b2b_row["place_name"], b2b_row["taxable_value"]) == (
        GSTIN_KARNATAKA_BUYER, "Karnataka (29)", D("5000.00"),
    )  # fmt: skip
    (b2cl_row,) = summary["b2cl"]  # inter-state to a consumer, above ₹1,00,000
    assert (b2cl_row["number"], b2cl_row["place"], b2cl_row["invoice_value"]) == (large.number, "33", large.total)
    assert {(row["place"], row["rate"]) for row in summary["b2cs"]} == {("27", D("5.00")), ("27", D("18.00"))}

    (credit,) = summary["credit_notes"]
    assert (credit["note_type"], credit["number"], credit["invoice"], credit["igst"]) == (
        "cdnr", note.number, b2b.number, D("180.00"),
    )  # fmt: skip
    hsn = {(row["kind"], row["hsn_code"]): row for row in summary["hsn"]}
    assert hsn["b2b", "6912"]["quantity"] == 8  # 10 sold, 2 returned
    assert hsn["b2c", "6912"]["quantity"] == 202
    assert (hsn["b2c", "0902"]["quantity"], hsn["b2c", "0902"]["unit"]) == (3, "KGS")
    invoices, notes = summary["documents"]
    assert (invoices["first"], invoices["last"], invoices["count"], invoices["cancelled"]) == (
        local.number, void.number, 4, 1,
    )  # fmt: skip
    assert (notes["first"], notes["count"]) == (note.number, 1)


def test_b2c_credit_notes_are_netted_into_table_7(clock):
    clock.set(datetime.datetime(2026, 5, 10, 11, 0, tzinfo=KOLKATA))
    vendor = gst_vendor(state="27")
    tea = gst_product(vendor, 5, price="100.00")
    bill = make_bill(vendor, (tea, 10))
    make_return(bill, (tea, 4))
    (row,) = gst_summary(vendor, MAY)["b2cs"]
    assert (row["taxable_value"], row["cgst"], row["sgst"]) == (D("600.00"), D("15.00"), D("15.00"))
    assert gst_summary(vendor, MAY)["credit_notes"][0]["note_type"] == "b2cs"


def test_a_composition_vendor_has_bills_of_supply_and_no_gstr1_supplies(clock):
    clock.set(datetime.datetime(2026, 5, 10, 11, 0, tzinfo=KOLKATA))
    vendor = gst_vendor(registration_type="composition")
    make_bill(vendor, (gst_product(vendor, 5, price="100.00"), 2))
    summary = gst_summary(vendor, MAY)
    assert summary["by_rate"] == []
    assert summary["bills_of_supply"] == {"count": 1, "value": D("200.00")}


def test_the_api_answers_the_summary_and_its_csv(month_of_sales):
    vendor, local, b2b, large, *_ = month_of_sales
    client = api_client(vendor)
    response = client.get(SUMMARY, {"month": "2026-05"})
    assert response.status_code == 200, response.content
    assert_matches(response, SUMMARY, "get")
    body = response.json()
    assert body["totals"]["invoice_value"] == f"{local.total + b2b.total + large.total:.2f}"

    response = client.get(SUMMARY, {"month": "2026-05", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="gst-summary-2026-05.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    tables = {row["table"] for row in rows}
    assert tables == {"by_rate", "b2b", "b2cl", "b2cs", "credit_notes", "hsn", "documents"}
    b2b_row = next(row for row in rows if row["table"] == "b2b")
    assert (b2b_row["gstin"], b2b_row["taxable_value"]) == (GSTIN_KARNATAKA_BUYER, "5000.00")


@pytest.mark.parametrize("query", [{"month": "2026-13"}, {"month": "May"}, {"month": "1999-12"}, {"format": "xml"}])
def test_a_bad_month_or_format_is_400(query):
    field = next(iter(query))
    assert_error(api_client(VendorFactory()).get(SUMMARY, query), 400, field)


def test_the_summary_is_the_vendors_own_and_only_vendors_see_one(month_of_sales):
    other = api_client(VendorFactory()).get(SUMMARY, {"month": "2026-05"}).json()
    assert other["totals"]["invoice_value"] == "0.00"
    assert other["b2b"] == []
    assert api_client(InfluencerFactory()).get(SUMMARY).status_code == 403


def test_the_summary_query_count_does_not_grow_with_the_bills(month_of_sales, django_assert_max_num_queries):
    vendor = month_of_sales[0]
    with django_assert_max_num_queries(16):
        gst_summary(vendor, MAY)
    tea = gst_product(vendor, 5, name="More tea")
    for _ in range(5):
        make_bill(vendor, (tea, 1), customer_gstin=GSTIN_KARNATAKA_BUYER)
    with django_assert_max_num_queries(16):
        gst_summary(vendor, MAY)


def test_the_page_shows_the_tables_and_downloads_the_csv(client, month_of_sales):
    vendor, _, _, large, _, note = month_of_sales
    client.force_login(vendor)
    page = client.get(reverse("billing:gst-summary"), {"month": "2026-05"}).content.decode()
    assert "GST summary · May 2026" in page
    assert GSTIN_KARNATAKA_BUYER in page
    assert large.number in page
    assert note.number in page
    assert "Tamil Nadu (33)" in page
    download = client.get(reverse("billing:gst-summary"), {"month": "2026-05", "format": "csv"})
    assert download["Content-Type"].startswith("text/csv")
    empty = client.get(reverse("billing:gst-summary"), {"month": "2026-01"}).content.decode()
    assert "No tax invoices this month." in empty
    bad = client.get(reverse("billing:gst-summary"), {"month": "2026-13"})
    assert bad.status_code == 400
    assert "Give a month as YYYY-MM" in bad.content.decode()


def test_a_vendor_outside_india_is_unaffected(settings):
    settings.CURRENCY = "USD"
    vendor = VendorFactory()
    cup = gst_product(vendor, 18, price="10.00")
    bill = make_bill(vendor, (cup, 3))
    assert (bill.document_type, bill.total, bill.tax_total, bill.profit) == (
        "invoice",
        D("30.00"),
        0,
        bill.total - bill.cost,
    )
    assert Bill.objects.get(pk=bill.pk).items.get().gst_rate is None
