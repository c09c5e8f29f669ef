"""The invoice PDF: every particular rule 46 of the CGST Rules asks of a tax invoice, the bill of
supply's declaration, the plain invoice; rendered to a picture to look at (A4, phone-readable)."""

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from PIL import Image
from pypdf import PdfReader

from accounts.tests.factories import VendorFactory
from billing.invoices import credit_note_pdf_stored, invoice_pdf
from billing.tests.factories import gst_product, make_bill, make_return
from profiles import services as profile_services
from profiles.tests.factories import GSTIN_KARNATAKA_BUYER, GSTIN_MAHARASHTRA, gst_vendor
from profiles.tests.test_gst import picture

pytestmark = pytest.mark.django_db

A4_RATIO = 297 / 210


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def rasterised(content: bytes, path) -> Image.Image:
    """The first page as a picture (pdftoppm, from Debian's poppler-utils), saved at ``path``."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("needs pdftoppm (apt-get install poppler-utils) to render the PDF as a picture")
    pdf = path.with_suffix(".pdf")
    pdf.write_bytes(content)
    command = ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", pdf, path.with_suffix("")]
    subprocess.run(command, check=True, timeout=60)
    return Image.open(path)


def ink_share(image: Image.Image) -> float:
    """How much of the page is printed on (not white): an empty or broken render is near 0."""
    grey = image.convert("L")
    dark = sum(count for level, count in enumerate(grey.histogram()) if level < 200)
    return dark / (grey.width * grey.height)


@pytest.fixture
def vendor():
    vendor = gst_vendor(business_name="Chai & Co", legal_name="Chai and Company LLP")
    profile_services.vendor_profile_update(user=vendor, logo=picture())
    return vendor


def test_a_tax_invoice_within_the_state_carries_every_rule_46_particular(vendor, tmp_path):
    tea = gst_product(vendor, 5, price="250.00", name="Assam Gold tea", hsn_code="09023010", unit="KGS")
    mug = gst_product(vendor, 18, price="100000.00", name="Brass mug", hsn_code="7418")
    bill = make_bill(vendor, (tea, 2), (mug, 1), customer_name="Meera Iyer", customer_address="5 MG Road, Pune")

    content = invoice_pdf(bill)
    text = pdf_text(content)
    for particular in [
        "Tax Invoice",
        "Chai and Company LLP",  # the supplier's legal name
        "Trading as Chai & Co",
        "12 Tilak Road, Pune 411002",
        f"GSTIN: {GSTIN_MAHARASHTRA}",
        bill.number,
        "Meera Iyer",
        "5 MG Road, Pune",
        "Place of supply",
        "Maharashtra (27)",
        "09023010",  # HSN
        "Assam Gold tea",
        "2 kg",  # quantity and unit
        "₹500.00",  # taxable value
        "CGST",
        "SGST",
        "₹12.50",  # CGST of the tea line
        "₹9,000.00",  # CGST of the mug line: 9 % of 1,00,000.00
        "₹1,18,525.00",  # the total, grouped in lakhs
        "Reverse charge",
        "Authorised signatory",
        "Rupees One Lakh, Eighteen Thousand, Five Hundred And Twenty-Five Only",  # 1,18,525.00
    ]:
        assert particular in text, particular
    assert "IGST" not in text
    assert bill.total == Decimal("118525.00")

    image = rasterised(content, tmp_path / "tax-invoice-intra.png")
    assert abs(image.height / image.width - A4_RATIO) < 0.01
    assert ink_share(image) > 0.02


def test_a_tax_invoice_to_a_business_in_another_state_shows_igst_and_the_buyers_gstin(vendor, tmp_path):
    tea = gst_product(vendor, 18, price="1000.00", name="Nilgiri tea")
    bill = make_bill(
        vendor, (tea, 3), customer_name="Kaveri Traders", customer_gstin=GSTIN_KARNATAKA_BUYER,
        customer_address="14 Residency Road, Bengaluru",
    )  # fmt: skip
    content = invoice_pdf(bill)
    text = pdf_text(content)
    for particular in [f"GSTIN: {GSTIN_KARNATAKA_BUYER}", "Karnataka (29)", "IGST", "₹540.00", "₹3,540.00"]:
        assert particular in text, particular
    assert "CGST" not in text
    assert "Rupees Three Thousand, Five Hundred And Forty Only" in text
    rasterised(content, tmp_path / "tax-invoice-inter.png")


def test_a_bill_of_supply_declares_why_no_tax_is_charged(tmp_path):
    vendor = gst_vendor(registration_type="composition")
    tea = gst_product(vendor, 5, price="99.50")
    content = invoice_pdf(make_bill(vendor, (tea, 2)))
    text = pdf_text(content)
    assert "Bill of Supply" in text
    assert "Composition taxable person, not eligible to collect tax on supplies." in text
    assert "CGST" not in text
    assert "Rupees One Hundred And Ninety-Nine Only" in text
    rasterised(content, tmp_path / "bill-of-supply.png")


def test_an_unregistered_vendors_document_says_it_charges_no_tax():
    vendor = VendorFactory(business_name="Small Batch")
    tea = gst_product(vendor, 5, price="10.00")
    text = pdf_text(invoice_pdf(make_bill(vendor, (tea, 1))))
    assert "Bill of Supply" in text
    assert "not registered under GST" in text


def test_outside_india_the_invoice_names_its_single_tax(settings, tmp_path):
    settings.CURRENCY, settings.INVOICE_TAX_RATE, settings.INVOICE_TAX_NAME = "EUR", "20", "VAT"
    vendor = VendorFactory(business_name="Berlin Tea")
    tea = gst_product(vendor, 5, price="10.00")
    text = pdf_text(invoice_pdf(make_bill(vendor, (tea, 3))))
    assert "Invoice" in text
    assert "Tax Invoice" not in text
    assert "VAT" in text
    assert "€36.00" in text
    assert "Euros Thirty-Six Only" in text


def test_a_credit_note_refers_to_its_invoice_and_reverses_the_tax(vendor, tmp_path):
    tea = gst_product(vendor, 5, price="250.00", name="Assam Gold tea", hsn_code="09023010", unit="KGS")
    bill = make_bill(vendor, (tea, 4), customer_name="Kaveri Traders", customer_gstin=GSTIN_KARNATAKA_BUYER)
    note = make_return(bill, (tea, 1), reason="Seal broken")
    content = credit_note_pdf_stored(note)
    text = pdf_text(content)
    for particular in ["Credit Note", note.number, f"Against tax invoice {bill.number}", "Seal broken",
                       f"GSTIN: {GSTIN_KARNATAKA_BUYER}", "IGST", "₹12.50", "₹262.50", "Rupees Two Hundred And",
                       "Authorised signatory"]:  # fmt: skip
        assert particular in text, particular
    image = rasterised(content, tmp_path / "credit-note.png")
    assert ink_share(image) > 0.02
