"""What apps above ``billing`` do about a referred bill, without billing importing them.

``collaborations`` imports ``billing`` (an attributed bill earns commission); billing never
imports collaborations. So ``billing.services`` announces a referred bill here and collaborations
registers what it does about it in ``collaborations.apps.CollaborationsConfig.ready``:

* ``on_referred_bill_created(callback)``: ``callback(bill)`` runs when ``bill_create`` has made a
  bill that carries a referral (an accepted ``campaigns.Application``), with its total;
* ``on_referred_bill_voided(callback)``: ``callback(bill)`` runs when ``bill_void`` voids one.

The callbacks run inside the bill's transaction, before it commits, in the order they were
registered: what they write commits with the bill, and an exception one raises undoes the sale
(or the void) and reaches the caller. A bill without a referral runs no callback, so a plain sale
costs nothing more. Imported history (``billing.importing``) runs none either: it is a record of
the past, not a sale made through a collaboration, and earns no commission.
"""

from collections.abc import Callable

from billing.models import Bill

BillCallback = Callable[[Bill], object]

_created_callbacks: list[BillCallback] = []
_voided_callbacks: list[BillCallback] = []


def on_referred_bill_created(callback: BillCallback) -> BillCallback:
    """Run ``callback(bill)`` inside ``bill_create``'s transaction for each new bill with a
    referral. Registered twice, it still runs once. Returns the callback."""
    if callback not in _created_callbacks:
        _created_callbacks.append(callback)
    return callback


def on_referred_bill_voided(callback: BillCallback) -> BillCallback:
    """Run ``callback(bill)`` inside ``bill_void``'s transaction for each voided bill with a
    referral (the bill is already marked void). Registered twice, it still runs once."""
    if callback not in _voided_callbacks:
        _voided_callbacks.append(callback)
    return callback


def referred_bill_created(bill: Bill) -> None:
    """Called by ``billing.services.bill_create`` inside its transaction."""
    if bill.referral_id is None or bill.is_imported:
        return
    for callback in tuple(_created_callbacks):
        callback(bill)


def referred_bill_voided(bill: Bill) -> None:
    """Called by ``billing.services.bill_void`` inside its transaction."""
    if bill.referral_id is None or bill.is_imported:
        return
    for callback in tuple(_voided_callbacks):
        callback(bill)
