"""Invoice PDFs, rendered with xhtml2pdf from an HTML template."""

import io
from pathlib import Path

from django.template.loader import render_to_string
from fontpkg_noto_sans import ROOT as NOTO_SANS_ROOT
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from anwariya.money import currency_symbol

# Noto Sans has the ₹ sign (and most others); it ships as a Python package, so every
# machine that installs the requirements can render invoices the same way.
FONT = Path(NOTO_SANS_ROOT) / "files" / "NotoSans[wdth,wght].ttf"
# The template may read the font and nothing else: no network, no other file.
POLICY = ResourceAccessPolicy(allow_remote=False, base_dir=FONT.parent)


class InvoiceRenderError(Exception):
    pass


def invoice_filename(bill) -> str:
    return f"{bill.number}.pdf"


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
