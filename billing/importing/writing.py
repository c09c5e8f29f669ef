"""Writing a checked sales file: the bills and their lines, priced as a sale is priced, and the
products and categories the file names that the vendor does not have yet (through catalog)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from anwariya.db import unique_rule_lock
from billing.importing.reading import Problems, SaleRow
from billing.models import Bill, BillItem, Series
from billing.pricing import MAX_TOTAL, ZERO, amounts, bill_totals, line_amounts, priced_line
from billing.services import Customer, bill_gst_fields
from billing.tax import default_place_of_supply, line_tax, tax_regime
from catalog.models import sku_keys
from catalog.selectors import gst_rates, products_by_sku
from catalog.services import categories_for_names, category_slug, products_create_unstocked
from profiles.selectors import vendor_tax_profile

BATCH_SIZE = 500

Progress = Callable[[int, int], None]


@dataclass
class ImportResult:
    """What an import did. ``lines`` counts the bill lines written (none for skipped bills)."""

    created_bills: int = 0
    skipped_bills: int = 0
    created_products: int = 0
    created_categories: int = 0
    lines: int = 0
    dry_run: bool = False


def write_sales(vendor, bills: dict[str, list[SaleRow]], problems: Problems, actor, progress) -> ImportResult:
    """Write the bills not imported before, or raise every problem (those found reading, and
    amounts too large to record) before anything is written."""
    result = ImportResult()
    total, done = len(bills), 0
    # Where the database has no index for the conditional bill_import_ref_unique_per_vendor
    # (MariaDB, MySQL), the vendor's imports take turns, so the next one skips what this one wrote.
    unique_rule_lock(Bill, "bill_import_ref_unique_per_vendor", vendor.pk)
    skipped = _imported_refs(vendor, list(bills)) if bills else set()
    new_bills = {ref: rows for ref, rows in bills.items() if ref not in skipped}
    catalog = _Catalog(vendor, new_bills)
    taxes = _Taxes(vendor)
    _check_amounts(new_bills, catalog, taxes, problems)
    problems.raise_if_any()

    for _ in skipped:
        done += 1
        result.skipped_bills += 1
        if progress:
            progress(done, total)

    result.created_products, result.created_categories = catalog.create_missing(actor)

    refs = list(new_bills)
    for start in range(0, len(refs), BATCH_SIZE):
        batch = [(ref, new_bills[ref]) for ref in refs[start : start + BATCH_SIZE]]
        saved = [_bill(vendor, ref, rows, catalog, taxes, actor) for ref, rows in batch]
        _insert(Bill, [bill for bill, _ in saved])
        items = []
        for bill, bill_items in saved:
            for item in bill_items:
                item.bill = bill
                items.append(item)
        BillItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
        result.created_bills += len(saved)
        result.lines += len(items)
        for _ in saved:
            done += 1
            if progress:
                progress(done, total)
    return result


class _Catalog:
    """The products the file's lines name: the vendor's (by SKU, case aside), and those to create,
    each with what the file says of it (the first line's name and price, the first cost given,
    the first category named)."""

    def __init__(self, vendor, bills):
        self.vendor = vendor
        rows = [row for bill_rows in bills.values() for row in bill_rows]
        folded = sku_keys(row.sku for row in rows)
        for row in rows:
            row.sku_key = folded[row.sku]
        keys = list(dict.fromkeys(row.sku_key for row in rows))
        self.products = {}
        for start in range(0, len(keys), BATCH_SIZE):
            self.products.update(products_by_sku(vendor, keys[start : start + BATCH_SIZE]))
        self.new: dict[str, dict] = {}
        for row in rows:
            if row.sku_key in self.products:
                continue
            draft = self.new.setdefault(
                row.sku_key,
                {"name": row.product_name, "sku": row.sku, "sale_price": row.unit_price, "cost_price": None},
            )
            if draft["cost_price"] is None:
                draft["cost_price"] = row.unit_cost
            for name in ("hsn_code", "gst_rate", "unit"):  # the first line that gives one
                draft[name] = draft.get(name) or getattr(row, name)
            draft["category_name"] = draft.get("category_name") or row.category_name
        for draft in self.new.values():
            if draft["cost_price"] is None:
                draft["cost_price"] = ZERO

    def unit_cost(self, row):
        """The row's cost, else the product's (an empty cost on every line of a new product is 0)."""
        if row.unit_cost is not None:
            return row.unit_cost
        product = self.products.get(row.sku_key)
        return (product.cost_price if product is not None else self.new[row.sku_key]["cost_price"]) or ZERO

    def gst_rate_id(self, row):
        """The rate a line was taxed at: the file's, else its product's (existing or new)."""
        if row.gst_rate is not None:
            return row.gst_rate.pk
        product = self.products.get(row.sku_key)
        if product is not None:
            return product.gst_rate_id
        rate = self.new[row.sku_key]["gst_rate"]
        return rate.pk if rate is not None else None

    def create_missing(self, actor) -> tuple[int, int]:
        """Create the new products (no stock, so no movement) and the categories they name;
        returns how many of each."""
        categories, created_categories = categories_for_names(
            names=[draft["category_name"] for draft in self.new.values()], actor=actor
        )
        drafts = [
            {
                **{name: value for name, value in draft.items() if name != "category_name"},
                "category": categories[category_slug(draft["category_name"])] if draft["category_name"] else None,
            }
            for draft in self.new.values()
        ]
        created = products_create_unstocked(vendor=self.vendor, products=drafts)
        self.products.update(zip(self.new, created, strict=True))
        return len(created), created_categories


def _imported_refs(vendor, refs) -> set[str]:
    found = set()
    for start in range(0, len(refs), BATCH_SIZE):
        found.update(
            Bill.objects.filter(
                vendor=vendor, is_imported=True, import_ref__in=refs[start : start + BATCH_SIZE]
            ).values_list("import_ref", flat=True)
        )
    return found


class _Taxes:
    """How the vendor's imported bills are taxed: as their sales are now (``billing.tax``), with
    each bill's own place of supply."""

    def __init__(self, vendor):
        self.profile = vendor_tax_profile(vendor)
        self.rates = dict(gst_rates().values_list("pk", "rate"))

    def regime(self, first: SaleRow):
        place = first.place_of_supply or default_place_of_supply(
            supplier_state=self.profile.state, customer_gstin=first.customer_gstin
        )
        return tax_regime(profile=self.profile, place_of_supply=place)

    def customer(self, first: SaleRow) -> Customer:
        return Customer(
            gstin=first.customer_gstin, address=first.customer_address, place_of_supply=first.place_of_supply
        )


def _check_amounts(bills, catalog, taxes, problems):
    """Refuse amounts too large to record (Bill and BillItem hold 14 digits), and lines of a tax
    invoice without a GST rate, before writing."""
    for ref, rows in bills.items():
        regime = taxes.regime(rows[0])
        if regime.charges_gst:
            for row in rows:
                if "gst_rate" not in row.bad and catalog.gst_rate_id(row) is None:
                    problems.add(row.line, "gst_rate", "Give the GST rate charged (or set it on the product first).")
        priced = [
            row
            for row in rows
            if row.quantity is not None
            and row.unit_price is not None
            and (not regime.charges_gst or catalog.gst_rate_id(row) is not None)
        ]
        checked = amounts(_taxed(row, catalog, taxes, regime) for row in priced)
        for index in checked.too_large:
            problems.add(priced[index].line, "quantity", f"This line comes to more than {MAX_TOTAL:,}.")
        if checked.bill_too_large:
            problems.add(rows[0].line, "bill_ref", f'Bill "{ref}" comes to more than {MAX_TOTAL:,}; split it.')


def _taxed(row, catalog, taxes, regime) -> tuple:
    """A line's (total with tax, cost), as ``amounts`` checks them."""
    amount, cost = line_amounts(quantity=row.quantity, unit_price=row.unit_price, unit_cost=catalog.unit_cost(row))
    rate = taxes.rates.get(catalog.gst_rate_id(row))
    return line_tax(amount=amount, gst_rate=rate, regime=regime).total, cost


def _bill(vendor, ref, rows, catalog, taxes, actor) -> tuple[Bill, list[BillItem]]:
    first = rows[0]
    regime = taxes.regime(first)
    items = [
        priced_line(
            product=catalog.products[row.sku_key],
            quantity=row.quantity,
            unit_price=row.unit_price,
            unit_cost=catalog.unit_cost(row),
            regime=regime,
            gst_rate=taxes.rates.get(catalog.gst_rate_id(row)),
            product_name=row.product_name,
            hsn_code=row.hsn_code,
            unit=row.unit,
        )
        for row in rows
    ]
    totals = bill_totals(items)
    bill = Bill(
        vendor=vendor,
        number=f"IMP-{ref}",
        series=Series.IMPORTED,
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
        taxable_total=totals.taxable_total,
        tax_total=totals.tax_total,
        total=totals.total,
        cost=totals.cost,
        profit=totals.profit,
        created_by=actor,
        created_at=first.created_at,
        email_status=Bill.EmailStatus.NOT_SENT,
        **bill_gst_fields(taxes.profile, regime, taxes.customer(first)),
    )
    return bill, items


def _insert(model, objects):
    """Insert in bulk when the database hands back the new keys (SQLite 3.35+, PostgreSQL)."""
    if connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    else:  # pragma: no cover - other databases
        for obj in objects:
            obj.save(force_insert=True)
