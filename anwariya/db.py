"""What the database backends differ in, handled in one place so services need not check vendors.

PostgreSQL and SQLite enforce every constraint the models declare. MariaDB creates no unique index
for a constraint with a ``condition`` or on an expression (``Lower("email")``), and MySQL none for
a ``condition``: there the service that writes such a rule checks it again while it holds
``unique_rule_lock``. ``SERVICE_ENFORCED`` names each such rule and where it is checked; the
system check ``anwariya.W001`` reports a constraint the database ignores that is not listed.
"""

import hashlib
from contextlib import contextmanager

from django.db import connection, connections, models, transaction

# "app_label.Model.constraint_name": where the service re-checks it under unique_rule_lock.
SERVICE_ENFORCED = {
    "accounts.User.user_email_unique_ignoring_case": "accounts.services.user_create, user_update",
    "catalog.Product.product_sku_unique_per_vendor": "catalog.services.products (create, update)",
    "billing.Bill.bill_import_ref_unique_per_vendor": "billing.importing.import_sales",
    "chat.Chat.chat_unique_per_campaign_and_pair": "chat.services.chat_open",
    "chat.Chat.chat_unique_per_pair_without_campaign": "chat.services.chat_open",
    "chat.TelegramMessage.telegram_message_unique_per_telegram_chat": "chat.telegram.services.telegram_message_deliver",
    "chat.TelegramMessage.telegram_message_one_notification_per_recipient": (
        "chat.telegram.services.telegram_message_queue"
    ),
    # Checked with the collaboration's row locked (collaborations.ledger.collaboration_lock).
    "collaborations.LedgerEntry.ledger_entry_one_earning_per_bill": "collaborations.commission.commission_earn",
    "collaborations.LedgerEntry.ledger_entry_earning_released_once": "collaborations.commission.commission_release",
    "collaborations.LedgerEntry.ledger_entry_earning_reversed_once": "collaborations.commission.commission_reverse",
    "collaborations.LedgerEntry.ledger_entry_one_fee_per_collaboration": (
        "collaborations.deliverables.deliverable_approve"
    ),
}

# Locks are rows of RuleLock, a rule's values hashed into this many: two values that share a row
# merely take turns. Each rule has rows of its own, so a service that holds two rules' locks (an
# import: its references, then its new SKUs) cannot wait in a circle with another.
RULE_LOCK_BUCKETS = 64


def database_enforces(constraint: models.UniqueConstraint, using="default") -> bool:
    """Whether the database ``using`` creates an index for ``constraint``."""
    features = connections[using].features
    if constraint.condition is not None and not features.supports_partial_indexes:
        return False
    return not (constraint.expressions and not features.supports_expression_indexes)


def constraint_named(model, name: str) -> models.UniqueConstraint:
    return next(constraint for constraint in model._meta.constraints if constraint.name == name)


def unique_rule_lock(model, constraint_name: str, *values) -> bool:
    """Inside a transaction: when the database ignores ``model``'s unique constraint
    ``constraint_name``, wait until no other transaction writes the same ``values`` of it, and
    hold that until this one ends; return True, and the caller checks the rule again now (what
    the others committed is visible under READ COMMITTED). Where the database enforces the
    constraint, return False at once: its index decides and the caller's IntegrityError handler
    reports it."""
    if database_enforces(constraint_named(model, constraint_name)):
        return False
    from anwariya.models import RuleLock

    rule = f"{model._meta.label}.{constraint_name}"
    values_key = "\x1f".join(str(value).lower() for value in values)
    bucket = int.from_bytes(hashlib.sha256(values_key.encode()).digest()[:4], "big") % RULE_LOCK_BUCKETS
    name = f"{rule}:{bucket}"
    if not RuleLock.objects.select_for_update().filter(name=name).exists():
        # rule_locks_create made the rows after migrate; a rule added since gets them now.
        RuleLock.objects.bulk_create([RuleLock(name=name)], ignore_conflicts=True)
        RuleLock.objects.select_for_update().filter(name=name).exists()
    return True


@contextmanager
def unique_rule_atomic(model, constraint_name: str, *values):
    """``unique_rule_lock`` for a caller outside a transaction: where the lock is needed, the
    block runs in a transaction of its own holding it, and ``as`` gives True; elsewhere the block
    runs as it is (no transaction added) and gives False."""
    if database_enforces(constraint_named(model, constraint_name)):
        yield False
        return
    with transaction.atomic():
        yield unique_rule_lock(model, constraint_name, *values)


def rule_locks_create(using="default", **kwargs) -> None:
    """Create the lock rows of every rule the database leaves to the services (after migrate,
    and after a test database flush, which sends the same signal). Rows made while requests
    wait on them could deadlock those requests, so they exist beforehand."""
    from anwariya.models import RuleLock

    if not any(True for _ in unenforced_unique_constraints(using)):
        return
    if RuleLock._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to before the table
    names = [f"{rule}:{bucket}" for rule in SERVICE_ENFORCED for bucket in range(RULE_LOCK_BUCKETS)]
    RuleLock.objects.using(using).bulk_create([RuleLock(name=name) for name in names], ignore_conflicts=True)


def duplicate_inserts_hold_locks() -> bool:
    """InnoDB (MariaDB, MySQL): an INSERT refused as a duplicate keeps a shared lock on the row it
    collided with until its transaction ends, so racing ``get_or_create`` callers that then update
    that row deadlock; such callers first queue on a parent row where this is True."""
    return connection.vendor == "mysql"


def can_return_rows_from_update() -> bool:
    """``UPDATE ... RETURNING``: PostgreSQL, and SQLite from 3.35 (when it also returns columns
    from an INSERT); MariaDB returns rows only from INSERT and DELETE."""
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and connection.features.can_return_columns_from_insert


def select_for_update_own_rows(queryset: models.QuerySet) -> models.QuerySet:
    """``queryset`` locking only its own model's rows, not those its ``select_related`` joins.

    PostgreSQL says so with ``FOR UPDATE OF``. MariaDB has no ``OF``: there the rows are locked by
    a query without joins first, and the queryset, evaluated after, reads rows this transaction
    already holds."""
    if connection.features.has_select_for_update_of:
        return queryset.select_for_update(of=("self",))
    if not queryset.query.select_related:
        return queryset.select_for_update()
    list(queryset.select_related(None).select_for_update().order_by("pk").values_list("pk", flat=True))
    return queryset


def unenforced_unique_constraints(using="default"):
    """Each unique constraint of the installed models that the database ``using`` ignores, as
    ``(model, constraint)``."""
    from django.apps import apps

    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and not database_enforces(constraint, using):
                yield model, constraint
