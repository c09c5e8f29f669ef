"""The monthly GST summary: a vendor's outward supplies laid out like the tables of GSTR-1, so an
accountant can file from it. Reads only; every table is an aggregate computed by the database.

- ``by_rate``: taxable value and tax by rate and by tax type (intra-state CGST + SGST, inter-state
  IGST), with nil-rated supplies at 0 % (tables 4-8 in total).
- ``b2b`` (table 4A): supplies to registered buyers, per GSTIN and rate.
- ``b2cl`` (table 5): inter-state invoices to unregistered buyers above ₹1,00,000 (rule 59(4) since
  1 August 2024), per invoice and rate.
- ``b2cs`` (table 7): the other supplies to unregistered buyers, per place of supply, tax type and
  rate, net of the credit notes issued for them.
- ``credit_notes`` (table 9B): per credit note and rate, ``cdnr`` for registered buyers, ``cdnur``
  for B2CL invoices; those of other B2C sales are netted into ``b2cs`` and listed as ``b2cs``.
- ``hsn`` (table 12): per HSN code, unit and rate, B2B and B2C apart, net of the month's credit notes.
- ``documents`` (table 13): the invoice and credit-note numbers issued, and how many were cancelled.

Only tax invoices are GSTR-1 supplies; a month's bills of supply (composition and unregistered
vendors) are totalled apart. Void invoices are left out of the supplies and counted as cancelled.
Dates are the vendor's (``profiles.selectors.user_time_zone``).
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, CharField, Count, DecimalField, F, Max, Min, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from billing.models import Bill, BillItem, CreditNote, CreditNoteItem
from billing.tax import CENT, ZERO, DocumentType
from profiles.gst import state_label
from profiles.selectors import user_time_zone

B2CL_ABOVE = Decimal(100_000)
AMOUNTS = ("taxable_value", "cgst", "sgst", "igst")
TABLE_NAMES = {
    "by_rate": "Outward supplies by rate and tax type",
    "b2b": "4A B2B: supplies to registered persons",
    "b2cl": "5 B2C (large): inter-state invoices to unregistered persons above ₹1,00,000",
    "b2cs": "7 B2C (others), net of credit notes",
    "credit_notes": "9B Credit notes (CDNR registered, CDNUR B2C large; B2CS netted into table 7)",
    "hsn": "12 HSN-wise summary, net of credit notes",
    "documents": "13 Documents issued",
}


def month_bounds(vendor, month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instant of ``month`` and of the next, in the vendor's zone."""
    tz = user_time_zone(vendor)
    start = datetime.datetime(month.year, month.month, 1, tzinfo=tz)
    following = datetime.datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=tz)
    return start, following


def _money(expression):
    return Coalesce(Sum(expression), Value(ZERO), output_field=DecimalField(max_digits=16, decimal_places=2))


def _supply_type(prefix):
    """``intra`` when the place of supply is the supplier's state (CGST + SGST), else ``inter``."""
    return Case(
        When(**{f"{prefix}place_of_supply": F(f"{prefix}supplier_state")}, then=Value("intra")),
        default=Value("inter"),
        output_field=CharField(),
    )


def _b2cl_q(prefix) -> Q:
    """An inter-state invoice to an unregistered buyer above the B2CL limit."""
    return Q(**{f"{prefix}customer_gstin": "", f"{prefix}total__gt": B2CL_ABOVE}) & ~Q(
        **{f"{prefix}place_of_supply": F(f"{prefix}supplier_state")}
    )


def _sums(prefix=""):
    return {name: _money(f"{prefix}{name}") for name in (*AMOUNTS, "line_total")}


def gst_summary(vendor, month: datetime.date) -> dict:
    start, end = month_bounds(vendor, month)
    issued = Bill.objects.filter(vendor=vendor, created_at__gte=start, created_at__lt=end)
    invoices = issued.filter(document_type=DocumentType.TAX_INVOICE)
    supplied = invoices.exclude(status=Bill.Status.VOID)
    lines = BillItem.objects.filter(bill__in=supplied)
    notes = CreditNote.objects.filter(
        vendor=vendor, created_at__gte=start, created_at__lt=end, bill__document_type=DocumentType.TAX_INVOICE
    )
    returned = CreditNoteItem.objects.filter(credit_note__in=notes)

    by_rate = list(
        lines.annotate(supply_type=_supply_type("bill__"))
        .values("gst_rate", "supply_type")
        .annotate(invoices=Count("bill", distinct=True), **_sums())
        .order_by("gst_rate", "supply_type")
    )
    b2b = list(
        lines.exclude(bill__customer_gstin="")
        .values(gstin=F("bill__customer_gstin"), place=F("bill__place_of_supply"), rate=F("gst_rate"))
        .annotate(invoices=Count("bill", distinct=True), **_sums())
        .order_by("gstin", "rate")
    )
    b2cl = list(
        lines.filter(_b2cl_q("bill__"))
        .values(
            number=F("bill__number"),
            issued_at=F("bill__created_at"),
            invoice_value=F("bill__total"),
            place=F("bill__place_of_supply"),
            rate=F("gst_rate"),
        )
        .annotate(**_sums())
        .order_by("issued_at", "number", "rate")
    )
    b2cs_keys = {"place": F("bill__place_of_supply"), "supply_type": _supply_type("bill__"), "rate": F("gst_rate")}
    b2cs_sold = lines.filter(bill__customer_gstin="").exclude(_b2cl_q("bill__")).values(**b2cs_keys).annotate(**_sums())
    b2cs_returned = (
        returned.filter(credit_note__bill__customer_gstin="")
        .exclude(_b2cl_q("credit_note__bill__"))
        .values(
            place=F("credit_note__bill__place_of_supply"),
            supply_type=_supply_type("credit_note__bill__"),
            rate=F("bill_item__gst_rate"),
        )
        .annotate(**_sums())
    )
    credit_notes = list(
        returned.annotate(
            note_type=Case(
                When(~Q(credit_note__bill__customer_gstin=""), then=Value("cdnr")),
                When(_b2cl_q("credit_note__bill__"), then=Value("cdnur")),
                default=Value("b2cs"),
                output_field=CharField(),
            )
        )
        .values(
            "note_type",
            number=F("credit_note__number"),
            issued_at=F("credit_note__created_at"),
            invoice=F("credit_note__bill__number"),
            invoice_issued_at=F("credit_note__bill__created_at"),
            gstin=F("credit_note__bill__customer_gstin"),
            place=F("credit_note__bill__place_of_supply"),
            rate=F("bill_item__gst_rate"),
        )
        .annotate(**_sums())
        .order_by("issued_at", "number", "rate")
    )
    hsn_sold = lines.values(
        "hsn_code",
        "unit",
        kind=Case(When(bill__customer_gstin="", then=Value("b2c")), default=Value("b2b"), output_field=CharField()),
        rate=F("gst_rate"),
    ).annotate(quantity=Sum("quantity"), **_sums())
    hsn_returned = returned.values(
        kind=Case(
            When(credit_note__bill__customer_gstin="", then=Value("b2c")),
            default=Value("b2b"),
            output_field=CharField(),
        ),
        hsn_code=F("bill_item__hsn_code"),
        unit=F("bill_item__unit"),
        rate=F("bill_item__gst_rate"),
    ).annotate(quantity=Sum("quantity"), **_sums())

    summary = {
        "month": f"{month:%Y-%m}",
        "by_rate": by_rate,
        "b2b": b2b,
        "b2cl": b2cl,
        "b2cs": _net(b2cs_sold, b2cs_returned, ("place", "supply_type", "rate")),
        "credit_notes": credit_notes,
        "hsn": _net(hsn_sold, hsn_returned, ("kind", "hsn_code", "unit", "rate"), counted=("quantity",)),
        "documents": _documents(invoices, notes),
        "bills_of_supply": issued.filter(document_type=DocumentType.BILL_OF_SUPPLY)
        .exclude(status=Bill.Status.VOID)
        .aggregate(count=Count("pk"), value=_money("total")),
    }
    for table in ("by_rate", "b2b", "b2cl", "b2cs", "credit_notes", "hsn"):
        for row in summary[table]:
            _in_paise(row)
            if "place" in row:
                row["place_name"] = state_label(row["place"])
    _in_paise(summary["bills_of_supply"])
    summary["totals"] = _totals(summary["by_rate"], summary["credit_notes"])
    return summary


def _in_paise(row):
    """Sums as amounts of two decimals (SQLite's come back as they add up: 5000, not 5000.00)."""
    for name, value in row.items():
        if isinstance(value, Decimal) and name not in ("gst_rate", "rate"):
            row[name] = value.quantize(CENT)


def _net(sold, returned, keys, counted=()) -> list[dict]:
    """Rows of ``sold`` less the matching rows of ``returned`` (both aggregated in SQL)."""
    rows: dict[tuple, dict] = {}
    for row in sold:
        rows[tuple(row[key] for key in keys)] = dict(row)
    for row in returned:
        key = tuple(row[name] for name in keys)
        net = rows.setdefault(key, {**dict.fromkeys([*AMOUNTS, "line_total"], ZERO), **dict.fromkeys(counted, 0)})
        net.update({name: row[name] for name in keys})
        for name in (*AMOUNTS, "line_total", *counted):
            net[name] -= row[name] or 0
    return [rows[key] for key in sorted(rows, key=lambda key: tuple("" if part is None else str(part) for part in key))]


def _documents(invoices, notes) -> list[dict]:
    documents = []
    spans = [
        ("invoices", invoices.exclude(sequence=None), Q(status=Bill.Status.VOID)),
        ("credit_notes", notes, Q(pk__in=[])),  # a credit note is never cancelled
    ]
    for kind, queryset, cancelled in spans:
        span = queryset.aggregate(
            first=Min("sequence"), last=Max("sequence"), count=Count("pk"), cancelled=Count("pk", filter=cancelled)
        )
        numbers = dict(queryset.filter(sequence__in=[span["first"], span["last"]]).values_list("sequence", "number"))
        documents.append(
            {
                "kind": kind,
                "first": numbers.get(span["first"], ""),
                "last": numbers.get(span["last"], ""),
                "count": span["count"],
                "cancelled": span["cancelled"] or 0,
            }
        )
    return documents


def _totals(by_rate, credit_notes) -> dict:
    totals = defaultdict(lambda: ZERO)
    for row in by_rate:
        for name in (*AMOUNTS, "line_total"):
            totals[name] += row[name]
    for row in credit_notes:
        for name in (*AMOUNTS, "line_total"):
            totals[f"credited_{name}"] += row[name]
    result = {
        "taxable_value": totals["taxable_value"],
        "cgst": totals["cgst"],
        "sgst": totals["sgst"],
        "igst": totals["igst"],
        "tax": totals["cgst"] + totals["sgst"] + totals["igst"],
        "invoice_value": totals["line_total"],
        "credited_taxable_value": totals["credited_taxable_value"],
        "credited_tax": totals["credited_cgst"] + totals["credited_sgst"] + totals["credited_igst"],
        "credited_value": totals["credited_line_total"],
    }
    result["net_taxable_value"] = result["taxable_value"] - result["credited_taxable_value"]
    result["net_tax"] = result["tax"] - result["credited_tax"]
    return result


CSV_COLUMNS = [
    "table",
    "type",
    "gstin",
    "place_of_supply",
    "document",
    "date",
    "invoice",
    "hsn_code",
    "unit",
    "rate",
    "documents",
    "cancelled",
    "quantity",
    "taxable_value",
    "cgst",
    "sgst",
    "igst",
    "value",
]


def gst_summary_csv_rows(summary, tz):
    """The summary as rows of ``CSV_COLUMNS``, table by table (one file an accountant can sort)."""

    def day(when):
        return when.astimezone(tz).date().isoformat() if when else ""

    def row_of(table, source=None, **cells):
        if source is not None:
            cells.update(
                taxable_value=source["taxable_value"],
                cgst=source["cgst"],
                sgst=source["sgst"],
                igst=source["igst"],
                value=source["line_total"],
            )
        cells["table"] = table
        return [cells.get(column, "") for column in CSV_COLUMNS]

    for row in summary["by_rate"]:
        yield row_of("by_rate", row, type=row["supply_type"], rate=row["gst_rate"], documents=row["invoices"])
    for row in summary["b2b"]:
        yield row_of("b2b", row, gstin=row["gstin"], place_of_supply=row["place"], rate=row["rate"],
                     documents=row["invoices"])  # fmt: skip
    for row in summary["b2cl"]:
        yield row_of("b2cl", row, place_of_supply=row["place"], document=row["number"], date=day(row["issued_at"]),
                     rate=row["rate"], documents=1)  # fmt: skip
    for row in summary["b2cs"]:
        yield row_of("b2cs", row, type=row["supply_type"], place_of_supply=row["place"], rate=row["rate"])
    for row in summary["credit_notes"]:
        yield row_of("credit_notes", row, type=row["note_type"], gstin=row["gstin"], place_of_supply=row["place"],
                     document=row["number"], date=day(row["issued_at"]), invoice=row["invoice"], rate=row["rate"],
                     documents=1)  # fmt: skip
    for row in summary["hsn"]:
        yield row_of("hsn", row, type=row["kind"], hsn_code=row["hsn_code"], unit=row["unit"], rate=row["rate"],
                     quantity=row["quantity"])  # fmt: skip
    for row in summary["documents"]:
        span = f"{row['first']} to {row['last']}" if row["count"] else ""
        yield row_of("documents", type=row["kind"], document=span, documents=row["count"], cancelled=row["cancelled"])
