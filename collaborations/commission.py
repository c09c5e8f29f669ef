"""Commission on attributed sales: earned with the bill, held, released, reversed with a void.

A bill that carries a collaboration's referral code (``billing.hooks``) earns the influencer the
commission rate of the terms in force when the bill was made × the bill's amount before tax
(``commission_base``), rounded to the paisa (half up). It earns nothing when the collaboration is
cancelled, has no accepted terms yet, or its rate is 0; imported history earns nothing either
(billing runs no hook for it: those sales were not made through a collaboration's link or code).

The earning is ``held`` for ``COLLAB_COMMISSION_HOLD_DAYS`` (returns and voids come early), then
released to ``payable`` (``commission_release_due``: the beat task ``commission_release`` and the
command ``collaborations_release_commission``). A voided bill reverses its earning: from ``held``
if it was not released yet, else from ``payable``, which goes below zero when the commission was
paid already (the clawback, set against what the influencer earns next). A partial return
(``billing.returns``, a credit note) takes back the commission of the goods that came back, the
same way; the hold then releases only what stands.

Every change goes through ``collaborations.ledger`` with the collaboration locked; the database's
one-earning-per-bill, one-release and one-reversal-per-earning rules are also checked here, under
that lock, for databases that ignore conditional unique constraints (MariaDB).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from billing.models import Bill, CreditNote
from collaborations.ledger import collaboration_lock, ledger_post
from collaborations.models import Collaboration, LedgerEntry, TermsVersion

Kind = LedgerEntry.Kind
PAISA = Decimal("0.01")
ZERO = Decimal("0.00")


def commission_base(bill: Bill) -> Decimal:
    """The amount of ``bill`` that commission is a percentage of: its taxable value (the amount
    before tax; GST collected is the government's, not a sale), less what came back on credit
    notes. ``results.attributed_amount`` is its twin in SQL."""
    return bill.taxable_total - bill.returned_taxable


def commission_amount(base: Decimal, rate: Decimal) -> Decimal:
    """``rate`` percent of ``base``, rounded to the paisa, half up."""
    return (Decimal(base) * Decimal(rate) / 100).quantize(PAISA, rounding=ROUND_HALF_UP)


def terms_in_force(collaboration: Collaboration, at: datetime.datetime) -> TermsVersion | None:
    """The accepted version of the terms that applied at ``at``: the latest accepted by then (an
    earlier accepted version stays in force while a newer one waits for an answer)."""
    return (
        TermsVersion.objects.filter(
            collaboration=collaboration, status=TermsVersion.Status.ACCEPTED, accepted_at__lte=at
        )
        .order_by("-accepted_at", "-number")
        .first()
    )


def commission_earn(bill: Bill) -> LedgerEntry | None:
    """Book the commission ``bill`` earns its collaboration, held until the hold ends; None when
    it earns none. Registered with ``billing.hooks.on_referred_bill_created``: runs in the bill's
    transaction."""
    if bill.referral_id is None or bill.is_imported or bill.status != Bill.Status.PAID:
        return None
    collaboration_id = (
        Collaboration.objects.filter(application_id=bill.referral_id).values_list("pk", flat=True).first()
    )
    if collaboration_id is None:
        return None
    with transaction.atomic(savepoint=False):  # the bill's own transaction, when billing calls
        locked = collaboration_lock(Collaboration(pk=collaboration_id))
        if locked.stage == Collaboration.Stage.CANCELLED:
            return None
        existing = LedgerEntry.objects.filter(kind=Kind.EARNED, bill=bill).first()
        if existing is not None:
            return existing
        terms = terms_in_force(locked, bill.created_at)
        if terms is None or terms.commission_rate <= 0:
            return None
        base = commission_base(bill)
        amount = commission_amount(base, terms.commission_rate)
        if amount <= 0:
            return None
        now = timezone.now()
        return ledger_post(
            locked,
            Kind.EARNED,
            held=amount,
            currency=bill.currency,
            now=now,
            bill=bill,
            base_amount=base,
            rate=terms.commission_rate,
            release_at=now + datetime.timedelta(days=settings.COLLAB_COMMISSION_HOLD_DAYS),
            note=f"{terms.commission_rate}% of {bill.number} (terms v{terms.number})",
        )


def standing(earning: LedgerEntry) -> Decimal:
    """What stands of ``earning``: its amount less what returns took back of it (their rows'
    amounts are negative). Read under the collaboration's lock."""
    taken = LedgerEntry.objects.filter(earning=earning, kind=Kind.RETURNED).aggregate(
        total=Coalesce(Sum(F("held") + F("payable")), ZERO)
    )["total"]
    return earning.held + taken


def commission_reverse(bill: Bill) -> LedgerEntry | None:
    """Take back what stands of voided ``bill``'s earning: from ``held`` before the release, from
    ``payable`` after it (payable may go negative). None when it earned nothing or was reversed
    already. Registered with ``billing.hooks.on_referred_bill_voided``: runs in the void's transaction."""
    earning = LedgerEntry.objects.filter(kind=Kind.EARNED, bill=bill).first()
    if earning is None:
        return None
    with transaction.atomic(savepoint=False):  # the void's own transaction, when billing calls
        locked = collaboration_lock(Collaboration(pk=earning.collaboration_id))
        followers = set(LedgerEntry.objects.filter(earning=earning).values_list("kind", flat=True))
        if Kind.REVERSED in followers:
            return None
        released = Kind.RELEASED in followers
        return _take_back(
            locked,
            earning,
            standing(earning),
            Kind.REVERSED,
            released,
            bill=bill,
            note=f"{bill.number} was voided" + (" after the commission was released" if released else ""),
        )


def commission_return(credit_note: CreditNote) -> LedgerEntry | None:
    """Take back the commission of what ``credit_note`` returned: the earning's rate × the credit
    note's taxable value, rounded to the paisa, never more than stands of the earning; when the
    bill has nothing left to return, all that stands (so the returns of a whole bill take back
    exactly what it earned, as a void would). From ``held`` before the release, from ``payable``
    after it. None when the bill earned nothing, or its earning was reversed already. Registered
    with ``billing.hooks.on_referred_bill_returned``: runs in the return's transaction."""
    bill = credit_note.bill
    earning = LedgerEntry.objects.filter(kind=Kind.EARNED, bill=bill).first()
    if earning is None:
        return None
    with transaction.atomic(savepoint=False):  # the return's own transaction, when billing calls
        locked = collaboration_lock(Collaboration(pk=earning.collaboration_id))
        existing = LedgerEntry.objects.filter(credit_note=credit_note).first()
        if existing is not None:
            return existing
        followers = set(LedgerEntry.objects.filter(earning=earning).values_list("kind", flat=True))
        if Kind.REVERSED in followers:
            return None
        stands = standing(earning)
        everything_back = bill.returned_taxable >= bill.taxable_total
        amount = stands if everything_back else min(commission_amount(credit_note.taxable_total, earning.rate), stands)
        if amount <= 0:
            return None
        return _take_back(
            locked,
            earning,
            amount,
            Kind.REVERSED if amount == stands else Kind.RETURNED,
            Kind.RELEASED in followers,
            bill=bill,
            credit_note=credit_note,
            note=f"{credit_note.number} returned goods of {bill.number}",
        )


def _take_back(locked, earning, amount, kind, released, **refs) -> LedgerEntry:
    return ledger_post(
        locked,
        kind,
        held=0 if released else -amount,
        payable=-amount if released else 0,
        currency=earning.currency,
        earning=earning,
        **refs,
    )


def earnings_due(now=None):
    """Earnings whose hold has ended, neither released nor reversed yet, the oldest first."""
    now = now or timezone.now()
    settled = LedgerEntry.objects.filter(earning=OuterRef("pk"), kind__in=[Kind.RELEASED, Kind.REVERSED])
    return (
        LedgerEntry.objects.filter(kind=Kind.EARNED, release_at__lte=now)
        .filter(~Exists(settled))
        .order_by("release_at", "pk")
    )


def commission_release(earning: LedgerEntry, *, now=None) -> LedgerEntry | None:
    """Release one earning whose hold has ended to ``payable``, in its own short transaction;
    None when it is not due, or was released or reversed meanwhile."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = collaboration_lock(Collaboration(pk=earning.collaboration_id))
        if earning.kind != Kind.EARNED or earning.release_at > now:
            return None
        if LedgerEntry.objects.filter(earning=earning, kind__in=[Kind.RELEASED, Kind.REVERSED]).exists():
            return None
        amount = standing(earning)
        return ledger_post(
            locked,
            Kind.RELEASED,
            held=-amount,
            payable=amount,
            currency=earning.currency,
            earning=earning,
            bill_id=earning.bill_id,
            note="The hold period ended",
        )


def commission_release_due(*, now=None, progress=None) -> int:
    """Release every earning due (``earnings_due``), each in its own transaction; returns how
    many were released. ``progress(iterable, total)`` may wrap the loop (a progress bar)."""
    now = now or timezone.now()
    due = list(earnings_due(now).only("pk", "collaboration_id", "kind", "held", "currency", "release_at", "bill_id"))
    rows = progress(due, len(due)) if progress else due
    return sum(commission_release(earning, now=now) is not None for earning in rows)
