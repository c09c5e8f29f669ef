"""Bucketed sales series over many bill lines: the SQL selector against a naive Python baseline.

What it does, start to end:

1. points ``DATABASE_URL`` at the bench database (a temporary SQLite file by default; a
   PostgreSQL URL whose database name contains "bench" is dropped and re-created), runs the
   migrations;
2. creates ``--vendors`` vendors (a Zipf-like share of the sales each: the busiest sells most),
   ``--products-per-vendor`` products each and a few shared categories;
3. for each size in ``--lines`` (in increasing order, adding rows to reach the size) inserts
   imported-style paid bills of 1–5 lines (about 3) spread at random over ``--days`` days
   (2 % of the bills are void), with ``bulk_create`` (SQLite) or ``COPY`` (PostgreSQL),
   then runs ``ANALYZE`` (``VACUUM ANALYZE`` on PostgreSQL, as autovacuum would);
4. for each bucket (day, week, month, year) and the whole range, times ``--repeat`` runs
   (after one warm-up run) and prints the median of:

   - **selector**: ``analytics.selectors.sales_series`` for the busiest vendor, with the number
     of queries it ran: the daily rollup once the vendor has ``ANALYTICS_ROLLUP_MIN_BILLS``
     paid bills, the bill lines below that;
   - **live**: the same selector made to read the bill lines whatever the size;
   - **naive**: the vendor's paid lines loaded with ``values_list`` and bucketed in plain Python
     (local dates, dicts), as the e-commerce seed did with pandas; its totals are checked
     against the selector's;
   - **all vendors**: the selector's two queries (grouped lines, bills per bucket) without the
     vendor filter. There is no selector for it; it is what the series would cost platform-wide.

Before the buckets it times the rollup's first build from nothing and its refresh after one
more sale (one day recomputed), each as the first request that finds the change would.

``--explain`` prints PostgreSQL's ``EXPLAIN (ANALYZE, BUFFERS)`` (SQLite: the query plan) of
the selector's queries for the busiest vendor at the largest size.

    .venv/bin/python bench/analytics.py                                  # SQLite, 10k and 100k lines
    .venv/bin/python bench/analytics.py --lines 10000,100000,1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/anwariya_analytics_bench --explain
"""

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import zoneinfo
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BUCKETS = ("day", "week", "month", "year")
CHUNK_LINES = 50_000  # lines generated and written per transaction
BATCH_SIZE = 5000  # bulk_create batch size


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--lines", default="10000,100000", help="comma-separated bill line counts (default %(default)s)"
    )
    parser.add_argument("--vendors", type=int, default=20)
    parser.add_argument("--products-per-vendor", type=int, default=50)
    parser.add_argument("--days", type=int, default=365, help="days the sales are spread over, ending yesterday")
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measure; the median is reported")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explain", action="store_true", help="print the selector's query plans at the largest size")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({int(part.replace("_", "")) for part in args.lines.split(",") if part.strip()})
    except ValueError:
        parser.error("--lines takes comma-separated integers, e.g. 10000,100000")
    if not args.sizes or args.sizes[0] <= 0:
        parser.error("--lines needs at least one positive size")
    if args.vendors < 1 or args.products_per_vendor < 1 or args.days < 1 or args.repeat < 1:
        parser.error("--vendors, --products-per-vendor, --days and --repeat must be positive")
    return args


# --- The database ---------------------------------------------------------------------------


def is_postgres(url):
    return urlsplit(url).scheme in ("postgres", "postgresql", "pgsql", "postgis")


def pg_maintenance(url):
    """A psycopg connection to the ``postgres`` database of the server in ``url``, and the bench db name."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop and re-create {name!r}: the database name must contain 'bench'")
    conn = psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
        connect_timeout=10,
    )
    return conn, name


def pg_recreate(url):
    from psycopg import sql

    conn, name = pg_maintenance(url)
    with conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def pg_drop(url):
    from psycopg import sql

    conn, name = pg_maintenance(url)
    with conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "anwariya.settings"
    os.environ["DEBUG"] = "False"  # no query log outside CaptureQueriesContext
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "a9#Lq2!vX7m" * 6)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# --- Data -----------------------------------------------------------------------------------


class Generator:
    """Vendors, products and categories once; then bills and lines, chunk by chunk, up to a size."""

    def __init__(self, args):
        from django.db import connection

        self.args = args
        self.rng = random.Random(args.seed)
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        from django.utils import timezone

        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        self.start = yesterday - datetime.timedelta(days=args.days - 1)
        self.end = yesterday
        self.lines = 0
        self.next_bill_id = 1
        self.next_item_id = 1
        self.ref = 0

    def setup_catalog(self):
        from django.conf import settings
        from django.contrib.auth.hashers import make_password

        from accounts.models import User
        from catalog.models import Category, Product

        password = make_password("bench-analytics-passphrase-2026")
        User.objects.bulk_create(
            User(
                email=f"bench-vendor-{i + 1}@example.com",
                display_name=f"Bench Vendor {i + 1}",
                role="vendor",
                business_name=f"Bench Shop {i + 1}",
                password=password,
            )
            for i in range(self.args.vendors)
        )
        vendors = list(User.objects.filter(email__startswith="bench-vendor-").order_by("pk"))
        Category.objects.bulk_create(
            Category(name=f"Bench category {i + 1}", slug=f"bench-category-{i + 1}") for i in range(8)
        )
        categories = list(Category.objects.order_by("pk"))
        products = []
        for vendor in vendors:
            for j in range(self.args.products_per_vendor):
                sale = Decimal(self.rng.randrange(5000, 200_000)) / 100
                cost = (sale * Decimal(self.rng.randrange(40, 80)) / 100).quantize(Decimal("0.01"))
                products.append(
                    Product(
                        vendor=vendor,
                        category=self.rng.choice(categories) if self.rng.random() < 0.8 else None,
                        name=f"Product {j + 1} of vendor {vendor.pk}",
                        sku=f"B{vendor.pk}-{j + 1}",
                        cost_price=cost,
                        sale_price=sale,
                        quantity=1000,
                    )
                )
        Product.objects.bulk_create(products, batch_size=BATCH_SIZE)
        self.vendors = [v.pk for v in vendors]
        by_vendor = {}
        for p in Product.objects.values_list("pk", "vendor_id", "name", "sku", "sale_price", "cost_price"):
            by_vendor.setdefault(p[1], []).append(p)
        self.products = by_vendor
        # Zipf-like shares: vendor k sells ~1/k as much as the busiest.
        weights = [1 / (k + 1) for k in range(len(self.vendors))]
        total = sum(weights)
        self.cum_weights = [sum(weights[: k + 1]) / total for k in range(len(weights))]
        # Spread over the platform's local days, the zone the vendors' periods use (no profile).
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.since = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        until = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        self.span = int((until - self.since).total_seconds())

    def _chunk(self, count):
        """Bills and their lines (as dicts keyed by attname) holding ``count`` lines."""
        rng, bills, items = self.rng, [], []
        made = 0
        while made < count:
            vendor = rng.choices(self.vendors, cum_weights=self.cum_weights)[0]
            n = min(rng.randint(1, 5), count - made)
            created = self.since + datetime.timedelta(seconds=rng.randrange(self.span))
            self.ref += 1
            bill_id = self.next_bill_id
            self.next_bill_id += 1
            total = cost = Decimal("0.00")
            for product in rng.sample(self.products[vendor], min(n, len(self.products[vendor]))):
                pk, _, name, sku, price, unit_cost = product
                quantity = rng.randint(1, 5)
                line_total, line_cost = price * quantity, unit_cost * quantity
                total += line_total
                cost += line_cost
                items.append(
                    {
                        "id": self.next_item_id,
                        "bill_id": bill_id,
                        "product_id": pk,
                        "product_name": name,
                        "sku": sku,
                        "quantity": quantity,
                        "unit_price": price,
                        "unit_cost": unit_cost,
                        "taxable_value": line_total,  # untaxed history: all of it is revenue
                        "line_total": line_total,
                        "line_cost": line_cost,
                        "line_profit": line_total - line_cost,
                    }
                )
                self.next_item_id += 1
                made += 1
            customer = rng.randrange(1, 5000)
            ref = f"B{self.ref:08d}"
            bills.append(
                {
                    "id": bill_id,
                    "vendor_id": vendor,
                    "number": f"IMP-{ref}",
                    "year": created.year,
                    "sequence": None,
                    "is_imported": True,
                    "import_ref": ref,
                    "customer_name": f"Customer {customer}",
                    "customer_email": f"customer{customer}@example.com",
                    "status": "void" if rng.random() < 0.02 else "paid",
                    "taxable_total": total,
                    "total": total,
                    "cost": cost,
                    "profit": total - cost,
                    "created_at": created,
                    "email_status": "not_sent",
                }
            )
        return bills, items

    def grow_to(self, size):
        from django.db import transaction
        from tqdm import tqdm

        from billing.models import Bill, BillItem

        started = time.perf_counter()
        with tqdm(total=size - self.lines, desc=f"lines to {size:,}", unit="line", unit_scale=True) as bar:
            while self.lines < size:
                count = min(CHUNK_LINES, size - self.lines)
                bills, items = self._chunk(count)
                with transaction.atomic():
                    if self.postgres:
                        self._copy(Bill, bills)
                        self._copy(BillItem, items)
                    else:
                        Bill.objects.bulk_create((Bill(**b) for b in bills), batch_size=BATCH_SIZE)
                        BillItem.objects.bulk_create((BillItem(**i) for i in items), batch_size=BATCH_SIZE)
                self.lines += len(items)
                bar.update(len(items))
        with self.connection.cursor() as cursor:
            if self.postgres:
                for model in (Bill, BillItem):  # explicit ids were written: move the identity on
                    table = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                    )
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("ANALYZE")
        return time.perf_counter() - started

    def _copy(self, model, rows):
        fields = model._meta.concrete_fields
        defaults = {f.attname: f.get_default() for f in fields}
        columns = ", ".join(self.connection.ops.quote_name(f.column) for f in fields)
        names = [f.attname for f in fields]
        with (
            self.connection.cursor() as cursor,
            cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([row[name] if name in row else defaults[name] for name in names])


# --- What is measured -----------------------------------------------------------------------


def selector_querysets(vendor, period, bucket):
    """The two queries ``sales_series`` runs (no product/category filter); ``vendor=None``: all vendors."""
    from django.db.models import Count, Sum
    from django.db.models.functions import Coalesce

    from analytics import selectors
    from billing.models import Bill, BillItem

    trunc = selectors.TRUNC[bucket]
    lines = BillItem.objects.filter(bill__status=Bill.Status.PAID)
    if vendor is not None:
        lines = lines.filter(bill__vendor=vendor)
    lines = lines.filter(bill__created_at__gte=period.since, bill__created_at__lt=period.until)
    grouped = (
        lines.annotate(bucket=trunc("bill__created_at", tzinfo=period.tz))
        .values("bucket", "product_id", "product__name", "product__category_id", "product__category__name")
        .annotate(
            revenue=selectors.money(Sum("taxable_value")),
            units=Coalesce(Sum("quantity"), 0),
            profit=selectors.money(Sum("line_profit")),
        )
        .order_by()
    )
    bills = (
        lines.annotate(bucket=trunc("bill__created_at", tzinfo=period.tz))
        .values("bucket")
        .annotate(bills=Count("bill", distinct=True))
        .values_list("bucket", "bills")
        .order_by()
    )
    return grouped, bills


def all_vendors(period, bucket):
    grouped, bills = selector_querysets(None, period, bucket)
    return len(list(grouped)), len(list(bills))


def _naive_start(day, bucket):
    if bucket == "day":
        return day
    if bucket == "week":
        return day - datetime.timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def naive_series(vendor, period, bucket):
    """Load the vendor's paid lines and bucket them in Python: what the e-commerce seed did with pandas."""
    from billing.models import BillItem

    rows = BillItem.objects.filter(
        bill__vendor=vendor,
        bill__status="paid",
        bill__created_at__gte=period.since,
        bill__created_at__lt=period.until,
    ).values_list(
        "bill_id",
        "bill__created_at",
        "quantity",
        "taxable_value",
        "line_profit",
        "product_id",
        "product__name",
        "product__category_id",
        "product__category__name",
    )
    tz, buckets = period.tz, {}
    for bill, created, quantity, total, profit, product, name, category, category_name in rows.iterator(
        chunk_size=5000
    ):
        key = _naive_start(created.astimezone(tz).date(), bucket)
        entry = buckets.get(key)
        if entry is None:
            entry = buckets[key] = {
                "revenue": Decimal(0),
                "units": 0,
                "profit": Decimal(0),
                "bills": set(),
                "by_product": {},
                "by_category": {},
            }
        entry["revenue"] += total
        entry["units"] += quantity
        entry["profit"] += profit
        entry["bills"].add(bill)
        part = entry["by_product"].setdefault(product, {"name": name, "revenue": Decimal(0), "units": 0})
        part["revenue"] += total
        part["units"] += quantity
        part = entry["by_category"].setdefault(
            category, {"name": category_name or "Uncategorised", "revenue": Decimal(0), "units": 0}
        )
        part["revenue"] += total
        part["units"] += quantity
    for entry in buckets.values():
        entry["bills"] = len(entry["bills"])
    return buckets


def check_same(series, naive, bucket):
    """The selector's and the baseline's totals per bucket agree (empty buckets are absent from the baseline)."""
    for entry in series:
        other = naive.get(_naive_start(entry["start"], bucket))
        got = (entry["revenue"], entry["units"], entry["profit"], entry["bills"])
        want = (other["revenue"], other["units"], other["profit"], other["bills"]) if other else (0, 0, 0, 0)
        if got != want:
            return f"{bucket} {entry['start']}: selector {got} != naive {want}"
    return ""


def timed(fn, repeat, *, warm_up=True):
    if warm_up:
        fn()  # connection, caches, plans
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _one_more_sale(vendor, period):
    """A sale on the range's last day, inserted as the import does: the rollup must pick it up.
    Returns it, to be deleted after the timing (the generator numbers its own rows)."""
    from billing.models import Bill, BillItem

    template = BillItem.objects.filter(bill__vendor=vendor).select_related("product").first()
    when = datetime.datetime.combine(period.end, datetime.time(12), tzinfo=period.tz)
    bill = Bill.objects.create(
        vendor=vendor,
        number=f"IMP-bench-{time.monotonic_ns()}",
        year=when.year,
        is_imported=True,
        import_ref=f"bench-{time.monotonic_ns()}",
        customer_name="Bench",
        customer_email="bench@example.com",
        taxable_total=template.line_total - template.line_tax,
        tax_total=template.line_tax,
        total=template.line_total,
        cost=template.line_cost,
        profit=template.line_profit,
        created_at=when,
        email_status=Bill.EmailStatus.NOT_SENT,
    )
    template.pk, template.bill = None, bill
    template.save()
    return bill


def measure(gen, args, size, explain):
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext, override_settings

    from accounts.models import User
    from analytics.models import DailyProductSales, DailySales
    from analytics.selectors import Period, sales_series
    from billing.models import BillItem
    from profiles.selectors import user_time_zone

    busiest = BillItem.objects.values("bill__vendor").annotate(n=Count("pk")).order_by("-n").first()
    vendor = User.objects.get(pk=busiest["bill__vendor"])
    period = Period(gen.start, gen.end, user_time_zone(vendor))
    # The rollup as a first request after the data changed finds it: built from nothing, then
    # refreshed after one more sale (one day recomputed).
    DailySales.objects.all().delete()
    DailyProductSales.objects.all().delete()
    with override_settings(ANALYTICS_ROLLUP_MIN_BILLS=0):
        build_ms = timed(lambda: sales_series(vendor, period, "month"), 1, warm_up=False)
        extra = _one_more_sale(vendor, period)
        refresh_ms = timed(lambda: sales_series(vendor, period, "month"), 1, warm_up=False)
        extra.delete()
    print(f"  rollup: built in {build_ms:.1f} ms; refreshed after one more sale in {refresh_ms:.1f} ms", flush=True)
    rows = []
    for bucket in BUCKETS:
        with CaptureQueriesContext(connection) as queries:
            series = sales_series(vendor, period, bucket)
        mismatch = check_same(series, naive_series(vendor, period, bucket), bucket)
        if mismatch:
            print(f"MISMATCH at {size:,} lines: {mismatch}", file=sys.stderr)
        selector_ms = timed(lambda b=bucket: sales_series(vendor, period, b), args.repeat)
        with override_settings(ANALYTICS_ROLLUP_MIN_BILLS=10**12):
            live_ms = timed(lambda b=bucket: sales_series(vendor, period, b), args.repeat)
        naive_ms = timed(lambda b=bucket: naive_series(vendor, period, b), args.repeat)
        all_ms = timed(lambda b=bucket: all_vendors(period, b), args.repeat)
        rows.append(
            {
                "lines": size,
                "vendor_lines": busiest["n"],
                "bucket": bucket,
                "buckets": len(series),
                "selector": selector_ms,
                "live": live_ms,
                "queries": len(queries.captured_queries),
                "naive": naive_ms,
                "ratio": naive_ms / selector_ms,
                "all": all_ms,
                "build": build_ms,
                "refresh": refresh_ms,
                "ok": not mismatch,
            }
        )
        print(
            f"  {bucket:>5}: selector {selector_ms:8.1f} ms ({len(queries.captured_queries)} queries)"
            f"  live {live_ms:8.1f} ms  naive {naive_ms:8.1f} ms  x{naive_ms / selector_ms:5.1f}"
            f"  all vendors {all_ms:8.1f} ms",
            flush=True,
        )
    if explain:
        options = {"analyze": True, "buffers": True} if connection.vendor == "postgresql" else {}
        for bucket in ("day", "month"):
            for label, qs in zip(
                ("grouped lines", "bills per bucket"), selector_querysets(vendor, period, bucket), strict=True
            ):
                print(f"\n--- plan: live selector, {label}, bucket={bucket}, vendor {vendor.pk}, {size:,} lines ---")
                print(qs.explain(**options))
    return rows


def print_table(rows, database, insert_times):
    print(f"\n{database}; busiest vendor's share shown as 'vendor lines'; median of the timed runs\n")
    print(
        "| lines | vendor lines | bucket | buckets | selector (ms) | queries | live (ms) | naive (ms) "
        "| naive / selector | all vendors (ms) |"
    )
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['lines']:,} | {r['vendor_lines']:,} | {r['bucket']} | {r['buckets']} | {r['selector']:.1f} "
            f"| {r['queries']} | {r['live']:.1f} | {r['naive']:.1f} | {r['ratio']:.1f}x | {r['all']:.1f} |"
            + ("" if r["ok"] else " MISMATCH")
        )
    builds = {r["lines"]: (r["build"], r["refresh"]) for r in rows}
    print(
        "\nrollup (ms): "
        + ", ".join(f"{size:,} lines built {b:.1f}, refreshed {f:.1f}" for size, (b, f) in builds.items())
    )
    print("\ninsert (s): " + ", ".join(f"{size:,} lines {seconds:.1f}" for size, seconds in insert_times))


def main(argv=None):
    args = parse_args(argv)
    tmpdir = None
    url = args.database_url
    if not url:
        tmpdir = tempfile.mkdtemp(prefix="anwariya-analytics-bench-")
        url = f"sqlite:///{Path(tmpdir) / 'bench.sqlite3'}"
    elif is_postgres(url):
        pg_recreate(url)
    elif "bench" not in url:
        raise SystemExit("refusing a database URL without 'bench' in it")
    try:
        setup_django(url)
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        else:
            database = f"SQLite {connection.Database.sqlite_version}"
        print(
            f"{database}: {args.vendors} vendors x {args.products_per_vendor} products, {args.days} days, "
            f"repeat {args.repeat}",
            flush=True,
        )
        gen = Generator(args)
        gen.setup_catalog()
        rows, insert_times = [], []
        for size in args.sizes:
            insert_times.append((size, gen.grow_to(size)))
            print(f"{size:,} lines:", flush=True)
            rows += measure(gen, args, size, args.explain and size == args.sizes[-1])
        print_table(rows, database, insert_times)
        return 0 if all(r["ok"] for r in rows) else 1
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if tmpdir and not args.keep:
            shutil.rmtree(tmpdir, ignore_errors=True)
        elif tmpdir:
            print(f"kept {url}")
        if is_postgres(url) and not args.keep:
            pg_drop(url)


if __name__ == "__main__":
    sys.exit(main())
