"""Reading a sales file: every row parsed and checked on its own, then the lines of each bill
against each other. Nothing is written here; every problem is collected with its file line."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify

from anwariya.errors import DomainError
from anwariya.inputs import text_problem
from campaigns.selectors import referral_for_code
from catalog.models import HSN_CODE_PATTERN, Unit
from catalog.selectors import gst_rates
from catalog.services import MAX_PRICE
from profiles.gst import STATE_NAMES, gstin_compact, gstin_problem
from profiles.selectors import user_time_zone

REQUIRED_COLUMNS = ("date", "bill_ref", "product", "sku", "category", "quantity", "unit_price")
OPTIONAL_COLUMNS = (
    "unit_cost",
    "customer_name",
    "customer_email",
    "referral_code",
    # GST: the line's product (for products the file creates, and the line), and the bill's buyer.
    "hsn_code",
    "gst_rate",
    "unit",
    "customer_gstin",
    "customer_address",
    "place_of_supply",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_IMPORT_QUANTITY = 1_000_000
MAX_REPORTED_PROBLEMS = 1000  # a file that is wrong throughout is not listed to the last cell
CENT = Decimal("0.01")
MAX_ADDRESS_LENGTH = 500
# A unit by its code (KGS) or the name the product form shows (kg).
UNITS = {**{code: code for code in Unit.values}, **{label.upper(): code for code, label in Unit.choices}}


class ImportFailed(DomainError):
    """The file has bad rows; nothing was imported. ``lines`` lists each problem."""

    code = "import_failed"
    default_detail = "The file has errors; nothing was imported."

    def __init__(self, detail=None, *, errors: list[dict]):
        self.lines = errors
        super().__init__(
            detail or _failure_summary(errors),
            errors={"file": [_describe(problem) for problem in errors[:20]]},
            lines=errors,
        )


@dataclass
class SaleRow:
    """One line of the file, as far as it could be read (``bad`` names the fields that could not)."""

    line: int
    bill_ref: str
    created_at: datetime | None = None
    product_name: str = ""
    sku: str = ""
    category_name: str = ""
    quantity: int | None = None
    unit_price: Decimal | None = None
    unit_cost: Decimal | None = None
    customer_name: str = ""
    customer_email: str = ""
    referral: object = None  # campaigns.Application
    hsn_code: str = ""
    gst_rate: object = None  # catalog.GstRate
    unit: str = ""
    customer_gstin: str = ""
    customer_address: str = ""
    place_of_supply: str = ""
    bad: set = field(default_factory=set)  # fields that did not parse
    sku_key: str = ""  # the SKU as the SKU rule folds it (catalog's sku_keys), set before writing


def read_sales(rows, vendor, problems: "Problems") -> dict[str, list[SaleRow]]:
    """The rows grouped by bill reference, in file order, each row and each bill checked; the
    problems found are added to ``problems`` (a missing column is raised at once)."""
    bills = _read(rows, vendor, problems)
    _check_bills(bills, problems)
    return bills


class Problems(list):
    """Every problem found, raised together in file order; the list stops growing past a limit."""

    total = 0

    def add(self, line, field_name, message):
        self.total += 1
        if len(self) < MAX_REPORTED_PROBLEMS:
            self.append({"line": line, "field": field_name, "message": message})

    def raise_if_any(self):
        if self:
            ordered = sorted(self, key=lambda problem: (problem["line"], _field_order(problem["field"])))
            detail = _failure_summary(ordered, self.total)
            raise ImportFailed(detail, errors=ordered)


def _read(rows, vendor, problems) -> dict[str, list[SaleRow]]:
    """Parse and check each row on its own; returns the rows grouped by bill, in file order."""
    records = _records(rows, problems)
    problems.raise_if_any()  # without the right columns no row can be read
    bills: dict[str, list[SaleRow]] = {}
    referrals: dict[str, object] = {}
    rates = {rate.rate: rate for rate in gst_rates()}
    for line, values in records:
        row = _parse_row(line, values, vendor, referrals, problems, rates)
        if row is not None:
            bills.setdefault(row.bill_ref, []).append(row)
    if not bills and not problems:
        problems.add(2, "file", "There are no sales after the header line.")
    return bills


def _records(rows, problems):
    """(line, {column: text}) for each data row; the header is checked first."""
    if isinstance(rows, str):
        rows = io.StringIO(rows)
    if hasattr(rows, "read"):
        return _csv_records(rows, problems)
    return _mapping_records(rows, problems)


def _csv_records(source, problems):
    reader = csv.reader(_text_lines(source))
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as error:
        problems.add(1, "file", _unreadable(error))
        return []
    if header is None:
        problems.add(1, "file", "The file is empty; its first line must name the columns.")
        return []
    columns = [_column(name) for name in header]
    if not _check_header(columns, problems):
        return []
    return _csv_rows(reader, columns, problems)


def _csv_rows(reader, columns, problems):
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (UnicodeDecodeError, csv.Error) as error:
            problems.add(reader.line_num + 1, "file", _unreadable(error))
            return
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns):
            problems.add(reader.line_num, "row", f"Has {len(cells)} cells but the header names {len(columns)}.")
            continue
        yield reader.line_num, dict(zip(columns, cells, strict=False))


def _mapping_records(rows, problems):
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        problems.add(1, "file", "There are no columns and no sales.")
        return []
    columns = {_column(name): name for name in first}
    if not _check_header(list(columns), problems):
        return []

    def records():
        for index, row in enumerate([first, *rows]):
            values = {_column(name): "" if value is None else str(value) for name, value in row.items()}
            if any(value.strip() for value in values.values()):
                yield index + 2, values

    return records()


def _text_lines(source):
    """Lines of text from a text or binary file (a binary one is read as UTF-8)."""
    for number, line in enumerate(source):
        if isinstance(line, bytes):
            line = line.decode("utf-8-sig" if number == 0 else "utf-8")
        yield line


def _column(name) -> str:
    return str(name or "").strip().lstrip("\ufeff").strip().lower()


def _check_header(columns, problems) -> bool:
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    for name in missing:
        problems.add(1, name, f'The column "{name}" is missing. Expected columns: {", ".join(COLUMNS)}.')
    return not missing


def _parse_row(line, values, vendor, referrals, problems, rates) -> SaleRow | None:
    def text(name):
        return (values.get(name) or "").strip()

    def problem(name, message):
        row.bad.add(name)
        problems.add(line, name, message)

    row = SaleRow(line=line, bill_ref=text("bill_ref"))
    unstorable = [(name, message) for name, value in values.items() if (message := text_problem(value))]
    for name, message in unstorable:
        problem(name, message)
    if unstorable:
        return None  # its values must not reach a query (PostgreSQL refuses a NUL with an error)
    if not row.bill_ref:
        problem("bill_ref", "Give the bill reference shared by the lines of one bill.")
    elif len(row.bill_ref) > 64:
        problem("bill_ref", "Must be at most 64 characters.")

    row.created_at = _parse_when(text("date"), lambda message: problem("date", message), user_time_zone(vendor))

    row.product_name = text("product")
    if not row.product_name:
        problem("product", "Give the product's name.")
    elif len(row.product_name) > 200:
        problem("product", "Must be at most 200 characters.")
    row.sku = text("sku")
    if not row.sku:
        problem("sku", "Give the product's SKU.")
    elif len(row.sku) > 64:
        problem("sku", "Must be at most 64 characters.")
    row.category_name = text("category")
    if len(row.category_name) > 100:
        problem("category", "Must be at most 100 characters.")
    elif row.category_name and not slugify(row.category_name):
        problem("category", "Use a name with some Latin letters or digits.")

    quantity = text("quantity")
    if quantity.isdigit() and 0 < int(quantity) <= MAX_IMPORT_QUANTITY:
        row.quantity = int(quantity)
    else:
        problem("quantity", f"Must be a whole number from 1 to {MAX_IMPORT_QUANTITY:,}.")
    row.unit_price = _parse_money(text("unit_price"), lambda message: problem("unit_price", message))
    if row.unit_price is None and "unit_price" not in row.bad:
        problem("unit_price", "Give the price of one unit.")
    row.unit_cost = _parse_money(text("unit_cost"), lambda message: problem("unit_cost", message))

    row.customer_name = text("customer_name")
    if len(row.customer_name) > 200:
        problem("customer_name", "Must be at most 200 characters.")
    row.customer_email = text("customer_email")
    if row.customer_email:
        try:
            validate_email(row.customer_email)
            if len(row.customer_email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            problem("customer_email", "Enter a valid email address, or leave it empty.")

    code = text("referral_code").upper()
    if code:
        if code not in referrals:
            referrals[code] = referral_for_code(vendor=vendor, code=code)
        row.referral = referrals[code]
        if row.referral is None:
            problem("referral_code", f'No accepted influencer of your campaigns has the code "{code}".')
    _parse_gst(row, text, problem, rates)
    return row if row.bill_ref and "bill_ref" not in row.bad else None


def _parse_gst(row, text, problem, rates):
    """The optional GST columns; a rate is one of the managed list, in force or not (history)."""
    row.hsn_code = text("hsn_code")
    if row.hsn_code and not re.fullmatch(HSN_CODE_PATTERN, row.hsn_code):
        problem("hsn_code", "An HSN code has 4, 6 or 8 digits.")
    rate = text("gst_rate").rstrip("%").strip()
    if rate:
        try:
            row.gst_rate = rates.get(Decimal(rate))
        except InvalidOperation:
            row.gst_rate = None
        if row.gst_rate is None:
            known = ", ".join(f"{value.normalize():f}" for value in rates)
            problem("gst_rate", f'"{rate}" is not a GST rate of the list ({known}).')
    unit = text("unit")
    if unit:
        row.unit = UNITS.get(unit.upper(), "")
        if not row.unit:
            problem("unit", f"Give a unit code: {', '.join(Unit.values)}.")
    row.customer_gstin = gstin_compact(text("customer_gstin"))
    if row.customer_gstin and (message := gstin_problem(row.customer_gstin)):
        problem("customer_gstin", message)
    row.customer_address = text("customer_address")
    if len(row.customer_address) > MAX_ADDRESS_LENGTH:
        problem("customer_address", f"Must be at most {MAX_ADDRESS_LENGTH} characters.")
    row.place_of_supply = text("place_of_supply")
    if row.place_of_supply and row.place_of_supply not in STATE_NAMES:
        problem("place_of_supply", "Give the state by its two-digit GST code, such as 27.")


def _parse_when(value, problem, tz) -> datetime | None:
    """A date (midnight in the vendor's zone) or an ISO date-time (the vendor's zone unless it names one)."""
    if not value:
        problem("Give the date of the sale (YYYY-MM-DD).")
        return None
    try:
        when = parse_datetime(value)
        if when is None:
            day = parse_date(value)
            when = datetime.combine(day, time.min) if day else None
    except ValueError:
        problem(f'"{value}" is not a real date.')
        return None
    if when is None:
        problem(f'"{value}" is not a date; use YYYY-MM-DD or an ISO date-time.')
        return None
    if timezone.is_naive(when):
        when = timezone.make_aware(when, tz)
    if when > timezone.now():
        problem(f'"{value}" is in the future; only past sales can be imported.')
        return None
    return when


def _parse_money(value, problem) -> Decimal | None:
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        problem(f'"{value}" is not an amount; write it like 120.50.')
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_PRICE:
        problem(f"Must be an amount from 0 to {MAX_PRICE}.")
        return None
    if amount != amount.quantize(CENT, ROUND_HALF_UP):
        problem("Use at most 2 decimals.")
        return None
    return amount.quantize(CENT)


def _check_bills(bills, problems):
    """The lines of one bill must agree on what belongs to the bill rather than the line."""
    shared = [
        ("date", lambda row: row.created_at, "date"),
        ("customer_name", lambda row: row.customer_name, "customer name"),
        ("customer_email", lambda row: row.customer_email.lower(), "customer email"),
        ("referral_code", lambda row: getattr(row.referral, "pk", None), "referral code"),
        ("customer_gstin", lambda row: row.customer_gstin, "customer GSTIN"),
        ("customer_address", lambda row: row.customer_address, "customer address"),
        ("place_of_supply", lambda row: row.place_of_supply, "place of supply"),
    ]
    for ref, rows in bills.items():
        first = rows[0]
        for row in rows[1:]:
            for name, value, label in shared:
                if name in first.bad or name in row.bad:
                    continue
                if value(row) != value(first):
                    message = f'Bill "{ref}" has another {label} on line {first.line}; give every line the same.'
                    problems.add(row.line, name, message)


# --- Messages ---------------------------------------------------------------------------------


def _describe(problem) -> str:
    return f"line {problem['line']}, {problem['field']}: {problem['message']}"


def _failure_summary(problems, total=None) -> str:
    total = total or len(problems)
    lines = sorted({problem["line"] for problem in problems})
    shown = ", ".join(str(line) for line in lines[:10]) + (", …" if len(lines) > 10 else "")
    plural = "s" if total != 1 else ""
    line_word = "line" if len(lines) == 1 else "lines"
    return f"The file has {total} problem{plural} ({line_word} {shown}); nothing was imported."


def _unreadable(error) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "This is not UTF-8 text; save the file as CSV (UTF-8) and try again."
    return f"This line cannot be read as CSV ({error})."


def _field_order(name) -> int:
    return COLUMNS.index(name) if name in COLUMNS else len(COLUMNS)
