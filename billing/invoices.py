"""Invoice PDFs, rendered with xhtml2pdf from an HTML template."""

import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.template.loader import render_to_string
from fontpkg_noto_sans import ROOT as NOTO_SANS_ROOT
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from anwariya.money import currency_symbol
from billing.models import Bill

# Noto Sans has the ₹ sign (and most others); it ships as a Python package, so every
# machine that installs the requirements can render invoices the same way.
FONT = Path(NOTO_SANS_ROOT) / "files" / "NotoSans[wdth,wght].ttf"
# The template may read the font and nothing else: no network, no other file.
POLICY = ResourceAccessPolicy(allow_remote=False, base_dir=FONT.parent)


class InvoiceRenderError(Exception):
    pass


def invoice_filename(bill) -> str:
    """The PDF's file name: the number with its slashes as dashes (26-27/000001 → 26-27-000001.pdf)."""
    return f"{bill.number.replace('/', '-')}.pdf"


def invoice_pdf(bill) -> bytes:
    """The invoice of ``bill`` as PDF bytes."""
    html = render_to_string(
        "billing/invoice_pdf.html",
        {"bill": bill, "items": list(bill.items.all()), "symbol": currency_symbol(bill.currency), "font": FONT},
    )
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8", resource_policy=POLICY)
    if result.err:
        raise InvoiceRenderError(f"xhtml2pdf reported {result.err} error(s) rendering {bill.number}")
    return out.getvalue()


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
