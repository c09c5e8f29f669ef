"""Invoice and credit-note numbers: gapless per vendor, series and financial year.

CGST Rules 46(b) and 53: a consecutive serial number of at most 16 characters (letters, digits,
``-`` and ``/``), unique for a financial year, in one or more series. The financial year runs from
1 April to 31 March in the vendor's time zone (``profiles.selectors.user_time_zone``) and is
named by its two years, ``26-27``. Invoices are numbered ``26-27/000123``, credit notes
``26-27/CN0001``; the vendor's prefix goes in front (``ABC/26-27/000123``) while the number
stays within 16 characters, and is left out of a number it would make longer.

A number is taken inside the transaction that issues the document, from the vendor's counter for
the series and year, locked for the rest of that transaction: two sales wait for each other, and a
sale that fails rolls its number back with it, so none is skipped.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from anwariya.db import can_return_rows_from_update, duplicate_inserts_hold_locks
from billing.models import InvoiceCounter, Series
from profiles.selectors import user_time_zone, vendor_tax_profile

MAX_LENGTH = 16
ALLOWED = re.compile(r"[A-Za-z0-9/-]{1,16}")
FORMATS = {Series.INVOICE: "{year}/{sequence:06d}", Series.CREDIT_NOTE: "{year}/CN{sequence:04d}"}


class NumberingError(Exception):
    """A number would pass 16 characters even without the prefix (more than 10⁹ in a year)."""


@dataclass(frozen=True)
class DocumentNumber:
    series: str
    year: int  # the financial year's first calendar year
    sequence: int
    number: str


def financial_year(when: datetime, vendor) -> int:
    """The financial year ``when`` falls in, in the vendor's zone, by its first calendar year."""
    local = timezone.localtime(when, user_time_zone(vendor))
    return local.year if local.month >= 4 else local.year - 1


def financial_year_label(year: int) -> str:
    """2026 → ``"26-27"``."""
    return f"{year % 100:02d}-{(year + 1) % 100:02d}"


def format_number(*, series: str, year: int, sequence: int, prefix: str = "") -> str:
    body = FORMATS[series].format(year=financial_year_label(year), sequence=sequence)
    with_prefix = f"{prefix}/{body}" if prefix else body
    number = with_prefix if len(with_prefix) <= MAX_LENGTH else body
    if not ALLOWED.fullmatch(number):
        raise NumberingError(f"{number!r} is not a number of at most {MAX_LENGTH} letters, digits, / and -.")
    return number


def document_number_take(*, vendor, series: str, when: datetime, prefix: str | None = None) -> DocumentNumber:
    """The vendor's next number in ``series`` for the financial year of ``when``. Call it inside
    the transaction that creates the document: the counter stays locked until it ends.
    ``prefix``: the vendor's ``invoice_prefix`` when the caller has their profile at hand."""
    year = financial_year(when, vendor)
    sequence = _next_sequence(vendor, series, year)
    if prefix is None:
        prefix = vendor_tax_profile(vendor).invoice_prefix
    number = format_number(series=series, year=year, sequence=sequence, prefix=prefix)
    return DocumentNumber(series=series, year=year, sequence=sequence, number=number)


def _next_sequence(vendor, series, year) -> int:
    """Count the counter up and return its new value, holding its lock from here to the end of
    the transaction. Where the database returns rows from an UPDATE (PostgreSQL, SQLite) that is
    one statement, so the lock is taken and used in one round trip; the first number of a year
    makes the counter first."""
    if can_return_rows_from_update():
        sequence = _increment_returning(vendor, series, year)
        if sequence is not None:
            return sequence
    counter = _locked_counter(vendor, series, year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence


def _increment_returning(vendor, series, year) -> int | None:
    table = InvoiceCounter._meta.db_table
    quote = connection.ops.quote_name
    column = {name: quote(InvoiceCounter._meta.get_field(name).column) for name in ("vendor", "series", "year")}
    last = quote(InvoiceCounter._meta.get_field("last_sequence").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(table)} SET {last} = {last} + 1 "
            f"WHERE {column['vendor']} = %s AND {column['series']} = %s AND {column['year']} = %s RETURNING {last}",
            [vendor.pk, series, year],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _locked_counter(vendor, series, year) -> InvoiceCounter:
    counters = InvoiceCounter.objects.select_for_update()
    if duplicate_inserts_hold_locks():
        _create_or_lock_counter_innodb(vendor, series, year)
        return counters.get(vendor=vendor, series=series, year=year)
    counter = counters.filter(vendor=vendor, series=series, year=year).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():
            InvoiceCounter.objects.create(vendor=vendor, series=series, year=year)
    except IntegrityError:
        pass  # another first document of the year made it; lock theirs
    return counters.get(vendor=vendor, series=series, year=year)


def _create_or_lock_counter_innodb(vendor, series, year):
    """MariaDB/MySQL: make the counter, or lock it exclusively if it exists, in one statement.

    There a refused duplicate insert keeps a shared lock on the row it collided with, and two
    transactions holding one deadlock when both then lock the row to update it (the first
    documents of a year, in parallel). ``ON DUPLICATE KEY UPDATE`` takes the exclusive lock at
    once instead; locking a parent row (the vendor's) would collide with every insert that checks
    a foreign key to it, such as the sale's idempotency key."""
    table = InvoiceCounter._meta.db_table
    quote = connection.ops.quote_name
    columns = [InvoiceCounter._meta.get_field(name).column for name in ("vendor", "series", "year", "last_sequence")]
    last = quote(columns[-1])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} ({', '.join(quote(column) for column in columns)}) "
            f"VALUES (%s, %s, %s, 0) ON DUPLICATE KEY UPDATE {last} = {last}",
            [vendor.pk, series, year],
        )
