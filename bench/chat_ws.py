"""Chat websockets under load: many vendor–influencer chats on daphne with the Redis channel layer.

What it does, start to end (everything on 127.0.0.1, every step bounded in time):

1. prepares a fresh database (a SQLite file in a temporary folder by default; a PostgreSQL
   database whose name contains "bench" is dropped and re-created, and dropped again at the
   end), runs the migrations;
2. in one ``manage.py shell -c`` creates ``--sockets``/2 vendor + influencer pairs (bulk, one
   precomputed password hash) and one chat per pair, and mints a JWT access token per user;
3. serves the app with ``--processes`` daphne processes on consecutive ports, all sharing
   ``--redis-url`` as channel layer (``DEBUG=False``, throttles lifted), and waits for ``/healthz``;
4. connects both participants of every chat to ``/ws/chats/<id>/?token=<access>``; with several
   processes the vendor and the influencer of a chat sit on different processes, so every
   message crosses processes through Redis. Each socket then proves it is subscribed: it sends
   ``{"type": "typing", "state": "stop"}`` and waits for its own typing event;
5. every vendor socket sends ``--messages-per-socket`` messages ``{"type": "send", "text": ...}``,
   ``--pace`` seconds apart; the server saves each one, then pushes ``message.new`` to both
   participants. Round trip: send → the sender gets its own ``message.new``; delivery: send → the
   other participant gets it. A delivery later than ``--timeout`` after its send counts as an
   error (reported as "late"); the script still waits for late ones while they keep coming;
6. prints the figures (with the CPU time each daphne used), scans the daphne logs for 5xx
   answers and tracebacks, checks that the database holds exactly one Message row per message
   sent, and that nothing flushed the Redis database meanwhile (a sentinel key must survive: the
   test suite's ``cache.clear()`` is a FLUSHDB of the ``REDIS_URL`` database, which wipes the
   channel layer's groups; give the bench a Redis database of its own when anything else runs).

Exit status: 0 when the run is clean; 1 when more than 1% of the operations (connects and
expected deliveries) failed or were late, the server logged a 5xx or a traceback, the Message
count is wrong or Redis was flushed; 2 on a setup failure.

    .venv/bin/python bench/chat_ws.py                       # 100 sockets x 10 messages, 1 daphne
    .venv/bin/python bench/chat_ws.py --processes 2         # cross-process delivery through Redis
    .venv/bin/python bench/chat_ws.py --idle 7              # sockets silent for 7 s before the sends
"""

import argparse
import asyncio
import contextlib
import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis
from harness import HOST, Deadline, SetupError, percentile, redacted, run, start_server, stop_server, wait_healthy
from psycopg import sql
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

CONNECT_CONCURRENCY = 100  # handshakes in flight at once
ERROR_RATE_LIMIT = 0.01
SETTLE_SECONDS = 3.0  # after --timeout, keep waiting for late deliveries until none came for this long

# Runs as ``manage.py shell -c`` with BENCH_PAIRS in the environment: bulk-creates the users (one
# Argon2 hash shared by all, computed once) and one chat per pair; prints the chats as JSON.
SETUP_CODE = """
import json, os
from django.contrib.auth.hashers import make_password
from rest_framework_simplejwt.tokens import AccessToken
from accounts.models import Role, User
from chat.models import Chat

pairs = int(os.environ["BENCH_PAIRS"])
password = make_password("bench-chat-passphrase-2026")
users = []
for i in range(pairs):
    users.append(User(email=f"bench-vendor-{i}@example.com", password=password, role=Role.VENDOR,
                      display_name=f"Bench Vendor {i}", business_name=f"Bench Shop {i}"))
    users.append(User(email=f"bench-influencer-{i}@example.com", password=password, role=Role.INFLUENCER,
                      display_name=f"Bench Influencer {i}"))
User.objects.bulk_create(users, batch_size=500)
by_email = {u.email: u for u in User.objects.filter(email__startswith="bench-")}
vendors = [by_email[f"bench-vendor-{i}@example.com"] for i in range(pairs)]
influencers = [by_email[f"bench-influencer-{i}@example.com"] for i in range(pairs)]
Chat.objects.bulk_create([Chat(vendor=v, influencer=i) for v, i in zip(vendors, influencers)], batch_size=500)
chats = {c.vendor_id: c for c in Chat.objects.filter(vendor__in=vendors)}
print(json.dumps([
    {"chat_id": chats[v.pk].pk, "vendor_id": v.pk, "influencer_id": i.pk,
     "vendor_token": str(AccessToken.for_user(v)), "influencer_token": str(AccessToken.for_user(i))}
    for v, i in zip(vendors, influencers)
]))
"""
COUNT_CODE = "from chat.models import Message; print(Message.objects.count())"

# daphne's access log: '127.0.0.1:53412 - - [21/Nov/2026:10:00:00] "GET /healthz" 200 61'
ACCESS_5XX = re.compile(r'^\S+ - - \[[^\]]*\] "[^"]*" 5\d\d\b')
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|Exception inside application")


@dataclass
class Participant:
    chat_id: int
    user_id: int
    token: str
    port: int
    is_sender: bool
    ws: object = None
    handshake: float | None = None  # seconds
    subscribed: bool = False
    ready: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class Results:
    sent: dict = field(default_factory=dict)  # text -> perf_counter() just before the send
    to_sender: dict = field(default_factory=dict)  # text -> perf_counter() when the sender got it
    to_other: dict = field(default_factory=dict)  # text -> perf_counter() when the other got it
    errors: list = field(default_factory=list)
    stray_events: int = 0  # message.new for texts this run did not send
    closing: bool = False

    def error(self, text):
        self.errors.append(text)


def main(argv=None):
    args = parse_args(argv)
    deadline = Deadline(args.max_seconds)
    workdir = Path(tempfile.mkdtemp(prefix="anwariya-chat-bench-"))
    if args.database_url is None:
        args.database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = bench_env(args)
    servers = []
    keep_workdir = args.keep_server
    postgres = is_postgres(args.database_url)
    try:
        print(f"database {redacted(args.database_url)}: preparing and migrating ...", flush=True)
        if postgres:
            recreate_database(args.database_url)
        run([sys.executable, "manage.py", "migrate", "--noinput"], env, deadline, cap=300)
        started = time.perf_counter()
        output = run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", SETUP_CODE],
            {**env, "BENCH_PAIRS": str(args.sockets // 2)},
            deadline,
            cap=300,
        )
        chats = json.loads(output.strip().splitlines()[-1])
        print(f"created {len(chats)} chats ({2 * len(chats)} users) in {time.perf_counter() - started:.1f} s")

        ports = list(range(args.port, args.port + args.processes))
        logs = [workdir / f"daphne-{port}.log" for port in ports]
        print(f"daphne x{args.processes} on ports {ports[0]}-{ports[-1]} (logs in {workdir}) ...", flush=True)
        for port, log_path in zip(ports, logs, strict=True):
            servers.append(start_server(port, env, log_path))
        for port, server in zip(ports, servers, strict=True):
            wait_healthy(port, server, deadline)

        cpu_before = [cpu_seconds(server.pid) for server in servers]
        sentinel = redis_sentinel(args.redis_url, ttl=args.max_seconds)
        started = time.perf_counter()
        results, timings = asyncio.run(run_clients(args, chats, ports, deadline))
        timings["wall"] = time.perf_counter() - started
        timings["redis_flushed"] = redis_sentinel(args.redis_url, check=sentinel)
        timings["daphne_cpu"] = [cpu_seconds(s.pid) - b for s, b in zip(servers, cpu_before, strict=True)]
        server_errors = scan_logs(logs)
        message_rows = int(
            run([sys.executable, "manage.py", "shell", "--no-imports", "-c", COUNT_CODE], env, deadline, 60).split()[-1]
        )
        failed = report(args, results, timings, server_errors, message_rows)
        keep_workdir = keep_workdir or failed
        return 1 if failed else 0
    except (SetupError, OSError, psycopg.Error, redis.RedisError, subprocess.SubprocessError, ValueError) as exc:
        print(f"setup failed: {exc}", file=sys.stderr)
        keep_workdir = True
        return 2
    finally:
        if servers and args.keep_server:
            print(f"daphne left running: pids {[s.pid for s in servers]}, ports from {args.port}")
        else:
            for server in servers:
                stop_server(server)
            if postgres:
                with contextlib.suppress(psycopg.Error):
                    drop_database(args.database_url)
        if keep_workdir:
            print(f"kept {workdir} (daphne logs{'' if postgres else ', SQLite database'})")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=100, help="websockets, two per chat; default 100")
    parser.add_argument(
        "--messages-per-socket", type=int, default=10, help="messages each vendor socket sends; default 10"
    )
    parser.add_argument("--pace", type=float, default=0.05, help="seconds between one socket's sends; default 0.05")
    parser.add_argument(
        "--processes", type=int, default=1, help="daphne processes on consecutive ports sharing Redis; default 1"
    )
    parser.add_argument("--port", type=int, default=None, help="first port to serve on; default a free loopback port")
    parser.add_argument(
        "--redis-url", default="redis://127.0.0.1:6379/0", help="channel layer; default redis://127.0.0.1:6379/0"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="default: a fresh SQLite file in a temporary folder; a PostgreSQL URL must name a database containing "
        "'bench' (it is dropped and re-created)",
    )
    parser.add_argument(
        "--idle", type=float, default=0.0, help="seconds every socket stays open and silent before the sends; default 0"
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=0,
        help="CONN_MAX_AGE for daphne: 0 (the default) opens a database connection per database call",
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a connect or an event")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="bound on the whole run; default 600")
    parser.add_argument("--keep-server", action="store_true", help="leave daphne (and its logs) running at the end")
    args = parser.parse_args(argv)
    if args.sockets < 2 or args.sockets % 2:
        parser.error("--sockets must be an even number, at least 2 (two participants per chat)")
    if args.messages_per_socket < 1 or args.processes < 1:
        parser.error("--messages-per-socket and --processes must be at least 1")
    if args.pace < 0 or args.idle < 0 or args.conn_max_age < 0 or args.timeout <= 0 or args.max_seconds <= 0:
        parser.error("--pace and --idle must not be negative; --timeout and --max-seconds must be positive")
    if args.port is None:
        args.port = free_ports(args.processes)
    if urlsplit(args.redis_url).hostname not in (HOST, "localhost"):
        parser.error(f"--redis-url must point at {HOST}")
    if args.database_url is not None:
        url = urlsplit(args.database_url)
        if not is_postgres(args.database_url) or url.hostname not in (HOST, "localhost"):
            parser.error(f"--database-url must be a PostgreSQL database on {HOST} (or left out for SQLite)")
        if "bench" not in url.path.lstrip("/"):
            parser.error("--database-url: refusing to drop a database whose name does not contain 'bench'")
    return args


def is_postgres(url):
    return urlsplit(url).scheme in ("postgres", "postgresql")


def free_ports(count):
    """The first of ``count`` consecutive free loopback ports."""
    for _ in range(50):
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            first = sock.getsockname()[1]
        if first + count > 65535:
            continue
        try:
            with contextlib.ExitStack() as stack:
                for port in range(first, first + count):
                    stack.enter_context(socket.socket()).bind((HOST, port))
        except OSError:
            continue
        return first
    raise SystemExit(f"no {count} consecutive free ports found")


def bench_env(args):
    env = dict(os.environ)
    for name in ("EMAIL_URL", "CELERY_TASK_ALWAYS_EAGER"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="anwariya.settings",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        DEBUG="False",
        SECRET_KEY="bench-only-" + "k7#Qz9!pW2x" * 6,
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="False",
        API_THROTTLE_USER="1000000/minute",
        API_THROTTLE_ANON="1000000/minute",
        JWT_ACCESS_MINUTES=str(max(120, math.ceil(args.max_seconds / 60) + 5)),  # tokens outlive the run
        CONN_MAX_AGE=str(args.conn_max_age),
        PYTHONUNBUFFERED="1",
    )
    return env


def maintenance_url(url):
    parts = urlsplit(url)
    return parts.path.lstrip("/"), parts._replace(path="/postgres").geturl()


def recreate_database(url):
    """DROP (forcing out stale sessions) and CREATE the bench database via the maintenance DB."""
    name, maintenance = maintenance_url(url)
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url):
    name, maintenance = maintenance_url(url)
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def cpu_seconds(pid):
    """User + system CPU time of a process so far (Linux /proc), or NaN where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def redis_sentinel(url, ttl=None, check=None):
    """Set a sentinel key in the channel layer's database and return its name; with ``check``,
    return True when that key is gone, i.e. something flushed the database during the run."""
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        if check:
            return not client.delete(check)
        key = f"anwariya-chat-bench:{uuid.uuid4()}"
        client.set(key, "1", ex=math.ceil(ttl) + 60)
        return key
    finally:
        client.close()


def participants_for(chats, ports):
    """Vendor of chat i on process i, its influencer on process i + 1: with 2+ processes, every
    message crosses processes through Redis."""
    people = []
    for i, chat in enumerate(chats):
        vendor_port = ports[i % len(ports)]
        other_port = ports[(i + 1) % len(ports)]
        people.append(Participant(chat["chat_id"], chat["vendor_id"], chat["vendor_token"], vendor_port, True))
        people.append(Participant(chat["chat_id"], chat["influencer_id"], chat["influencer_token"], other_port, False))
    return people


async def run_clients(args, chats, ports, deadline):
    """Connect, prove subscriptions, send, drain; returns (results, timings in seconds)."""
    results = Results()
    people = participants_for(chats, ports)
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    readers = []
    timings = {}

    async def open_socket(person):
        uri = f"ws://{HOST}:{person.port}/ws/chats/{person.chat_id}/?token={person.token}"
        async with gate:
            start = time.perf_counter()
            try:
                # proxy=None: websockets 15+ would otherwise honour HTTP(S)_PROXY from the environment.
                person.ws = await connect(uri, open_timeout=args.timeout, close_timeout=5, proxy=None)
            except (OSError, InvalidHandshake, TimeoutError) as exc:
                results.error(f"connect: {exc.__class__.__name__}: {exc}")
                return
            person.handshake = time.perf_counter() - start
        readers.append(asyncio.create_task(read(person, results)))
        try:
            await person.ws.send(json.dumps({"type": "typing", "state": "stop"}))
            await asyncio.wait_for(person.ready.wait(), args.timeout)
            person.subscribed = True
        except ConnectionClosed:
            pass  # the reader reports the close code
        except TimeoutError:
            results.error(f"chat {person.chat_id}: not subscribed within {args.timeout} s")

    try:
        start = time.perf_counter()
        await within(asyncio.gather(*(open_socket(p) for p in people)), deadline, "connecting")
        timings["connect_phase"] = time.perf_counter() - start
        timings["handshakes"] = [p.handshake for p in people if p.handshake is not None]
        timings["connected"] = sum(1 for p in people if p.subscribed)
        timings["sockets"] = len(people)

        if args.idle:
            print(f"sockets idle for {args.idle:.0f} s ...", flush=True)
            await asyncio.sleep(min(args.idle, max(0.0, deadline.left() - 30)))

        senders = [p for p in people if p.is_sender and p.subscribed]
        start = time.perf_counter()
        await within(asyncio.gather(*(send_all(args, p, results) for p in senders)), deadline, "sending")
        timings["send_phase"] = time.perf_counter() - start
        timings["first_send"] = start
        await drain(args, results, deadline)
    finally:
        results.closing = True
        open_ones = [p.ws for p in people if p.ws is not None]
        await asyncio.wait_for(asyncio.gather(*(ws.close() for ws in open_ones), return_exceptions=True), 15)
        for task in readers:
            task.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
    return results, timings


async def within(awaitable, deadline, what):
    """Await with what is left of --max-seconds, keeping 15 s to count, report and stop daphne."""
    try:
        return await asyncio.wait_for(awaitable, max(1.0, deadline.left() - 15))
    except TimeoutError:
        raise SetupError(f"{what} went over --max-seconds") from None


async def read(person, results):
    try:
        async for raw in person.ws:
            now = time.perf_counter()
            event = json.loads(raw)
            kind = event.get("type")
            if kind == "message.new":
                text = event.get("message", {}).get("text")
                if text not in results.sent:
                    results.stray_events += 1
                    continue
                (results.to_sender if person.is_sender else results.to_other).setdefault(text, now)
            elif kind == "typing" and event.get("user") == person.user_id:
                person.ready.set()
            elif kind == "error":
                results.error(f"error event: {event.get('detail')} {event.get('errors')}")
    except ConnectionClosed:
        pass
    except ValueError as exc:
        results.error(f"bad frame: {exc}")
    if not results.closing:
        results.error(f"socket closed by the server (code {person.ws.close_code}, chat {person.chat_id})")


async def send_all(args, person, results):
    for n in range(args.messages_per_socket):
        if n:
            await asyncio.sleep(args.pace)
        text = f"bench {uuid.uuid4()}"
        results.sent[text] = time.perf_counter()  # before the send: the echo may come back at once
        try:
            await person.ws.send(json.dumps({"type": "send", "text": text}))
        except ConnectionClosed as exc:
            results.sent.pop(text)
            results.error(f"send failed: {exc}")
            return


async def drain(args, results, deadline):
    """Wait until every sent message reached both participants: at least --timeout after the last
    send, then on while late deliveries keep arriving (so the server is idle before the count)."""
    expected = len(results.sent)
    start = time.monotonic()
    last_progress, seen = start, 0
    while deadline.left() > 15:
        delivered = len(results.to_sender) + len(results.to_other)
        if delivered >= 2 * expected:
            return
        now = time.monotonic()
        if delivered > seen:
            last_progress, seen = now, delivered
        if now - start > args.timeout and now - last_progress > SETTLE_SECONDS:
            return
        await asyncio.sleep(0.02)


def scan_logs(logs):
    """5xx answers and tracebacks in the daphne logs, as (count, first line)."""
    count, first = 0, ""
    for path in logs:
        for line in path.read_text(errors="replace").splitlines():
            if ACCESS_5XX.search(line) or TRACEBACK.search(line):
                count += 1
                first = first or f"{path.name}: {line.strip()}"
    return count, first


def report(args, results, timings, server_errors, message_rows):
    """Print the figures and the checks; returns True when the run failed."""
    sent = len(results.sent)
    round_trips = [results.to_sender[t] - results.sent[t] for t in results.to_sender]
    deliveries = [results.to_other[t] - results.sent[t] for t in results.to_other]
    missing = (sent - len(results.to_sender), sent - len(results.to_other))
    late = (sum(s > args.timeout for s in round_trips), sum(s > args.timeout for s in deliveries))
    last_echo = max(results.to_sender.values(), default=timings["first_send"])
    busy = last_echo - timings["first_send"]
    errors = len(results.errors) + sum(missing) + sum(late)
    # Every socket must connect, and every message must reach both participants of its chat in time.
    operations = timings["sockets"] + args.sockets * args.messages_per_socket
    error_rate = errors / operations
    handshakes = timings["handshakes"]
    log_errors, first_log_error = server_errors
    cpu = ", ".join(f"{seconds:.1f} s ({seconds / timings['wall']:.0%})" for seconds in timings["daphne_cpu"])

    def ms(values, *fractions):
        return " / ".join(f"{percentile(values, f):.0f}" for f in fractions) + " ms"

    print()
    print(
        f"daphne processes         {args.processes} (channel layer {args.redis_url}, "
        f"database {urlsplit(args.database_url).scheme}, CONN_MAX_AGE={args.conn_max_age})"
    )
    print(f"sockets connected        {timings['connected']} / {timings['sockets']} ({timings['sockets'] // 2} chats)")
    print(
        f"connect                  {timings['connect_phase']:.2f} s for all (handshake + subscribed); "
        f"handshake p50 / p99 {ms(handshakes, 0.5, 0.99)}"
    )
    print(
        f"messages sent            {sent} in {timings['send_phase']:.2f} s "
        f"({args.messages_per_socket} per vendor socket, {args.pace * 1000:.0f} ms apart)"
    )
    print(f"delivered to sender      {len(results.to_sender)} ({late[0]} later than {args.timeout:.0f} s)")
    print(f"delivered to other       {len(results.to_other)} ({late[1]} later than {args.timeout:.0f} s)")
    print(f"round trip p50/p95/p99   {ms(round_trips, 0.5, 0.95, 0.99)} (max {percentile(round_trips, 1.0):.0f})")
    print(f"to other p50 / p99       {ms(deliveries, 0.5, 0.99)}")
    print(
        f"messages/s               {len(results.to_sender) / busy if busy else float('nan'):.0f} "
        f"(echoes over first send to last echo, {busy:.2f} s)"
    )
    print(f"daphne CPU               {cpu} of the {timings['wall']:.1f} s with sockets open")
    first = f" (first: {results.errors[0]})" if results.errors else ""
    print(
        f"errors                   {errors} = {len(results.errors)} socket/event + {sum(missing)} missing "
        f"+ {sum(late)} late{first}; {error_rate:.2%} of {operations} operations"
    )
    if timings["redis_flushed"]:
        print(
            "WARNING                  something flushed the Redis database during the run: the channel layer lost "
            "its groups, so events went nowhere (the test suite's cache.clear() flushes the REDIS_URL database; "
            "give the bench one of its own, e.g. redis://127.0.0.1:6379/13)"
        )
    if results.stray_events:
        print(f"stray message.new        {results.stray_events} (texts this run did not send)")
    print(f"server 5xx / tracebacks  {log_errors}{f' (first: {first_log_error})' if first_log_error else ''}")

    checks = {
        f"errors {error_rate:.2%} <= {ERROR_RATE_LIMIT:.0%}": error_rate <= ERROR_RATE_LIMIT,
        "no 5xx or traceback in the daphne logs": log_errors == 0,
        "the Redis database was not flushed during the run": not timings["redis_flushed"],
        f"Message rows {message_rows} == messages sent {sent}": message_rows == sent,
    }
    print()
    for label, ok in checks.items():
        print(f"  [{'ok' if ok else 'FAIL'}] {label}")
    failed = not all(checks.values())
    print("result: " + ("FAILED" if failed else "ok"))
    return failed


if __name__ == "__main__":
    sys.exit(main())
