"""Importing past sales from a CSV file as a vendor's bills.

Every row is checked before anything is written; a file with any bad row is refused whole,
with each problem and its line. Imported bills are history: they change no stock, take no
invoice number from the gapless sequence and send no email. A bill reference that was
imported before is skipped, so importing the same file twice adds nothing.
"""

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify

from anwariya.errors import Conflict, DomainError
from anwariya.inputs import text_problem
from billing.models import Bill, BillItem
from billing.services import MAX_TOTAL
from campaigns.selectors import referral_for_code
from catalog.models import Category, Product
from catalog.services import MAX_PRICE
from profiles.selectors import user_time_zone

REQUIRED_COLUMNS = ("date", "bill_ref", "product", "sku", "category", "quantity", "unit_price")
OPTIONAL_COLUMNS = ("unit_cost", "customer_name", "customer_email", "referral_code")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_IMPORT_QUANTITY = 1_000_000
MAX_REPORTED_PROBLEMS = 1000  # a file that is wrong throughout is not listed to the last cell
BATCH_SIZE = 500
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

Progress = Callable[[int, int], None]


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


class ImportNotAllowed(DomainError):
    status_code = 403
    code = "permission_denied"
    default_detail = "Only vendors can import sales."


class ImportConflict(Conflict):
    default_detail = "Your catalog or bills changed while importing; nothing was imported. Please try again."


@dataclass
class ImportResult:
    """What an import did. ``lines`` counts the bill lines written (none for skipped bills)."""

    created_bills: int = 0
    skipped_bills: int = 0
    created_products: int = 0
    created_categories: int = 0
    lines: int = 0
    dry_run: bool = False


@dataclass
class _Row:
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
    bad: set = field(default_factory=set)  # fields that did not parse

    @property
    def sku_key(self):
        return self.sku.lower()


def sales_import(
    *,
    vendor,
    rows: Iterable[Mapping] | io.IOBase | str,
    actor=None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import the sales in ``rows`` as ``vendor``'s bills, all or nothing.

    ``rows`` is a CSV file (text or bytes, opened or uploaded; UTF-8 with or without BOM),
    its text, or dicts keyed by column. Lines sharing a ``bill_ref`` form one bill. Unknown
    categories (by slug) and products (by SKU) are created, products with no stock and no
    stock movement. Any bad row raises ``ImportFailed`` listing every problem with its
    file line (the header is line 1), and nothing is written. ``progress(done, total)`` is
    called for each bill handled. With ``dry_run`` the counts are computed and rolled back.
    """
    if not getattr(vendor, "is_vendor", False):
        raise ImportNotAllowed()
    problems = _Problems()
    bills = _read(rows, vendor, problems)
    _check_bills(bills, problems)
    try:
        with transaction.atomic():
            result = _import(vendor, bills, problems, actor, progress)
            if dry_run:
                transaction.set_rollback(True)
                result.dry_run = True
    except IntegrityError:
        # Another import or a product with the same SKU committed first; its rows are now taken.
        raise ImportConflict() from None
    return result


# --- Reading and checking ---------------------------------------------------------------------


class _Problems(list):
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


def _read(rows, vendor, problems) -> dict[str, list[_Row]]:
    """Parse and check each row on its own; returns the rows grouped by bill, in file order."""
    records = _records(rows, problems)
    problems.raise_if_any()  # without the right columns no row can be read
    bills: dict[str, list[_Row]] = {}
    referrals: dict[str, object] = {}
    for line, values in records:
        row = _parse_row(line, values, vendor, referrals, problems)
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


def _parse_row(line, values, vendor, referrals, problems) -> _Row | None:
    def text(name):
        return (values.get(name) or "").strip()

    def problem(name, message):
        row.bad.add(name)
        problems.add(line, name, message)

    row = _Row(line=line, bill_ref=text("bill_ref"))
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
    return row if row.bill_ref and "bill_ref" not in row.bad else None


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


# --- Writing ----------------------------------------------------------------------------------


def _import(vendor, bills, problems, actor, progress) -> ImportResult:
    result = ImportResult()
    total, done = len(bills), 0
    skipped = _imported_refs(vendor, list(bills)) if bills else set()
    new_bills = {ref: rows for ref, rows in bills.items() if ref not in skipped}
    products, new_categories = _products(vendor, new_bills)
    _check_totals(new_bills, products, problems)
    problems.raise_if_any()

    for _ in skipped:
        done += 1
        result.skipped_bills += 1
        if progress:
            progress(done, total)

    result.created_categories = _save_products(products, new_categories, actor)
    result.created_products = len(new_categories)

    refs = list(new_bills)
    for start in range(0, len(refs), BATCH_SIZE):
        batch = [(ref, new_bills[ref]) for ref in refs[start : start + BATCH_SIZE]]
        saved = [_bill(vendor, ref, rows, products, actor) for ref, rows in batch]
        _insert(Bill, [bill for bill, _ in saved])
        items = [item for bill, bill_items in saved for item in bill_items]
        for bill, bill_items in saved:
            for item in bill_items:
                item.bill = bill
        BillItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
        result.created_bills += len(saved)
        result.lines += len(items)
        for _ in saved:
            done += 1
            if progress:
                progress(done, total)
    return result


def _imported_refs(vendor, refs) -> set[str]:
    found = set()
    for start in range(0, len(refs), BATCH_SIZE):
        found.update(
            Bill.objects.filter(
                vendor=vendor, is_imported=True, import_ref__in=refs[start : start + BATCH_SIZE]
            ).values_list("import_ref", flat=True)
        )
    return found


def _products(vendor, bills) -> tuple[dict[str, Product], dict[str, str]]:
    """The vendor's products by lower-cased SKU, the new ones still unsaved; and the category
    name each new product takes from the file (the first line of it that names one)."""
    rows = [row for bill_rows in bills.values() for row in bill_rows]
    keys = list(dict.fromkeys(row.sku_key for row in rows))
    products: dict[str, Product] = {}
    for start in range(0, len(keys), BATCH_SIZE):
        found = (
            Product.objects.filter(vendor=vendor)
            .annotate(sku_key=Lower("sku"))
            .filter(sku_key__in=keys[start : start + BATCH_SIZE])
            .order_by("pk")
        )
        for product in found:
            products.setdefault(product.sku_key, product)
    new_categories: dict[str, str] = {}
    for row in rows:
        product = products.get(row.sku_key)
        if product is None:
            product = Product(
                vendor=vendor,
                name=row.product_name,
                sku=row.sku,
                cost_price=row.unit_cost,
                sale_price=row.unit_price,
                quantity=0,
                is_active=True,
            )
            products[row.sku_key] = product
            new_categories[row.sku_key] = row.category_name
        elif product.pk is None:  # new in this file: a later line may fill in what the first left empty
            if product.cost_price is None:
                product.cost_price = row.unit_cost
            new_categories[row.sku_key] = new_categories[row.sku_key] or row.category_name
    for key in new_categories:
        if products[key].cost_price is None:
            products[key].cost_price = ZERO
    return products, new_categories


def _check_totals(bills, products, problems):
    """Refuse amounts too large to record (Bill and BillItem hold 14 digits) before writing."""
    for ref, rows in bills.items():
        total = cost = ZERO
        line_too_large = False
        for row in rows:
            if row.quantity is None or row.unit_price is None:
                continue
            line_total = row.unit_price * row.quantity
            line_cost = _unit_cost(row, products) * row.quantity
            if line_total > MAX_TOTAL or line_cost > MAX_TOTAL:
                problems.add(row.line, "quantity", f"This line comes to more than {MAX_TOTAL:,}.")
                line_too_large = True
            total += line_total
            cost += line_cost
        if not line_too_large and (total > MAX_TOTAL or cost > MAX_TOTAL):
            problems.add(rows[0].line, "bill_ref", f'Bill "{ref}" comes to more than {MAX_TOTAL:,}; split it.')


def _unit_cost(row, products) -> Decimal:
    """The row's cost, else the product's (an empty cost on every line of a new product is 0)."""
    if row.unit_cost is not None:
        return row.unit_cost
    return products[row.sku_key].cost_price or ZERO


def _save_products(products, new_categories, actor) -> int:
    """Create the new products (no stock, so no movement) and the categories they name."""
    slugs = {}
    for name in new_categories.values():
        if name:
            slugs.setdefault(slugify(name), name)
    categories = {category.slug: category for category in Category.objects.filter(slug__in=list(slugs))}
    created = 0
    for slug, name in slugs.items():
        if slug not in categories:
            categories[slug] = Category.objects.create(name=name, slug=slug, created_by=actor)
            created += 1
    new_products = []
    for key, name in new_categories.items():
        product = products[key]
        product.category = categories[slugify(name)] if name else None
        new_products.append(product)
    _insert(Product, new_products)
    return created


def _bill(vendor, ref, rows, products, actor) -> tuple[Bill, list[BillItem]]:
    first = rows[0]
    items = []
    for row in rows:
        product = products[row.sku_key]
        unit_cost = _unit_cost(row, products)
        line_total = (row.unit_price * row.quantity).quantize(CENT, ROUND_HALF_UP)
        line_cost = (unit_cost * row.quantity).quantize(CENT, ROUND_HALF_UP)
        items.append(
            BillItem(
                product=product,
                product_name=row.product_name,
                sku=product.sku,
                quantity=row.quantity,
                unit_price=row.unit_price,
                unit_cost=unit_cost,
                line_total=line_total,
                line_cost=line_cost,
                line_profit=line_total - line_cost,
            )
        )
    total = sum((item.line_total for item in items), ZERO)
    cost = sum((item.line_cost for item in items), ZERO)
    bill = Bill(
        vendor=vendor,
        number=f"IMP-{ref}",
        year=timezone.localtime(first.created_at).year,
        sequence=None,
        is_imported=True,
        import_ref=ref,
        customer_name=first.customer_name,
        customer_email=first.customer_email,
        referral_code=first.referral.referral_code if first.referral else "",
        referral=first.referral,
        status=Bill.Status.PAID,
        currency=settings.CURRENCY,
        total=total,
        cost=cost,
        profit=total - cost,
        created_by=actor,
        created_at=first.created_at,
        email_status=Bill.EmailStatus.NOT_SENT,
    )
    return bill, items


def _insert(model, objects):
    """Insert in bulk when the database hands back the new keys (SQLite 3.35+, PostgreSQL)."""
    if connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    else:  # pragma: no cover - other databases
        for obj in objects:
            obj.save(force_insert=True)


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
