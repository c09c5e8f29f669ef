"""Paying the influencer (as the vendor records it) and staff corrections of the balances.

No money moves through Anwariya: the vendor pays by UPI, bank transfer or otherwise, and records
it here; the record moves the amount from ``payable`` to ``paid`` in the ledger. The
collaboration's row is locked before ``payable`` is read, so two payouts recorded at once take
turns and the second sees what the first left: nothing is paid twice.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from anwariya.errors import Conflict
from anwariya.inputs import as_decimal
from anwariya.money import format_money
from collaborations.ledger import ZERO, collaboration_lock, ledger_post
from collaborations.models import Collaboration, LedgerEntry, Payout
from collaborations.services import CollaborationError, NotAllowed, notify

Kind = LedgerEntry.Kind
MIN_AMOUNT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # what a ledger amount (14 digits, 2 places) can hold
REFERENCE_MAX = Payout._meta.get_field("reference").max_length
PAYOUT_NOTE_MAX = Payout._meta.get_field("note").max_length
ADJUSTMENT_NOTE_MAX = LedgerEntry._meta.get_field("note").max_length
EARLIEST_PAID_ON = datetime.date(2000, 1, 1)


class OverPayable(Conflict):
    code = "over_payable"


def payout_record(
    *,
    collaboration: Collaboration,
    actor: User,
    amount,
    method: str,
    reference: str = "",
    paid_on: datetime.date | None = None,
    note: str = "",
) -> Payout:
    """The vendor records that they paid the influencer ``amount`` (at most what is payable now)."""
    if actor.pk != collaboration.vendor_id:
        raise NotAllowed("Only the collaboration's vendor records payouts.")
    amount, method, reference, paid_on, note = _clean_payout(amount, method, reference, paid_on, note)
    with transaction.atomic():
        locked = collaboration_lock(collaboration)
        if amount > locked.payable:
            owed = format_money(max(locked.payable, ZERO), settings.CURRENCY)
            message = f"At most {owed} is payable now." if locked.payable > 0 else "Nothing is payable now."
            raise OverPayable(f"The payout is more than what is payable. {message}", errors={"amount": [message]})
        now = timezone.now()
        payout = Payout.objects.create(
            collaboration=locked,
            amount=amount,
            currency=settings.CURRENCY,
            method=method,
            reference=reference,
            paid_on=paid_on,
            note=note,
            created_by=actor,
            created_at=now,
        )
        ledger_post(
            locked,
            Kind.PAYOUT,
            payable=-amount,
            paid=amount,
            currency=payout.currency,
            now=now,
            payout=payout,
            created_by=actor,
            note=f"{payout.get_method_display()}" + (f" {reference}" if reference else ""),
        )
        via = payout.get_method_display() + (f", reference {reference}" if reference else "")
        notify(
            locked,
            actor,
            f"Recorded a payout of {format_money(amount, payout.currency)} for “{locked.campaign.title}” "
            f"({via}, paid on {paid_on:%d %b %Y}).",
            subject=f"Payout recorded for “{locked.campaign.title}”",
        )
    _copy_balances(collaboration, locked)
    return payout


def ledger_adjust(*, collaboration: Collaboration, actor: User, held=0, payable=0, note: str) -> LedgerEntry:
    """Staff correct the balances with an ``adjustment`` row (to ``held``, ``payable`` or both),
    saying why. ``held`` cannot go below what unreleased earnings still hold (their release or
    reversal takes it), and ``paid`` changes only with payouts."""
    if not actor.is_staff:
        raise NotAllowed("Only the platform's staff adjust a ledger.")
    errors = {}
    amounts = {}
    for field, value in (("held", held), ("payable", payable)):
        number = as_decimal(value if value not in (None, "") else 0)
        if number is None or abs(number) > MAX_AMOUNT:
            errors[field] = [f"Give an amount from -{MAX_AMOUNT} to {MAX_AMOUNT}."]
        elif number != number.quantize(Decimal("0.01")):
            errors[field] = ["At most 2 decimal places."]
        else:
            amounts[field] = number.quantize(Decimal("0.01"))
    note = note.strip() if isinstance(note, str) else ""
    if not note:
        errors["note"] = ["Say why the balances change."]
    elif len(note) > ADJUSTMENT_NOTE_MAX:
        errors["note"] = [f"Ensure this field has no more than {ADJUSTMENT_NOTE_MAX} characters."]
    if not errors and not (amounts["held"] or amounts["payable"]):
        errors["payable"] = ["Change held or payable (or both) by an amount other than 0."]
    if errors:
        raise CollaborationError("The adjustment has errors.", errors=errors)
    with transaction.atomic():
        locked = collaboration_lock(collaboration)
        outstanding = _held_by_earnings(locked)
        if locked.held + amounts["held"] < outstanding:
            raise Conflict(
                "Held cannot go below what unreleased earnings hold.",
                errors={"held": [f"Held can go down to {outstanding} (the earnings still in their hold period)."]},
            )
        entry = ledger_post(
            locked,
            Kind.ADJUSTMENT,
            held=amounts["held"],
            payable=amounts["payable"],
            currency=settings.CURRENCY,
            created_by=actor,
            note=note,
        )
    _copy_balances(collaboration, locked)
    return entry


def _held_by_earnings(collaboration) -> Decimal:
    """What the collaboration's earnings not yet released nor reversed hold: their amounts less
    what returns took back of them from held."""
    settled = LedgerEntry.objects.filter(
        collaboration=collaboration, kind__in=[Kind.RELEASED, Kind.REVERSED], earning__isnull=False
    ).values("earning_id")
    held = LedgerEntry.objects.filter(collaboration=collaboration).filter(
        Q(kind=Kind.EARNED) & ~Q(pk__in=settled) | Q(kind=Kind.RETURNED) & ~Q(earning_id__in=settled)
    )
    return held.aggregate(total=Coalesce(Sum("held"), ZERO))["total"]


def _clean_payout(amount, method, reference, paid_on, note):
    errors = {}
    number = as_decimal(amount)
    if number is None or not (Decimal(0) < number <= MAX_AMOUNT):
        errors["amount"] = [f"Give an amount above 0, at most {MAX_AMOUNT}."]
    elif number != number.quantize(Decimal("0.01")):
        errors["amount"] = ["At most 2 decimal places."]
    if method not in Payout.Method.values:
        errors["method"] = [f"Choose one of: {', '.join(Payout.Method.values)}."]
    texts = {}
    for field, value, limit in (("reference", reference, REFERENCE_MAX), ("note", note, PAYOUT_NOTE_MAX)):
        if value is not None and not isinstance(value, str):
            errors[field] = ["Give a text."]
            continue
        texts[field] = (value or "").strip()
        if len(texts[field]) > limit:
            errors[field] = [f"Ensure this field has no more than {limit} characters."]
    today = timezone.localdate()
    paid_on = paid_on or today
    if not isinstance(paid_on, datetime.date) or isinstance(paid_on, datetime.datetime):
        errors["paid_on"] = ["Give a date (YYYY-MM-DD)."]
    elif paid_on > today:
        errors["paid_on"] = ["The payment date is in the future: record a payout once it is made."]
    elif paid_on < EARLIEST_PAID_ON:
        errors["paid_on"] = [f"Give a date from {EARLIEST_PAID_ON:%Y} on."]
    if errors:
        raise CollaborationError("The payout has errors.", errors=errors)
    return number.quantize(Decimal("0.01")), method, texts["reference"], paid_on, texts["note"]


def _copy_balances(target, source):
    for field in ("held", "payable", "paid", "updated_at"):
        setattr(target, field, getattr(source, field))
