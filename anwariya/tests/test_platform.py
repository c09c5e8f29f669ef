"""Plumbing every app relies on: error bodies, health, schema, tasks on commit, settings."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.tests.factories import VendorFactory
from anwariya.celery import enqueue_on_commit
from anwariya.tests.api import api_client, assert_error

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_unknown_api_url_is_json_404():
    body = assert_error(api_client().get("/api/v1/no-such-thing/"), 404)
    assert body["code"] == "not_found"


@pytest.mark.django_db
def test_wrong_method_is_405_with_error_body():
    assert_error(api_client(VendorFactory()).put("/api/v1/auth/me/", {}, format="json"), 405)


@pytest.mark.django_db
def test_unsupported_media_type_is_415():
    response = api_client(VendorFactory()).patch("/api/v1/auth/me/", data="x", content_type="text/plain")
    assert_error(response, 415)


@pytest.mark.django_db
def test_throttled_requests_get_error_body(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
    from rest_framework.settings import api_settings
    from rest_framework.throttling import UserRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "user": "2/minute"}
    original = UserRateThrottle.THROTTLE_RATES
    UserRateThrottle.THROTTLE_RATES = rates
    try:
        client = api_client(VendorFactory())
        client.get("/api/v1/auth/me/")
        client.get("/api/v1/auth/me/")
        body = assert_error(client.get("/api/v1/auth/me/"), 429)
        assert body["code"] == "throttled"
    finally:
        UserRateThrottle.THROTTLE_RATES = original


@pytest.mark.django_db
def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "redis": "error"}


@pytest.mark.django_db
def test_healthz_keeps_the_database_error_for_the_log(client, settings, caplog):
    from unittest import mock

    from django.db import OperationalError, connection

    settings.REDIS_URL = ""

    failure = OperationalError('connection to server at "db.internal" (10.0.0.5), port 5432 failed: timeout')
    with mock.patch.object(connection, "cursor", side_effect=failure), caplog.at_level("WARNING"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "error", "redis": "not configured"}
    assert "db.internal" not in response.content.decode()
    assert "5432" not in response.content.decode()
    assert "OperationalError" not in response.content.decode()
    (record,) = [r for r in caplog.records if r.name == "anwariya.health"]
    assert record.levelname == "ERROR"
    assert record.exc_info[1] is failure
    assert 'server at "db.internal" (10.0.0.5), port 5432' in caplog.text


@pytest.mark.django_db
def test_healthz_keeps_the_redis_error_for_the_log(client, settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    with caplog.at_level("WARNING"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"] == "error"
    assert "127.0.0.1" not in response.content.decode()
    assert "127.0.0.1:1" in caplog.text


def test_healthz_schema_allows_only_the_three_words(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    assert schema["HealthDatabaseEnum"]["enum"] == ["ok", "error"]
    assert schema["HealthRedisEnum"]["enum"] == ["ok", "error", "not configured"]


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_checks_real_redis(client, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    assert client.get("/healthz").json()["redis"] == "ok"


@pytest.mark.django_db
def test_schema_is_valid_and_lists_every_api_endpoint(tmp_path):
    from django.urls import get_resolver

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = api_client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = set(schema["paths"])

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    def shape(route):
        route = re.sub(r"\(\?P<\w+>[^)]*\)|<(\w+:)?\w+>|\{\w+\}", "{}", route)
        return "/" + route.replace("^", "").replace("$", "").lstrip("/")

    api_routes = {shape(r) for r in walk(get_resolver().url_patterns) if r.lstrip("^").startswith("api/v1/")}
    assert len(api_routes) > 5
    documented = {shape(p) for p in paths}
    assert api_routes - {"/api/v1/{}"} <= documented, api_routes - documented


@pytest.mark.django_db
def test_schema_documents_error_body_and_request_shapes():
    schema = api_client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    register = schema["paths"]["/api/v1/auth/register/"]["post"]
    assert "requestBody" in register
    assert set(register["responses"]) >= {"201", "400"}
    me = schema["paths"]["/api/v1/auth/me/"]["get"]
    assert me["responses"]["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


def test_docs_page_uses_no_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "cdn" not in content.lower()
    assert "/static/drf_spectacular_sidecar/" in content


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_waits_for_commit_and_skips_rollback():
    from django.core import mail

    from accounts.tasks import send_email

    with transaction.atomic():
        enqueue_on_commit(send_email, subject="kept", body="b", to=["a@example.com"])
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["kept"]

    def queue_then_fail():
        with transaction.atomic():
            enqueue_on_commit(send_email, subject="dropped", body="b", to=["a@example.com"])
            raise RuntimeError

    with pytest.raises(RuntimeError):
        queue_then_fail()
    assert [m.subject for m in mail.outbox] == ["kept"]


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    env = {
        "DEBUG": "False",
        "SECRET_KEY": "a-real-production-secret-" + "k" * 40,
        "ALLOWED_HOSTS": "anwariya.example.com",
        "CSRF_TRUSTED_ORIGINS": "https://anwariya.example.com",
    }
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_secret_key_in_production_is_refused():
    result = _manage("check", env={"DEBUG": "False", "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


COMPOSE_DEFAULT_KEY = "change-me-in-.env-to-a-long-random-string"


@pytest.mark.parametrize(
    "key",
    [
        "",
        "short-but-random-Zq8Lr",
        COMPOSE_DEFAULT_KEY + "-and-now-long-enough-1234567890",
        "django-insecure-" + "x7Kp2" * 10,
        "a" * 60,
    ],
)
def test_secret_key_rule_refuses_empty_short_and_placeholder_keys(key):
    from anwariya.settings import secret_key_problem

    assert secret_key_problem(key)


@pytest.mark.parametrize(
    "key",
    [
        "ci-schemathesis-1767225600-not-a-real-secret-key-0123456789",
        "a-real-production-secret-" + "k" * 40,
        "Qm3vK9xL2pT7wR4nY8zB1cF6hJ0sD5gA-uE_iO3lP9kM2jN7bV4",
    ],
)
def test_secret_key_rule_accepts_long_random_keys(key):
    from anwariya.settings import secret_key_problem

    assert secret_key_problem(key) is None


def test_web_server_refuses_to_start_with_the_compose_default_key():
    env = {**os.environ, "DEBUG": "False", "SECRET_KEY": COMPOSE_DEFAULT_KEY, "ALLOWED_HOSTS": "localhost"}
    result = subprocess.run(
        [str(BASE_DIR / ".venv" / "bin" / "daphne"), "-b", "127.0.0.1", "-p", "0", "anwariya.asgi:application"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "50" in result.stderr


def test_a_placeholder_key_is_fine_while_debugging():
    result = _manage("check", env={"DEBUG": "True", "SECRET_KEY": COMPOSE_DEFAULT_KEY})
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_collectstatic_step_loads_the_production_settings():
    """The image build runs collectstatic with DEBUG off: its throwaway key must pass the rule."""
    dockerfile = (BASE_DIR / "Dockerfile").read_text().replace("\\\n", " ")
    (step,) = [line for line in dockerfile.splitlines() if "collectstatic" in line and line.startswith("RUN ")]
    prefix = re.match(r"RUN ((?:\w+=(?:\"[^\"]*\"|\S+)\s+)+)python manage.py collectstatic", step).group(1)
    venv_path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    result = subprocess.run(
        ["sh", "-c", f"{prefix} python -c 'import anwariya.settings'"],
        cwd=BASE_DIR,
        env={**os.environ, "PATH": venv_path, "ALLOWED_HOSTS": "localhost"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "fonts-dejavu" not in dockerfile  # the invoice font comes from fontpkg-noto-sans


@pytest.mark.skipif(not shutil.which("make"), reason="needs make")
def test_make_run_asks_for_demo_data_on_an_empty_database():
    env = {key: value for key, value in os.environ.items() if key != "SEED_DEMO"}
    commands = subprocess.run(["make", "-n", "run"], cwd=BASE_DIR, env=env, capture_output=True, text=True).stdout
    assert "SEED_DEMO=true .venv/bin/python manage.py seed_demo --if-empty" in commands


def test_compose_seeds_demo_data_only_when_env_asks():
    import yaml

    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    assert compose["x-app"]["environment"]["SEED_DEMO"] == "${SEED_DEMO:-False}"
    assert "seed_demo --if-empty" in compose["services"]["web"]["command"]


def test_manage_py_test_runs_the_pytest_suite():
    target = "anwariya/tests/test_platform.py::test_docs_page_uses_no_cdn"
    result = _manage("test", target, "--failfast", "--keepdb", env={})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_task_runs_on_a_real_celery_worker_over_redis():
    import time

    from celery.contrib.testing.worker import start_worker
    from django.core import mail

    from accounts.tasks import send_email
    from anwariya.celery import app

    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            send_email.delay(subject="via redis", body="b", to=["a@example.com"])
            deadline = time.monotonic() + 20
            while not mail.outbox and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        app.conf.task_always_eager = True
    assert [m.subject for m in mail.outbox] == ["via redis"]


@pytest.mark.django_db
def test_seed_demo_creates_linked_data_keeping_invariants_once(settings):
    from io import StringIO

    from django.db.models import Sum

    from accounts.models import User
    from billing.models import Bill, CreditNote
    from campaigns.models import Application, Campaign
    from catalog.models import Product
    from chat.models import Chat, Message

    settings.SEED_DEMO = True
    out = StringIO()
    args = ["--if-empty", "--bills", "15", "--products", "5", "--days", "20", "--verbosity", "0"]
    call_command("seed_demo", *args, stdout=out, stderr=StringIO())
    assert User.objects.count() == 8  # an admin, 2 vendors, 5 influencers
    assert User.objects.get(email="vendor1@demo.anwariya.local").check_password("anwariya-demo-2026")
    assert Product.objects.count() == 10
    assert Bill.objects.count() == 30
    # Linked: four influencers accepted on each vendor's open campaign, each with the chat the
    # acceptance opened, and some sales carrying their codes, attributed to their own vendor.
    accepted = Application.objects.filter(status="accepted")
    assert accepted.count() == 8
    assert Chat.objects.filter(campaign__isnull=False).count() == 8
    referred = Bill.objects.filter(referral__isnull=False).select_related("referral__campaign")
    assert referred.exists()
    for bill in referred:
        assert bill.referral in accepted
        assert bill.referral_code == bill.referral.referral_code
        assert bill.referral.campaign.vendor_id == bill.vendor_id
    assert Campaign.objects.filter(status="open").count() == 2
    # Each accepted influencer's collaboration: every stage of the loop between the two vendors,
    # with what each stage brings (a change requested and the fee paid, gifts, clicks, commission).
    from collaborations.models import ClickDay, Collaboration, LedgerEntry, Submission

    stages = Collaboration.objects.order_by("pk").values_list("vendor__email", "stage")
    assert sorted(stages) == [
        ("vendor1@demo.anwariya.local", "approved"),
        ("vendor1@demo.anwariya.local", "completed"),
        ("vendor1@demo.anwariya.local", "content_submitted"),
        ("vendor1@demo.anwariya.local", "terms_sent"),
        ("vendor2@demo.anwariya.local", "active"),
        ("vendor2@demo.anwariya.local", "active"),
        ("vendor2@demo.anwariya.local", "cancelled"),
        ("vendor2@demo.anwariya.local", "new"),
    ]
    completed = Collaboration.objects.get(stage="completed")
    assert Submission.objects.filter(deliverable__collaboration=completed, decision="changes_requested").exists()
    assert completed.paid == completed.terms_versions.get(status="accepted").fee
    assert completed.shipments.get().status == "delivered"
    assert ClickDay.objects.exists()
    assert LedgerEntry.objects.filter(kind="released").exists()  # the history's older commission is payable
    # GST: the first vendor's tax invoices (some to a business in another state), two credit notes
    # of its own; the second vendor's bills of supply.
    first, second = (User.objects.get(email=f"vendor{n}@demo.anwariya.local") for n in (1, 2))
    assert set(Bill.objects.filter(vendor=first).values_list("document_type", flat=True)) == {"tax_invoice"}
    assert Bill.objects.filter(vendor=first, customer_gstin__startswith="29", items__igst__gt=0).exists()
    assert CreditNote.objects.filter(vendor=first).count() == 2
    assert set(Bill.objects.filter(vendor=second).values_list("document_type", flat=True)) == {"bill_of_supply"}
    for collaboration in Collaboration.objects.all():
        sums = collaboration.ledger.aggregate(held=Sum("held"), payable=Sum("payable"), paid=Sum("paid"))
        assert [sums[k] or 0 for k in ("held", "payable", "paid")] == [
            collaboration.held,
            collaboration.payable,
            collaboration.paid,
        ]
    assert Message.objects.exists()
    for product in Product.objects.all():
        assert product.quantity == product.movements.aggregate(total=Sum("delta"))["total"]
    for vendor in User.objects.filter(role="vendor"):
        sequences = sorted(Bill.objects.filter(vendor=vendor).values_list("sequence", flat=True))
        assert sequences == list(range(1, len(sequences) + 1))
    call_command("seed_demo", "--if-empty", stdout=StringIO(), stderr=StringIO())
    assert User.objects.count() == 8


@pytest.mark.django_db
def test_start_up_seeding_adds_no_demo_users_unless_seed_demo_is_on(settings):
    from io import StringIO

    from accounts.models import User

    settings.SEED_DEMO = False
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out, stderr=StringIO())
    assert not User.objects.exists()
    assert "SEED_DEMO" in out.getvalue()


def test_seed_demo_setting_is_off_unless_asked_for():
    command = [sys.executable, "-c", "import anwariya.settings as s; print(s.SEED_DEMO)"]
    unset = {key: value for key, value in os.environ.items() if key != "SEED_DEMO"}
    off = subprocess.run(command, cwd=BASE_DIR, env=unset, capture_output=True, text=True, timeout=60)
    on = subprocess.run(command, cwd=BASE_DIR, env={**unset, "SEED_DEMO": "true"}, capture_output=True, text=True)
    assert (off.stdout.strip(), on.stdout.strip()) == ("False", "True"), off.stderr + on.stderr


@pytest.mark.django_db
def test_post_to_unknown_api_url_is_json_404_not_csrf_page(client):
    vendor = VendorFactory()
    client.force_login(vendor)
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(vendor)
    response = csrf_client.post("/api/v1/auth/token", {"email": "x"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_empty_values_from_env_example_fall_back_to_defaults(tmp_path):
    env = {"DATABASE_URL": "", "EMAIL_URL": "", "REDIS_URL": ""}
    result = _manage("check", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree():
    from io import StringIO

    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())
