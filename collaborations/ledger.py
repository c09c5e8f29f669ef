"""The one writer of the money owed to influencers: every change is a ``LedgerEntry`` row, written
with the collaboration's balances in the same transaction.

Callers lock the collaboration (``collaboration_lock``) for the whole of what they decide, read
its balances from that locked row, and post with ``ledger_post``: the row records the balances
after it, and the database refuses a row whose amounts do not fit its kind or that would take
``held`` or ``paid`` below zero (``LedgerEntry``'s constraints), so a bug cannot write a ledger
that does not add up.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from anwariya.db import select_for_update_own_rows
from collaborations.models import Collaboration, LedgerEntry

ZERO = Decimal("0.00")


def collaboration_lock(collaboration) -> Collaboration:
    """The collaboration's row, locked for the rest of the transaction (``select_for_update``),
    with its campaign and both parties."""
    return select_for_update_own_rows(
        Collaboration.objects.filter(pk=collaboration.pk).select_related("campaign", "vendor", "influencer")
    ).get()


def ledger_post(
    locked: Collaboration,
    kind: str,
    *,
    held=ZERO,
    payable=ZERO,
    paid=ZERO,
    currency: str,
    now=None,
    **refs,
) -> LedgerEntry:
    """Book one change of ``locked``'s balances (a collaboration from ``collaboration_lock``, in
    the same transaction) and return its row. ``refs`` are the row's references: ``bill``,
    ``base_amount``, ``rate``, ``release_at``, ``earning``, ``payout``, ``note``, ``created_by``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_post must run inside the transaction that locked the collaboration.")
    now = now or timezone.now()
    held, payable, paid = Decimal(held), Decimal(payable), Decimal(paid)
    locked.held += held
    locked.payable += payable
    locked.paid += paid
    entry = LedgerEntry.objects.create(
        collaboration=locked,
        kind=kind,
        held=held,
        payable=payable,
        paid=paid,
        held_after=locked.held,
        payable_after=locked.payable,
        paid_after=locked.paid,
        currency=currency,
        created_at=now,
        **refs,
    )
    locked.updated_at = now
    locked.save(update_fields=["held", "payable", "paid", "updated_at"])
    return entry
