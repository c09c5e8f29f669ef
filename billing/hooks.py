"""What apps above ``billing`` do about a referred bill, without billing importing them.

``collaborations`` imports ``billing`` (an attributed bill earns commission); billing never
imports collaborations. So billing announces here what happened to a referred bill and
collaborations registers what it does about it in ``collaborations.apps.CollaborationsConfig.ready``:

* ``on_referred_bill_created(callback)``: ``callback(bill)`` runs when ``bill_create`` has made a
  bill that carries a referral (an accepted ``campaigns.Application``), with its totals;
* ``on_referred_bill_voided(callback)``: ``callback(bill)`` runs when ``bill_void`` voids one;
* ``on_referred_bill_returned(callback)``: ``callback(credit_note)`` runs when ``bill_return``
  takes back some of its lines: the credit note (``billing.models.CreditNote``) names the bill
  and, per line, the quantity returned and its taxable value (``credit_note.items``).

The callbacks run inside the service's transaction, before it commits, in the order they were
registered: what they write commits with the change, and an exception one raises undoes it (the
sale, the void or the return) and reaches the caller. A bill without a referral runs no callback,
so a plain sale costs nothing more. Imported history (``billing.importing``) runs none either: it
is a record of the past, not a sale made through a collaboration, and earns no commission.
"""

from collections.abc import Callable

from billing.models import Bill, CreditNote

BillCallback = Callable[[Bill], object]
CreditNoteCallback = Callable[[CreditNote], object]

_created_callbacks: list[BillCallback] = []
_voided_callbacks: list[BillCallback] = []
_returned_callbacks: list[CreditNoteCallback] = []


def _register(callbacks: list, callback):
    if callback not in callbacks:
        callbacks.append(callback)
    return callback


def on_referred_bill_created(callback: BillCallback) -> BillCallback:
    """Run ``callback(bill)`` inside ``bill_create``'s transaction for each new bill with a
    referral. Registered twice, it still runs once. Returns the callback."""
    return _register(_created_callbacks, callback)


def on_referred_bill_voided(callback: BillCallback) -> BillCallback:
    """Run ``callback(bill)`` inside ``bill_void``'s transaction for each voided bill with a
    referral (the bill is already marked void). Registered twice, it still runs once."""
    return _register(_voided_callbacks, callback)


def on_referred_bill_returned(callback: CreditNoteCallback) -> CreditNoteCallback:
    """Run ``callback(credit_note)`` inside ``bill_return``'s transaction for each credit note
    of a bill with a referral. Registered twice, it still runs once."""
    return _register(_returned_callbacks, callback)


def _referred(bill: Bill) -> bool:
    return bill.referral_id is not None and not bill.is_imported


def referred_bill_created(bill: Bill) -> None:
    """Called by ``billing.services.bill_create`` inside its transaction."""
    if _referred(bill):
        for callback in tuple(_created_callbacks):
            callback(bill)


def referred_bill_voided(bill: Bill) -> None:
    """Called by ``billing.services.bill_void`` inside its transaction."""
    if _referred(bill):
        for callback in tuple(_voided_callbacks):
            callback(bill)


def referred_bill_returned(credit_note: CreditNote) -> None:
    """Called by ``billing.returns.bill_return`` inside its transaction."""
    if _referred(credit_note.bill):
        for callback in tuple(_returned_callbacks):
            callback(credit_note)
