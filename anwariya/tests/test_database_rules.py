"""Unique rules hold on every database, also those that ignore conditional and expression unique
constraints (MariaDB, MySQL): real threads write the same value at once, and one wins.

On PostgreSQL the index decides; on MariaDB the services' ``unique_rule_lock``. The same tests run
on both (and are skipped on SQLite, which has no row locks)."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection

from accounts.models import User
from accounts.services import AccountError, user_create
from accounts.tests.factories import InfluencerFactory, VendorFactory, give_tokens
from anwariya.checks import (
    check_time_zone_tables,
    check_unique_rules_enforced,
    missing_time_zone,
    zone_tables_error,
)
from anwariya.db import SERVICE_ENFORCED, constraint_named, database_enforces, unenforced_unique_constraints
from anwariya.tests.concurrency import run_concurrently
from billing.importing import sales_import
from billing.models import Bill
from catalog.models import Product
from catalog.services import CatalogError, product_create
from chat.models import Chat, Message, TelegramMessage
from chat.services import chat_open
from chat.telegram.services import telegram_message_queue

THREADS = 6


def _outcomes(results):
    """Each thread's result, with the exceptions the test expects named by their class."""
    return [type(result).__name__ if isinstance(result, Exception) else "ok" for result in results]


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_parallel_sign_ups_with_one_email_in_any_case_make_one_account():
    def sign_up(index):
        email = "Asha.Rao@Example.com" if index % 2 else "asha.rao@example.com"
        return user_create(email=email, password="a-long-pass-2026!", role="influencer", display_name=f"Asha {index}")

    results = run_concurrently(sign_up, THREADS)

    assert sorted(_outcomes(results)) == ["AccountError"] * (THREADS - 1) + ["ok"], results
    refused = next(result for result in results if isinstance(result, AccountError))
    assert refused.errors == {"email": ["An account with this email address already exists."]}
    assert User.objects.filter(email__iexact="asha.rao@example.com").count() == 1


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_parallel_products_with_one_sku_in_any_case_make_one_product():
    vendor = VendorFactory()

    def create(index):
        sku = "chai-1" if index % 2 else "CHAI-1"
        return product_create(
            vendor=vendor, name="Chai", sku=sku, cost_price=Decimal("10.00"), sale_price=Decimal("20.00")
        )

    results = run_concurrently(create, THREADS)

    assert sorted(_outcomes(results)) == ["CatalogError"] * (THREADS - 1) + ["ok"], results
    assert all("sku" in result.errors for result in results if isinstance(result, CatalogError))
    assert Product.objects.filter(vendor=vendor).count() == 1


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_parallel_chat_openings_of_one_pair_make_one_chat_and_charge_once():
    vendor, influencer = VendorFactory(), InfluencerFactory()
    give_tokens(vendor, 100)

    results = run_concurrently(lambda index: chat_open(actor=vendor, other=influencer), THREADS)

    assert _outcomes(results) == ["ok"] * THREADS, results
    assert sorted(created for _, created in results) == [False] * (THREADS - 1) + [True]
    assert len({chat.pk for chat, _ in results}) == 1
    assert Chat.objects.filter(vendor=vendor, influencer=influencer, campaign=None).count() == 1
    assert vendor.wallet.transactions.filter(kind="spend").count() <= 1


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_parallel_imports_of_one_file_write_each_bill_once():
    vendor = VendorFactory()
    text = (
        "date,bill_ref,product,sku,category,quantity,unit_price\n"
        "2025-03-01,S-1,Tea,TEA-1,Drinks,2,250.00\n"
        "2025-03-02,S-2,Tea,TEA-1,Drinks,1,250.00\n"
    )

    results = run_concurrently(lambda index: sales_import(vendor=vendor, rows=text), 4)

    # The first writes both bills; the others skip them (MariaDB: they waited their turn) or are
    # refused, writing nothing (PostgreSQL: an index stopped their new category, product or
    # bills, and the error names that field). None writes a bill twice.
    outcomes = {type(result).__name__ for result in results}
    assert outcomes <= {"ImportResult", "ImportConflict", "CatalogError"}, results
    assert all(set(result.errors) <= {"sku", "slug"} for result in results if isinstance(result, CatalogError))
    created = [result.created_bills for result in results if type(result).__name__ == "ImportResult"]
    assert sum(created) == 2, results
    assert sorted(Bill.objects.filter(vendor=vendor).values_list("import_ref", flat=True)) == ["S-1", "S-2"]
    assert Product.objects.filter(vendor=vendor, sku__iexact="tea-1").count() == 1


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_parallel_notifications_of_one_message_to_one_recipient_queue_one():
    vendor, influencer = VendorFactory(), InfluencerFactory()
    chat = Chat.objects.create(vendor=vendor, influencer=influencer)
    message = Message.objects.create(chat=chat, sender=vendor, text="Namaste 🙏 नमस्ते")

    def queue(index):
        return telegram_message_queue(
            telegram_chat_id=555, text="New message", kind="notification", user=influencer, chat=chat, message=message
        ).pk

    results = run_concurrently(queue, THREADS)

    if database_enforces(constraint_named(TelegramMessage, "telegram_message_one_notification_per_recipient")):
        # The index refuses the later ones (the callers queue once per message).
        assert _outcomes(results).count("ok") == 1, results
    else:
        assert _outcomes(results) == ["ok"] * THREADS, results
        assert len(set(results)) == 1
    assert TelegramMessage.objects.filter(message=message, user=influencer).count() == 1
    assert Message.objects.get(pk=message.pk).text == "Namaste 🙏 नमस्ते"


# --- What the checks say about this database ------------------------------------------------


@pytest.mark.django_db
def test_every_unique_rule_the_database_ignores_is_enforced_by_a_service():
    assert check_unique_rules_enforced(databases=["default"]) == []
    for label in SERVICE_ENFORCED:
        app_model, name = label.rsplit(".", 1)
        constraint_named(apps.get_model(app_model), name)  # names a real constraint
    ignored = {f"{model._meta.label}.{constraint.name}" for model, constraint in unenforced_unique_constraints()}
    if connection.vendor == "mysql" and connection.mysql_is_mariadb:
        assert "accounts.User.user_email_unique_ignoring_case" in ignored
        assert "billing.Bill.bill_import_ref_unique_per_vendor" in ignored
    elif connection.vendor in ("postgresql", "sqlite"):
        assert ignored == set()


@pytest.mark.django_db
def test_zone_tables_check_names_a_zone_the_server_cannot_convert_to():
    assert check_time_zone_tables(databases=["default"]) == []
    if connection.vendor != "mysql":
        assert zone_tables_error("default", "Nowhere/Atlantis") is None
        pytest.skip("time-zone tables are a MySQL/MariaDB matter")
    # The tables are loaded here; a zone they lack is what every zone is without them.
    assert not missing_time_zone("default", "Asia/Kolkata")
    error = zone_tables_error("default", "Nowhere/Atlantis")
    assert error.id == "anwariya.E001"
    assert "cannot convert times to Nowhere/Atlantis" in error.msg
    assert "mariadb-tzinfo-to-sql" in error.hint
