"""What a sale costs without the framework, and how long it holds the hot locks.

``bench/purchase.py`` runs both after its HTTP burst, against the same database:

* ``bare_ceiling``: the statements ``POST /api/v1/bills/`` sends for one purchase (idempotency key,
  product read, the products' lock, the invoice counter, bill, line, guarded stock decrement,
  movement, the key's stored answer, commit), sent by plain psycopg from as many threads as the
  burst had clients, each with its own connection, on a product of its own with the same stock
  shape (half the attempts refused). That is the most the database and the lock order allow on
  this machine; the burst's purchases/s over it is what Django, DRF, JWT and the server cost.
* ``lock_hold``: the app's real endpoint called in one process (Django's test client, one
  thread, nothing competing), timing from the statement that locks the product to the end of the
  commit. With one hot product every sale waits for the one before it to commit, so 1 / hold
  time bounds purchases/s however many processes serve.
"""

import json
import statistics
import sys
import threading
import time
import uuid

import psycopg
from harness import Deadline, percentile, run

# The app's refusal stores a 409 answer on the key; a sale stores the bill. Bodies of that size.
SOLD_BODY = json.dumps({"id": 0, "number": "26-27/000000", "items": [{"product": 0, "quantity": 1}], "pad": "x" * 1400})
REFUSED_BODY = json.dumps({"code": "insufficient_stock", "errors": {"items": {"0": {"quantity": ["Only 0 left."]}}}})

# Runs in a subprocess with the bench environment: ``bills`` sales through the real API in one
# thread; prints the lock hold times (ms) and the statements sent while holding it, as JSON.
HOLD_CODE = """
import json, sys, time, uuid
from decimal import Decimal
import django
django.setup()
from django.db import connection
from django.test import Client
import django.db.backends.base.base as base
from accounts.models import User
from catalog.services import product_create
vendor = User.objects.get(email=sys.argv[1])
bills = int(sys.argv[3])
product = product_create(vendor=vendor, name="Hold probe", sku="HOLD-1", cost_price=Decimal("60.00"),
                         sale_price=Decimal("99.00"), quantity=bills + 20)
client = Client(SERVER_NAME="127.0.0.1")
token = client.post("/api/v1/auth/token/", {"email": sys.argv[1], "password": sys.argv[2]},
                    content_type="application/json").json()["access"]
body = json.dumps({"customer_name": "Bench", "customer_email": "bench@example.com",
                   "items": [{"product": product.pk, "quantity": 1}]})
state, holds, statements = {}, [], []
def watch(execute, sql, params, many, context):
    if "t0" not in state and "FOR UPDATE" in sql and "catalog_product" in sql:
        state["t0"], state["n"] = time.perf_counter(), 0
    if "t0" in state:
        state["n"] += 1
    return execute(sql, params, many, context)
commit = base.BaseDatabaseWrapper._commit
def timed_commit(self):
    commit(self)
    if "t0" in state:
        holds.append((time.perf_counter() - state.pop("t0")) * 1000)
        statements.append(state.pop("n") + 1)
base.BaseDatabaseWrapper._commit = timed_commit
with connection.execute_wrapper(watch):
    for i in range(bills + 20):
        response = client.post("/api/v1/bills/", body, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
        assert response.status_code == 201, response.content[:300]
        if i == 19:  # the first ones warm the caches up
            holds.clear(); statements.clear()
print(json.dumps({"holds": holds, "statements": statements}))
"""


def lock_hold(env, deadline, vendor_email, password, bills=200):
    """The app's lock hold time per sale, uncontended: (p50 ms, p90 ms, statements in the lock)."""
    out = run([sys.executable, "-c", HOLD_CODE, vendor_email, password, str(bills)], env, deadline, cap=300)
    facts = json.loads(out.splitlines()[-1])
    holds = facts["holds"]
    return (
        percentile([h / 1000 for h in holds], 0.5),
        percentile([h / 1000 for h in holds], 0.9),
        statistics.median(facts["statements"]),
    )


class Refused(Exception):
    pass


class BareSale:
    """One connection sending a purchase's statements, as the app sends them."""

    def __init__(self, url, vendor_id, product_id, user_id):
        self.conn = psycopg.connect(url, connect_timeout=10)
        self.vendor_id, self.product_id, self.user_id = vendor_id, product_id, user_id
        self.holds = []

    def attempt(self):
        """One purchase attempt; True when sold."""
        conn, key = self.conn, str(uuid.uuid4())
        with conn.transaction():
            conn.execute(
                "DELETE FROM anwariya_idempotencykey WHERE created_at < now() - interval '1 day' AND key = %s "
                "AND user_id = %s",
                [key, self.user_id],
            )
            with conn.transaction():  # the claim's savepoint
                key_id = conn.execute(
                    "INSERT INTO anwariya_idempotencykey (user_id, key, fingerprint, created_at) "
                    "VALUES (%s, %s, %s, now()) RETURNING id",
                    [self.user_id, key, "f" * 64],
                ).fetchone()[0]
            with conn.transaction():  # the view's savepoint
                conn.execute("SELECT * FROM campaigns_vendorprofile WHERE user_id = %s", [self.vendor_id]).fetchall()
                quantity, price, cost = conn.execute(
                    "SELECT quantity, sale_price, cost_price FROM catalog_product WHERE id = %s AND vendor_id = %s",
                    [self.product_id, self.vendor_id],
                ).fetchone()
                status = 409
                if quantity >= 1:
                    try:
                        with conn.transaction():  # bill_create's savepoint
                            locked = conn.execute(
                                "SELECT quantity FROM catalog_product WHERE id = %s AND vendor_id = %s FOR UPDATE",
                                [self.product_id, self.vendor_id],
                            ).fetchone()[0]
                            started = time.perf_counter()  # the lock is held from here to the commit
                            if locked < 1:
                                raise Refused  # sold out meanwhile: rolled back to the savepoint
                            self._sell(price, cost)
                            status = 201
                    except Refused:
                        pass
                body = SOLD_BODY if status == 201 else REFUSED_BODY
            conn.execute(
                "UPDATE anwariya_idempotencykey SET response_status = %s, response_body = %s WHERE id = %s",
                [status, body, key_id],
            )
        if status == 201:
            self.holds.append(time.perf_counter() - started)
        return status == 201

    def _sell(self, price, cost):
        conn = self.conn
        sequence = conn.execute(
            "UPDATE billing_invoicecounter SET last_sequence = last_sequence + 1 "
            "WHERE vendor_id = %s AND series = 'invoice' AND year = 2026 RETURNING last_sequence",
            [self.vendor_id],
        ).fetchone()[0]
        bill_id = conn.execute(
            "INSERT INTO billing_bill (vendor_id, number, series, year, sequence, is_imported, import_ref, "
            "customer_name, customer_email, referral_code, status, currency, document_type, customer_gstin, "
            "customer_address, place_of_supply, supplier_legal_name, supplier_address, supplier_state, "
            "supplier_gstin, prices_include_tax, taxable_total, tax_total, total, returned_taxable, returned_cost, "
            "cost, profit, created_by_id, created_at, invoice_pdf, email_status, email_attempts, email_error) "
            "VALUES (%s, %s, 'invoice', 2026, %s, false, '', 'Bench', 'bench@example.com', '', 'paid', 'INR', "
            "'bill_of_supply', '', '', '', '', '', '', '', false, %s, 0, %s, 0, 0, %s, %s, %s, now(), '', "
            "'pending', 0, '') RETURNING id",
            [self.vendor_id, f"BARE/{sequence:06d}", sequence, price, price, cost, price - cost, self.vendor_id],
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO billing_billitem (bill_id, product_id, product_name, sku, hsn_code, unit, quantity, "
            "unit_price, unit_cost, taxable_value, cgst, sgst, igst, line_tax, line_total, line_cost, line_profit) "
            "VALUES (%s, %s, 'Bare product', 'BARE-1', '', 'PCS', 1, %s, %s, %s, 0, 0, 0, 0, %s, %s, %s)",
            [bill_id, self.product_id, price, cost, price, price, cost, price - cost],
        )
        after = conn.execute(
            "UPDATE catalog_product SET quantity = quantity - 1 WHERE id = %s AND quantity >= 1 RETURNING quantity",
            [self.product_id],
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO catalog_stockmovement (product_id, delta, quantity_after, reason, note, created_by_id, "
            "created_at) VALUES (%s, -1, %s, 'sale', '', %s, now())",
            [self.product_id, after, self.vendor_id],
        )


def bare_ceiling(url, vendor_id, hot_product_id, clients, attempts_per_client, deadline: Deadline):
    """The same purchases by plain psycopg: (purchases/s, p50 ms, p99 ms, lock hold p50 ms).
    Raises ValueError when the stock left does not match what was sold."""
    stock = clients * attempts_per_client // 2
    with psycopg.connect(url, connect_timeout=10, autocommit=True) as conn:
        product_id = conn.execute(
            "INSERT INTO catalog_product (vendor_id, category_id, name, sku, description, cost_price, sale_price, "
            "quantity, low_stock_threshold, hsn_code, gst_rate_id, unit, is_active, created_at, updated_at) "
            "SELECT vendor_id, category_id, 'Bare product', 'BARE-1', '', cost_price, sale_price, %s, "
            "low_stock_threshold, hsn_code, gst_rate_id, unit, true, now(), now() FROM catalog_product "
            "WHERE id = %s RETURNING id",
            [stock, hot_product_id],
        ).fetchone()[0]
    sales = [BareSale(url, vendor_id, product_id, vendor_id) for _ in range(clients)]
    latencies, sold_at, barrier = [], [], threading.Barrier(clients + 1)
    stop_at = time.monotonic() + deadline.left(120)

    def client(sale):
        barrier.wait()
        for _ in range(attempts_per_client):
            if time.monotonic() > stop_at:
                break
            began = time.perf_counter()
            sold = sale.attempt()
            now = time.perf_counter()
            latencies.append(now - began)
            if sold:
                sold_at.append(now)

    threads = [threading.Thread(target=client, args=(sale,), daemon=True) for sale in sales]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=30)
    start = time.perf_counter()
    for thread in threads:
        thread.join(timeout=max(0.0, stop_at - time.monotonic() + 10))
    for sale in sales:
        sale.conn.close()
    holds = [hold for sale in sales for hold in sale.holds]
    until_last = (max(sold_at) - start) if sold_at else float("nan")
    with psycopg.connect(url, connect_timeout=10) as conn:
        left = conn.execute("SELECT quantity FROM catalog_product WHERE id = %s", [product_id]).fetchone()[0]
    if left != stock - len(sold_at) or left < 0:
        raise ValueError(f"the bare run does not add up: stock {stock}, sold {len(sold_at)}, left {left}")
    return len(sold_at) / until_last, percentile(latencies, 0.5), percentile(latencies, 0.99), percentile(holds, 0.5)
