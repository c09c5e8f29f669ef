"""Returns: chosen lines back to stock, a credit note in its own gapless series reversing their
value and tax, its PDF and email; never more back than was sold."""

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from accounts.tests.factories import AdminFactory, InfluencerFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches
from billing import hooks, returns, services
from billing.models import Bill, CreditNote
from billing.tests.factories import gst_product, make_bill, make_return
from campaigns import services as campaign_services
from campaigns.tests.factories import CampaignFactory
from catalog.models import Product, StockMovement
from catalog.tests.factories import ProductFactory
from profiles.tests.factories import GSTIN_KARNATAKA_BUYER, gst_vendor

pytestmark = pytest.mark.django_db

D = Decimal
BILLS = "/api/v1/bills/"


@pytest.fixture
def vendor():
    return gst_vendor(state="27")


@pytest.fixture
def sale(vendor):
    """A tax invoice within Maharashtra: 3 teas at 5 % and 2 mugs at 18 %, prices without tax."""
    tea = gst_product(vendor, 5, price="333.33", quantity=10, name="Assam tea")
    mug = gst_product(vendor, 18, price="499.00", quantity=10, name="Brass mug")
    bill = make_bill(vendor, (tea, 3), (mug, 2))
    return bill, tea, mug


def stock(product):
    return Product.objects.get(pk=product.pk).quantity


def test_a_return_credits_the_units_share_of_value_and_tax_and_puts_them_back(sale):
    bill, tea, _ = sale
    note = make_return(bill, (tea, 1), reason="Damaged")

    assert note.number.endswith("/CN0001")
    assert note.bill == bill
    (line,) = note.items.all()
    assert (line.quantity, line.taxable_value, line.cgst, line.sgst, line.igst) == (
        1, D("333.33"), D("8.33"), D("8.33"), 0,
    )  # fmt: skip
    assert (note.taxable_total, note.tax_total, note.total) == (D("333.33"), D("16.66"), D("349.99"))
    assert stock(tea) == 8  # 10 - 3 sold + 1 back
    movement = StockMovement.objects.filter(product=tea).first()
    assert (movement.reason, movement.delta, movement.source) == ("return", 1, note)
    assert Bill.objects.get(pk=bill.pk).total == bill.total  # the invoice itself is unchanged


def test_the_last_units_of_a_line_take_what_is_left_so_the_credit_notes_add_up_to_the_line(sale):
    bill, tea, _ = sale
    notes = [make_return(bill, (tea, 1)) for _ in range(3)]
    line = bill.items.get(product=tea)
    for name in ("taxable_value", "cgst", "sgst", "line_total"):
        assert sum(getattr(note.items.get(), name) for note in notes) == getattr(line, name), name
    assert [note.sequence for note in notes] == [1, 2, 3]


def test_never_more_back_than_was_sold_less_what_came_back(sale):
    bill, tea, mug = sale
    make_return(bill, (tea, 2))
    with pytest.raises(returns.ReturnExceedsSold) as refused:
        make_return(bill, (mug, 1), (tea, 2))
    assert refused.value.errors == {"items": {"1": {"quantity": ["1 of the 3 sold left to return."]}}}
    assert CreditNote.objects.count() == 1
    assert (stock(tea), stock(mug)) == (9, 8)  # nothing of the refused return moved


@pytest.mark.parametrize(
    ("lines", "field"),
    [([], "items"), ([(0, 1)], "items"), ([("tea", 0)], "items"), ([("tea", 1), ("tea", 1)], "items")],
)
def test_bad_return_requests_are_refused_naming_the_line(sale, lines, field):
    bill, tea, _ = sale
    items = [returns.ReturnLine(product=tea.pk if product == "tea" else product, quantity=q) for product, q in lines]
    with pytest.raises(returns.ReturnError) as refused:
        returns.bill_return(bill=bill, items=items)
    assert field in refused.value.errors


def test_void_and_imported_bills_cannot_be_returned_and_voiding_after_a_return_restocks_the_rest(sale):
    bill, tea, mug = sale
    make_return(bill, (tea, 1))
    services.bill_void(bill=bill)
    assert (stock(tea), stock(mug)) == (10, 10)
    with pytest.raises(returns.ReturnNotAllowed):
        make_return(bill, (tea, 1))


def test_the_return_callbacks_run_inside_the_return_of_a_referred_bill(vendor, monkeypatch):
    campaign = CampaignFactory(vendor=vendor)
    application = campaign_services.application_create(campaign=campaign, influencer=InfluencerFactory(), pitch="Hi")
    referral = campaign_services.application_accept(application=application, actor=vendor)
    tea = gst_product(vendor, 5, price="333.33", quantity=10, name="Assam tea")
    referred = make_bill(vendor, (tea, 3), referral_code=referral.referral_code)
    plain = make_bill(vendor, (tea, 3))
    seen = []
    monkeypatch.setattr(hooks, "_returned_callbacks", [])
    hooks.on_referred_bill_returned(
        lambda note: seen.append((note.number, list(note.items.values_list("quantity", flat=True))))
    )
    note = make_return(referred, (tea, 2))
    assert seen == [(note.number, [2])]
    make_return(plain, (tea, 1))  # a bill nobody referred runs no callback
    assert len(seen) == 1

    def refuse(note):
        raise returns.ReturnNotAllowed("Commission already paid out.")

    hooks.on_referred_bill_returned(refuse)
    with pytest.raises(returns.ReturnNotAllowed):
        make_return(referred, (tea, 1))
    assert CreditNote.objects.count() == 2  # the refused return left nothing behind
    assert stock(tea) == 7  # 10 - 6 sold + 2 + 1 back
    assert Bill.objects.get(pk=referred.pk).returned_taxable == D("666.66")


def test_the_credit_note_is_emailed_with_its_pdf_referring_to_the_invoice(sale, django_capture_on_commit_callbacks):
    bill, _, mug = sale
    with django_capture_on_commit_callbacks(execute=True):
        note = make_return(bill, (mug, 1), reason="Wrong colour")
    (message,) = mail.outbox
    assert note.number in message.subject
    assert message.to == [bill.customer_email]
    ((filename, content, _),) = message.attachments
    assert filename == f"{note.number.replace('/', '-')}.pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    for particular in ["Credit Note", note.number, f"Against tax invoice {bill.number}", "Wrong colour",
                       "Brass mug", "₹44.91", "₹588.82", "Authorised signatory"]:  # fmt: skip
        assert particular in text, particular
    assert CreditNote.objects.get(pk=note.pk).email_status == "sent"


def test_an_inter_state_return_reverses_igst(vendor):
    tea = gst_product(vendor, 18, price="1000.00")
    bill = make_bill(vendor, (tea, 4), customer_gstin=GSTIN_KARNATAKA_BUYER)
    note = make_return(bill, (tea, 1))
    line = note.items.get()
    assert (line.cgst, line.sgst, line.igst, note.total) == (0, 0, D("180.00"), D("1180.00"))


# --- API -------------------------------------------------------------------------------------------


def test_post_returns_answers_the_credit_note_with_its_pdf_link(sale):
    bill, tea, mug = sale
    client = api_client(bill.vendor)
    url = f"{BILLS}{bill.pk}/returns/"
    payload = {"items": [{"product": mug.pk, "quantity": 1}], "reason": "Chipped"}
    response = client.post(url, payload, format="json", HTTP_IDEMPOTENCY_KEY="return-1")
    assert response.status_code == 201, response.content
    assert_matches(response, f"{BILLS}{{id}}/returns/", "post")
    body = response.json()
    assert body["number"].endswith("/CN0001")
    assert (body["total"], body["tax_total"], body["bill_number"]) == ("588.82", "89.82", bill.number)
    assert body["pdf"].endswith(f"/api/v1/credit-notes/{body['id']}/credit-note.pdf")

    again = client.post(url, payload, format="json", HTTP_IDEMPOTENCY_KEY="return-1")
    assert again.json() == body
    assert again.headers["Idempotent-Replayed"] == "true"
    assert CreditNote.objects.count() == 1

    pdf = client.get(body["pdf"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    detail = client.get(f"{BILLS}{bill.pk}/").json()
    assert [note["number"] for note in detail["credit_notes"]] == [body["number"]]
    assert {item["product"]: item["returned_quantity"] for item in detail["items"]} == {tea.pk: 0, mug.pk: 1}
    listed = client.get("/api/v1/credit-notes/")
    assert_matches(listed, "/api/v1/credit-notes/", "get")
    assert [row["number"] for row in listed.json()["results"]] == [body["number"]]


def test_returns_refuse_with_the_line_named(sale):
    bill, tea, _ = sale
    client = api_client(bill.vendor)
    url = f"{BILLS}{bill.pk}/returns/"
    body = assert_error(client.post(url, {"items": [{"product": tea.pk, "quantity": 4}]}, format="json"), 409, "items")
    assert body["code"] == "return_exceeds_sold"
    assert body["errors"]["items"]["0"]["quantity"] == ["3 of the 3 sold left to return."]
    other = ProductFactory(vendor=bill.vendor)
    assert_error(client.post(url, {"items": [{"product": other.pk, "quantity": 1}]}, format="json"), 400, "items")
    assert_error(client.post(url, {"items": []}, format="json"), 400, "items")
    assert_error(client.post(url, {"items": [{"product": tea.pk, "quantity": "1"}]}, format="json"), 400, "items")
    stranger = api_client(VendorFactory())
    assert stranger.post(url, {"items": [{"product": tea.pk, "quantity": 1}]}, format="json").status_code == 404
    assert stranger.get("/api/v1/credit-notes/").json()["results"] == []


def test_the_credit_note_list_does_not_grow_its_queries_with_its_rows(sale, django_assert_max_num_queries):
    bill, tea, mug = sale
    for _ in range(3):
        make_return(bill, (tea, 1))
    make_return(bill, (mug, 2))
    client = api_client(bill.vendor)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/credit-notes/")
    assert response.json()["count"] == 4


# --- Page and admin ---------------------------------------------------------------------------------


def test_the_bill_page_returns_goods_and_lists_the_credit_notes(client, sale):
    bill, tea, mug = sale
    client.force_login(bill.vendor)
    page = client.get(reverse("billing:bill-detail", args=[bill.pk])).content.decode()
    assert "No returns on this bill." in page
    assert f'name="quantity_{tea.pk}"' in page

    response = client.post(reverse("billing:bill-return", args=[bill.pk]), {f"quantity_{tea.pk}": "5"})
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 3." in response.content.decode()

    response = client.post(
        reverse("billing:bill-return", args=[bill.pk]), {f"quantity_{mug.pk}": "2", "reason": "Too big"}, follow=True
    )
    page = response.content.decode()
    note = CreditNote.objects.get()
    assert f"Credit note {note.number} issued" in page
    assert "2 × Brass mug" in page
    assert "All returned." in page
    download = client.get(reverse("billing:credit-note-pdf", args=[note.pk]))
    assert download["Content-Disposition"].startswith("attachment")


def test_the_admin_shows_credit_notes_read_only(client, sale):
    bill, tea, _ = sale
    note = make_return(bill, (tea, 1))
    client.force_login(AdminFactory())
    page = client.get(reverse("admin:billing_creditnote_change", args=[note.pk]))
    assert page.status_code == 200
    assert note.number in page.content.decode()
    assert client.post(reverse("admin:billing_creditnote_change", args=[note.pk]), {"reason": "x"}).status_code == 403
    assert client.get(reverse("admin:billing_creditnote_delete", args=[note.pk])).status_code == 403
