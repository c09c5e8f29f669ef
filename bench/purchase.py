"""Concurrent purchases of one hot product through the real HTTP API, on PostgreSQL.

What it does, start to end (everything on 127.0.0.1, every step bounded in time):

1. drops and re-creates the bench database (its name must contain "bench"), runs the migrations;
2. creates one vendor and one product with ``--stock`` units through the project's services;
3. serves the app (``DEBUG=False``, throttles lifted) with one daphne process (``make run``) or,
   with ``--server gunicorn``, the production server (``make serve``: ``--workers`` uvicorn
   processes), and waits for ``/healthz``; ``--pool N`` gives each process a connection pool;
4. logs the vendor in (``POST /api/v1/auth/token/``) and lets ``--clients`` threads each send
   ``--requests-per-client`` bills of one unit (``POST /api/v1/bills/``) as fast as they can;
5. prints throughput and latency, then checks the database: nothing oversold, stock equals the
   opening stock minus the purchases, one sale movement and one bill per purchase, gapless
   invoice numbers;
6. stops the server and measures, on the same database, the ceiling: the same statements sent by
   bare psycopg from as many threads, and the app's lock hold time per sale (``bench/ceiling.py``).

Each bill's invoice (PDF rendered with xhtml2pdf, sent to the console email backend) is part of
the measured cost: without ``REDIS_URL`` the task runs in the server process, on its background
thread after the answer (``EAGER_TASKS_IN_BACKGROUND``), so it takes CPU from the requests but no
request waits for it. The emails go to the server's log in a temporary folder.
``--queue-invoices`` queues the tasks to Redis instead, with no worker during the burst (in
production workers run on their own machines), and prints how many are waiting.

Exit status: 0 when every check holds, 1 when something was oversold, a request failed with a
5xx or a transport error, or the database does not add up; 2 on a setup failure.

    .venv/bin/python bench/purchase.py                      # 32 clients x 20 requests, stock 320
    .venv/bin/python bench/purchase.py --clients 8 --stock 50
    .venv/bin/python bench/purchase.py --server gunicorn --workers 2 --pool 20 --queue-invoices
"""

import argparse
import http.client
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis
from ceiling import bare_ceiling, lock_hold
from harness import HOST, Deadline, SetupError, percentile, redacted, run, start_server, stop_server, wait_healthy
from psycopg import sql

# --queue-invoices: the invoice tasks wait in this Redis database (flushed at the start).
QUEUE_URL = "redis://127.0.0.1:6379/9"
VENDOR_EMAIL = "bench-vendor@example.com"
VENDOR_PASSWORD = "bench-purchase-passphrase-2026"
BILL_BODY = {"customer_name": "Bench", "customer_email": "bench@example.com"}

# Runs in a subprocess with the bench environment: creates the vendor and the product through
# the same services the web pages and the API use, and prints their ids as JSON.
SETUP_CODE = """
import json, sys
from decimal import Decimal
import django
django.setup()
from accounts.services import user_create
from catalog.services import product_create
vendor = user_create(email=sys.argv[1], password=sys.argv[2], role="vendor",
                     display_name="Bench Vendor", business_name="Bench Shop")
product = product_create(vendor=vendor, name="Hot product", sku="HOT-1", cost_price=Decimal("60.00"),
                         sale_price=Decimal("99.00"), quantity=int(sys.argv[3]))
print(json.dumps({"vendor": vendor.pk, "product": product.pk}))
"""


@dataclass
class Sample:
    status: int | None  # None: the request failed before an answer (timeout, connection error)
    seconds: float
    finished: float  # perf_counter() when the answer arrived
    error: str = ""


def main(argv=None):
    args = parse_args(argv)
    deadline = Deadline(args.max_seconds)
    workdir = Path(tempfile.mkdtemp(prefix="anwariya-bench-"))
    env = bench_env(args, workdir)
    server = None
    keep_workdir = args.keep_server
    try:
        print(f"database {redacted(args.database_url)}: re-creating and migrating ...", flush=True)
        recreate_database(args.database_url)
        if args.queue_invoices:
            redis.Redis.from_url(QUEUE_URL).flushdb()  # the bench's own Redis database
        run([sys.executable, "manage.py", "migrate", "--noinput"], env, deadline, cap=300)
        ids = json.loads(
            run(
                [sys.executable, "-c", SETUP_CODE, VENDOR_EMAIL, VENDOR_PASSWORD, str(args.stock)],
                env,
                deadline,
                cap=120,
            ).splitlines()[-1]
        )

        log_path = workdir / "server.log"
        print(f"{server_label(args)} on http://{HOST}:{args.port} (log: {log_path}) ...", flush=True)
        server = start_server(args.port, env, log_path, server=args.server, workers=args.workers)
        wait_healthy(args.port, server, deadline)
        token = obtain_token(args.port, args.timeout)

        samples, wall, timed_out = run_clients(args, ids["product"], token, deadline)
        failed = report(args, samples, wall, timed_out, ids)
        if not failed and not args.no_ceiling:
            if not args.keep_server:  # the ceiling and the hold time are measured with the server stopped
                stop_server(server)
                server = None
            report_ceiling(args, env, deadline, ids, samples)
        keep_workdir = keep_workdir or failed
        return 1 if failed else 0
    except (SetupError, OSError, psycopg.Error, subprocess.SubprocessError, ValueError) as exc:
        print(f"setup failed: {exc}", file=sys.stderr)
        keep_workdir = True
        return 2
    finally:
        if server is not None and args.keep_server:
            print(f"server left running: pid {server.pid}, http://{HOST}:{args.port}/")
        elif server is not None:
            stop_server(server)
        if keep_workdir:
            print(f"kept {workdir} (server log, invoice PDFs)")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (threads); default 32")
    parser.add_argument("--requests-per-client", type=int, default=20, help="bills each client sends; default 20")
    parser.add_argument(
        "--stock", type=int, default=None, help="opening stock; default half the requests, so some are refused"
    )
    parser.add_argument("--port", type=int, default=None, help="port to serve on; default a free loopback port")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/anwariya_bench",
        help="PostgreSQL database to DROP and re-create (its name must contain 'bench')",
    )
    parser.add_argument(
        "--server",
        choices=["daphne", "gunicorn"],
        default="daphne",
        help="one daphne process (make run), or the production server (make serve); default daphne",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's worker processes; default 2")
    parser.add_argument(
        "--pool",
        type=int,
        default=0,
        help="DB_POOL_MAX_SIZE: 0 (default) opens a connection per request, N pools up to N a process",
    )
    parser.add_argument(
        "--queue-invoices",
        action="store_true",
        help="set REDIS_URL: each invoice task is queued to Redis (no worker runs during the burst)",
    )
    parser.add_argument(
        "--no-ceiling",
        action="store_true",
        help="skip the bare psycopg ceiling and the lock hold time measured after the burst",
    )
    parser.add_argument("--keep-server", action="store_true", help="leave the server running (and its log) at the end")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-request timeout in seconds; default 60")
    parser.add_argument("--max-seconds", type=float, default=900.0, help="bound on the whole run; default 900")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.requests_per_client < 1:
        parser.error("--clients and --requests-per-client must be at least 1")
    if args.stock is None:
        args.stock = args.clients * args.requests_per_client // 2
    if args.stock < 0:
        parser.error("--stock must not be negative")
    if args.port is None:
        args.port = free_port()
    url = urlsplit(args.database_url)
    if url.scheme not in ("postgres", "postgresql") or url.hostname not in (HOST, "localhost"):
        parser.error(f"--database-url must be a PostgreSQL database on {HOST}")
    if "bench" not in url.path.lstrip("/"):
        parser.error("--database-url: refusing to drop a database whose name does not contain 'bench'")
    return args


def server_label(args):
    if args.server == "gunicorn":
        return f"gunicorn with {args.workers} uvicorn workers"
    return "daphne"


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def bench_env(args, workdir):
    env = dict(os.environ)
    # No Redis: Celery runs the invoice task in-process (eager), after each sale commits.
    # No EMAIL_URL: the console backend "sends" the invoices (into the server's log).
    for name in ("REDIS_URL", "EMAIL_URL", "CELERY_TASK_ALWAYS_EAGER", "CONN_MAX_AGE", "DB_POOL_MAX_SIZE"):
        env.pop(name, None)
    env["DB_POOL_MAX_SIZE"] = str(args.pool)
    if args.queue_invoices:
        env["REDIS_URL"] = QUEUE_URL
    env.update(
        DJANGO_SETTINGS_MODULE="anwariya.settings",
        DATABASE_URL=args.database_url,
        DEBUG="False",
        SECRET_KEY="bench-only-" + "k7#Qz9!pW2x" * 6,
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="False",
        API_THROTTLE_USER="1000000/minute",
        API_THROTTLE_ANON="1000000/minute",
        JWT_ACCESS_MINUTES=str(math.ceil(args.max_seconds / 60) + 5),  # the token outlives the run
        MEDIA_ROOT=str(workdir / "media"),  # invoice PDFs land here, not in the repository
        PYTHONUNBUFFERED="1",
    )
    return env


def recreate_database(url):
    """DROP (forcing out stale sessions) and CREATE the bench database via the maintenance DB."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def request(conn, method, path, body=None, token=None, idempotency_key=None):
    """One JSON request on ``conn``; returns (status, parsed body or None)."""
    headers = {"Accept": "application/json"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=payload, headers=headers)
    response = conn.getresponse()
    data = response.read()
    try:
        return response.status, json.loads(data) if data else None
    except ValueError:
        return response.status, None


def obtain_token(port, timeout):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        status, body = request(
            conn, "POST", "/api/v1/auth/token/", {"email": VENDOR_EMAIL, "password": VENDOR_PASSWORD}
        )
    finally:
        conn.close()
    if status != 200 or not body or "access" not in body:
        raise SetupError(f"login failed: {status} {body}")
    return body["access"]


def run_clients(args, product_id, token, deadline):
    """Start every client at once (barrier); returns (samples, wall seconds, clients cut short)."""
    body = {**BILL_BODY, "items": [{"product": product_id, "quantity": 1}]}
    samples = []  # list.append is atomic under the GIL
    barrier = threading.Barrier(args.clients + 1)
    stop_at = time.monotonic() + deadline.left() - 5  # leave time to report and stop daphne

    def client():
        # One keep-alive connection per client, like a mobile app; a broken one is replaced.
        conn = http.client.HTTPConnection(HOST, args.port, timeout=args.timeout)
        barrier.wait()
        for _ in range(args.requests_per_client):
            if time.monotonic() > stop_at:
                break
            start = time.perf_counter()
            try:
                # A new key for each purchase, as a mobile client sends it (the server stores the
                # answer under it in the sale's transaction).
                status, _ = request(conn, "POST", "/api/v1/bills/", body, token, idempotency_key=str(uuid.uuid4()))
                error = ""
            except (OSError, http.client.HTTPException) as exc:
                # Not retried: the server may have sold the unit already, so a retry would not be
                # the same purchase (a real client would resend it with an Idempotency-Key).
                status, error = None, f"{exc.__class__.__name__}: {exc}"
                conn.close()
                conn = http.client.HTTPConnection(HOST, args.port, timeout=args.timeout)
            now = time.perf_counter()
            samples.append(Sample(status, now - start, now, error))
        conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=30)
    start = time.perf_counter()
    for thread in threads:
        thread.join(timeout=max(0.0, stop_at + args.timeout - time.monotonic()))
    wall = time.perf_counter() - start
    for sample in samples:
        sample.finished -= start  # seconds since the clients started
    return list(samples), wall, sum(thread.is_alive() for thread in threads)


def database_facts(url, vendor_id, product_id):
    with psycopg.connect(url, connect_timeout=10) as conn:

        def value(query, param):
            return conn.execute(query, [param]).fetchone()[0]

        return {
            "quantity": value("SELECT quantity FROM catalog_product WHERE id = %s", product_id),
            "sale_movements": value(
                "SELECT count(*) FROM catalog_stockmovement WHERE product_id = %s AND reason = 'sale'", product_id
            ),
            "bills": value("SELECT count(*) FROM billing_bill WHERE vendor_id = %s", vendor_id),
            "sequences": [
                row[0]
                for row in conn.execute(
                    "SELECT sequence FROM billing_bill WHERE vendor_id = %s ORDER BY sequence", [vendor_id]
                )
            ],
            "email": dict(
                conn.execute(
                    "SELECT email_status, count(*) FROM billing_bill WHERE vendor_id = %s GROUP BY 1", [vendor_id]
                ).fetchall()
            ),
        }


def report(args, samples, wall, timed_out, ids):
    """Print the figures and the checks; returns True when the run failed."""
    statuses = [s.status for s in samples]
    purchases = statuses.count(201)
    refused = statuses.count(409)
    other_4xx = sum(1 for s in statuses if s is not None and 400 <= s < 500 and s != 409)
    server_errors = sum(1 for s in statuses if s is not None and s >= 500)
    transport_errors = [s.error for s in samples if s.status is None]
    unexpected = sorted({s for s in statuses if s is not None and s not in (201, 409) and s < 400})
    all_seconds = [s.seconds for s in samples]
    sold_seconds = [s.seconds for s in samples if s.status == 201]
    refused_seconds = [s.seconds for s in samples if s.status == 409]
    sold_out_at = max((s.finished for s in samples if s.status == 201), default=0.0)

    print()
    print(f"clients x requests       {args.clients} x {args.requests_per_client}, opening stock {args.stock}")
    print(f"total requests           {len(samples)} in {wall:.2f} s")
    print(f"purchases (201)          {purchases}")
    print(f"refused (409)            {refused}")
    print(f"other 4xx                {other_4xx}")
    print(f"5xx                      {server_errors}")
    first_error = f" (first: {transport_errors[0]})" if transport_errors else ""
    print(f"transport errors         {len(transport_errors)}{first_error}")
    if unexpected:
        print(f"unexpected statuses      {unexpected}")
    print(f"purchases/s              {purchases / wall:.1f} (over the whole run)")
    if sold_out_at:
        print(f"purchases/s until last   {purchases / sold_out_at:.1f} (last purchase at {sold_out_at:.2f} s)")
    print(f"requests/s               {len(samples) / wall:.1f}")
    for label, seconds in (("all", all_seconds), ("201", sold_seconds), ("409", refused_seconds)):
        print(f"latency {label}  p50 / p99   {percentile(seconds, 0.5):.0f} / {percentile(seconds, 0.99):.0f} ms")

    facts = database_facts(args.database_url, ids["vendor"], ids["product"])
    oversold = max(0, purchases - args.stock) + max(0, -facts["quantity"])
    expected_sold = min(args.stock, args.clients * args.requests_per_client)
    checks = {
        f"final quantity {facts['quantity']} == stock - purchases ({args.stock - purchases})": facts["quantity"]
        == args.stock - purchases,
        f"final quantity {facts['quantity']} >= 0": facts["quantity"] >= 0,
        f"sale movements {facts['sale_movements']} == purchases": facts["sale_movements"] == purchases,
        f"bills {facts['bills']} == purchases": facts["bills"] == purchases,
        f"invoice sequences gapless 1..{purchases}": facts["sequences"] == list(range(1, purchases + 1)),
        # With one unit per bill, nothing may be refused while stock remains.
        f"sold out exactly: purchases == min(stock, requests) ({expected_sold})": purchases == expected_sold,
    }
    print()
    print(f"invoice emails           {facts['email']}")
    if args.queue_invoices:
        print(f"invoice tasks queued     {redis.Redis.from_url(QUEUE_URL).llen('celery')} (no worker ran)")
    print(f"oversold: {oversold}")
    for label, ok in checks.items():
        print(f"  [{'ok' if ok else 'FAIL'}] {label}")
    failed = oversold > 0 or server_errors > 0 or transport_errors or timed_out or not all(checks.values())
    if timed_out:
        print(f"{timed_out} client(s) still running at the deadline")
    print("result: " + ("FAILED" if failed else "ok"))
    return bool(failed)


def report_ceiling(args, env, deadline, ids, samples):
    """The same purchases by bare psycopg, and the app's lock hold time (``bench/ceiling.py``)."""
    purchases = [s for s in samples if s.status == 201]
    sold_out_at = max((s.finished for s in purchases), default=0.0)
    app_rate = len(purchases) / sold_out_at if sold_out_at else float("nan")
    print()
    print("ceiling: the same statements from bare psycopg, same clients and stock shape ...", flush=True)
    rate, p50, p99, bare_hold = bare_ceiling(
        args.database_url, ids["vendor"], ids["product"], args.clients, args.requests_per_client, deadline
    )
    print(f"bare psycopg purchases/s {rate:.1f} (until last), p50 / p99 {p50:.0f} / {p99:.0f} ms")
    print(f"app / bare               {app_rate / rate:.2f} ({app_rate:.1f} / {rate:.1f} purchases/s)")
    print(f"bare lock hold p50       {bare_hold:.2f} ms (product locked to commit, under the burst)")
    hold50, hold90, statements = lock_hold(env, deadline, VENDOR_EMAIL, VENDOR_PASSWORD)
    print(
        f"app lock hold p50 / p90  {hold50:.2f} / {hold90:.2f} ms, {statements:.0f} statements "
        f"(one sale at a time, in one process: at most {1000 / hold50:.0f} sales/s of one product)"
    )


if __name__ == "__main__":
    sys.exit(main())
