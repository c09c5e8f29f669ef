"""Importing past sales from a CSV file as a vendor's bills.

Every row is checked before anything is written; a file with any bad row is refused whole,
with each problem and its line. Imported bills are history: they change no stock, take no
invoice number from the gapless sequence and send no email. A bill reference that was
imported before is skipped, so importing the same file twice adds nothing. Lines are priced
as a sale's are (``billing.pricing``); new products and categories are made by catalog.
"""

import io
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction

from anwariya.errors import Conflict, DomainError
from billing.importing.reading import COLUMNS, OPTIONAL_COLUMNS, ImportFailed, Problems, read_sales
from billing.importing.writing import ImportResult, Progress, write_sales

__all__ = [
    "COLUMNS",
    "OPTIONAL_COLUMNS",
    "ImportConflict",
    "ImportFailed",
    "ImportNotAllowed",
    "ImportResult",
    "sales_import",
]


class ImportNotAllowed(DomainError):
    status_code = 403
    code = "permission_denied"
    default_detail = "Only vendors can import sales."


class ImportConflict(Conflict):
    default_detail = "Your catalog or bills changed while importing; nothing was imported. Please try again."


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
    problems = Problems()
    bills = read_sales(rows, vendor, problems)
    try:
        with transaction.atomic():
            result = write_sales(vendor, bills, problems, actor, progress)
            if dry_run:
                transaction.set_rollback(True)
                result.dry_run = True
    except IntegrityError:
        # Another import or a product with the same SKU committed first; its rows are now taken.
        raise ImportConflict() from None
    return result
