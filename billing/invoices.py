"""Invoice PDFs, rendered with xhtml2pdf from an HTML template.

A tax invoice carries what rule 46 of the CGST Rules asks: the supplier's name, address and
GSTIN; a number and date; the recipient's name, address and GSTIN when registered; the place of
supply with the state's name and code; per line the HSN code, description, quantity and unit,
taxable value, rate and tax (CGST + SGST, or IGST); the totals, the amount in words, whether tax
is payable on reverse charge, and the signature line. A bill of supply (rule 49) says why no tax
is charged. Credit notes (rule 53) use the same layout.
"""

import base64
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from fontpkg_noto_sans import ROOT as NOTO_SANS_ROOT
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from anwariya.money import currency_symbol
from billing.models import Bill, CreditNote
from billing.tax import ZERO, DocumentType
from billing.words import amount_in_words
from profiles.gst import RegistrationType, state_label, state_tax_name
from profiles.selectors import user_time_zone, vendor_tax_profile

# Noto Sans has the ₹ sign (and most others); it ships as a Python package, so every
# machine that installs the requirements can render invoices the same way.
FONT = Path(NOTO_SANS_ROOT) / "files" / "NotoSans[wdth,wght].ttf"
# The template may read the font and nothing else: no network, no other file.
POLICY = ResourceAccessPolicy(allow_remote=False, base_dir=FONT.parent)


class InvoiceRenderError(Exception):
    pass


TITLES = {
    DocumentType.TAX_INVOICE: "Tax Invoice",
    DocumentType.BILL_OF_SUPPLY: "Bill of Supply",
    DocumentType.INVOICE: "Invoice",
}
DECLARATIONS = {
    RegistrationType.COMPOSITION: "Composition taxable person, not eligible to collect tax on supplies.",
    RegistrationType.UNREGISTERED: "The supplier is not registered under GST; no tax is charged.",
}
LOGO_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclass
class DocumentLine:
    number: int
    description: str
    sku: str
    hsn_code: str
    quantity: int
    unit: str
    unit_price: Decimal
    taxable_value: Decimal
    rate: Decimal | None
    cgst: Decimal
    sgst: Decimal
    igst: Decimal
    tax: Decimal
    total: Decimal


@dataclass
class Document:
    """What a GST document's PDF shows, for an invoice or a credit note alike."""

    title: str
    number: str
    issued_at: object
    currency: str
    supplier_name: str
    supplier_trade_name: str
    supplier_address: str
    supplier_gstin: str
    supplier_state: str
    supplier_email: str
    customer_name: str
    customer_email: str
    customer_address: str
    customer_gstin: str
    place_of_supply: str
    charges_gst: bool
    intra_state: bool
    state_tax: str  # SGST or UTGST
    lines: list[DocumentLine]
    taxable_total: Decimal
    cgst_total: Decimal
    sgst_total: Decimal
    igst_total: Decimal
    tax_total: Decimal
    total: Decimal
    tax_name: str = ""  # a plain invoice's single tax, when it charges one
    declaration: str = ""
    reference: str = ""  # a credit note's invoice
    reason: str = ""
    void: bool = False
    logo: str = ""  # a data: URI
    notes: list[str] = field(default_factory=list)

    @property
    def amount_in_words(self) -> str:
        return amount_in_words(self.total, self.currency)


def _amounts(line):
    """What a document states of a bill line or a credit-note line, in ``gst_document``'s order."""
    return line.taxable_value, line.cgst, line.sgst, line.igst, line.line_tax, line.line_total


def bill_document(bill) -> Document:
    """The tax invoice, bill of supply or invoice of ``bill``, from what the bill stored at the sale."""
    items = list(bill.items.all())
    return gst_document(
        bill,
        title=TITLES[bill.document_type],
        number=bill.number,
        issued_at=bill.created_at,
        rows=[(item, item.quantity, *_amounts(item)) for item in items],
        void=bill.status == Bill.Status.VOID,
    )


def gst_document(bill, *, title, number, issued_at, rows, void=False, reference="", reason="") -> Document:
    """A document of ``bill``'s parties: ``rows`` are ``(bill item, quantity, taxable value, cgst,
    sgst, igst, tax, total)``, the amounts it states for each line."""
    vendor = bill.vendor
    profile = vendor_tax_profile(vendor)
    lines = [
        DocumentLine(
            number=index,
            description=item.product_name,
            sku=item.sku,
            hsn_code=item.hsn_code,
            quantity=quantity,
            unit=item.get_unit_display(),
            unit_price=item.unit_price,
            taxable_value=taxable,
            rate=item.gst_rate,
            cgst=cgst,
            sgst=sgst,
            igst=igst,
            tax=tax,
            total=total,
        )
        for index, (item, quantity, taxable, cgst, sgst, igst, tax, total) in enumerate(rows, start=1)
    ]
    charges_gst = bill.document_type == DocumentType.TAX_INVOICE
    document = Document(
        title=title,
        number=number,
        issued_at=timezone.localtime(issued_at, user_time_zone(vendor)),
        currency=bill.currency,
        supplier_name=bill.supplier_legal_name or vendor.public_name,
        supplier_trade_name=vendor.public_name if vendor.public_name != bill.supplier_legal_name else "",
        supplier_address=bill.supplier_address,
        supplier_gstin=bill.supplier_gstin,
        supplier_state=state_label(bill.supplier_state),
        supplier_email=vendor.email,
        customer_name=bill.customer_name,
        customer_email=bill.customer_email,
        customer_address=bill.customer_address,
        customer_gstin=bill.customer_gstin,
        place_of_supply=state_label(bill.place_of_supply),
        charges_gst=charges_gst,
        intra_state=charges_gst and bill.place_of_supply == bill.supplier_state,
        state_tax=state_tax_name(bill.supplier_state),
        lines=lines,
        taxable_total=sum((line.taxable_value for line in lines), ZERO),
        cgst_total=sum((line.cgst for line in lines), ZERO),
        sgst_total=sum((line.sgst for line in lines), ZERO),
        igst_total=sum((line.igst for line in lines), ZERO),
        tax_total=sum((line.tax for line in lines), ZERO),
        total=sum((line.total for line in lines), ZERO),
        void=void,
        reference=reference,
        reason=reason,
        logo=_logo_data_uri(profile),
    )
    if bill.document_type == DocumentType.BILL_OF_SUPPLY:
        # From the bill, not today's profile: a registered supplier of a bill of supply is on the
        # composition scheme (only registered vendors have a GSTIN).
        registration = RegistrationType.COMPOSITION if bill.supplier_gstin else RegistrationType.UNREGISTERED
        document.declaration = DECLARATIONS[registration]
    if bill.document_type == DocumentType.INVOICE and document.tax_total:
        document.tax_name = settings.INVOICE_TAX_NAME
    return document


def _logo_data_uri(profile) -> str:
    """The vendor's logo inline (PNG or JPEG, as the profile service accepts), or "" without one
    or when its file is gone: the template reads no file and no URL."""
    if not profile.logo:
        return ""
    try:
        with profile.logo.open("rb") as stored:
            content = stored.read()
    except (FileNotFoundError, OSError, ValueError):
        return ""
    kind = next((media for magic, media in LOGO_TYPES.items() if content.startswith(magic)), None)
    return f"data:{kind};base64,{base64.b64encode(content).decode()}" if kind else ""


def document_pdf(document: Document) -> bytes:
    """A document as PDF bytes."""
    html = render_to_string(
        "billing/gst_document_pdf.html",
        {"doc": document, "symbol": currency_symbol(document.currency), "font": FONT},
    )
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8", resource_policy=POLICY)
    if result.err:
        raise InvoiceRenderError(f"xhtml2pdf reported {result.err} error(s) rendering {document.number}")
    return out.getvalue()


def invoice_filename(bill) -> str:
    """The PDF's file name: the number with its slashes as dashes (26-27/000001 → 26-27-000001.pdf)."""
    return f"{bill.number.replace('/', '-')}.pdf"


def invoice_pdf(bill) -> bytes:
    """The invoice of ``bill`` as PDF bytes."""
    return document_pdf(bill_document(bill))


def invoice_pdf_stored(bill) -> bytes:
    """The bill's PDF: rendered and stored the first time, read back afterwards."""
    if bill.invoice_pdf:
        try:
            with bill.invoice_pdf.open("rb") as stored:
                return stored.read()
        except FileNotFoundError:
            pass
    pdf = invoice_pdf(bill)
    bill.invoice_pdf.save(invoice_filename(bill), ContentFile(pdf), save=False)
    Bill.objects.filter(pk=bill.pk).update(invoice_pdf=bill.invoice_pdf.name)
    return pdf


def invoice_response(bill, *, disposition) -> HttpResponse:
    """The invoice PDF as an HTTP answer: ``inline`` to view it, ``attachment`` to download it."""
    response = HttpResponse(invoice_pdf_stored(bill), content_type="application/pdf")
    response["Content-Disposition"] = f'{disposition}; filename="{invoice_filename(bill)}"'
    return response


# --- Credit notes -------------------------------------------------------------------------------


def credit_note_document(credit_note) -> Document:
    """A credit note: the returned lines as the invoice charged them, referring to the invoice."""
    bill = credit_note.bill
    items = list(credit_note.items.select_related("bill_item"))
    issued = timezone.localtime(bill.created_at, user_time_zone(bill.vendor))
    return gst_document(
        bill,
        title="Credit Note",
        number=credit_note.number,
        issued_at=credit_note.created_at,
        rows=[(item.bill_item, item.quantity, *_amounts(item)) for item in items],
        reference=f"Against {TITLES[bill.document_type].lower()} {bill.number} of {dateformat.format(issued, 'j M Y')}",
        reason=f"Goods returned{': ' + credit_note.reason if credit_note.reason else '.'}",
    )


def credit_note_filename(credit_note) -> str:
    return f"{credit_note.number.replace('/', '-')}.pdf"


def credit_note_pdf_stored(credit_note) -> bytes:
    """The credit note's PDF: rendered and stored the first time, read back afterwards."""
    if credit_note.pdf:
        try:
            with credit_note.pdf.open("rb") as stored:
                return stored.read()
        except FileNotFoundError:
            pass
    pdf = document_pdf(credit_note_document(credit_note))
    credit_note.pdf.save(credit_note_filename(credit_note), ContentFile(pdf), save=False)
    CreditNote.objects.filter(pk=credit_note.pk).update(pdf=credit_note.pdf.name)
    return pdf


def credit_note_response(credit_note, *, disposition) -> HttpResponse:
    response = HttpResponse(credit_note_pdf_stored(credit_note), content_type="application/pdf")
    response["Content-Disposition"] = f'{disposition}; filename="{credit_note_filename(credit_note)}"'
    return response
