"""The token wallet: every change of a balance is a ledger row written in the same transaction.

Writes take the wallet row with a conditional ``UPDATE`` (``balance >= amount`` for a spend), so
two parallel spends can never take the balance below zero, on SQLite and on PostgreSQL alike;
the ``wallet_balance_not_negative`` constraint is the backstop. Each write runs in its own
``atomic`` block, so it also works (as a savepoint) inside a caller's transaction.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from accounts.models import User, Wallet, WalletTransaction
from anwariya.db import duplicate_inserts_hold_locks
from anwariya.errors import DomainError

# The most tokens one change may move; larger numbers are typing mistakes.
MAX_TOKEN_AMOUNT = 1_000_000
MAX_REASON_LENGTH = WalletTransaction._meta.get_field("reason").max_length
MAX_REFERENCE_LENGTH = WalletTransaction._meta.get_field("reference").max_length

Kind = WalletTransaction.Kind


class WalletError(DomainError):
    code = "invalid"


class InsufficientTokens(DomainError):
    """The balance is short of the price; nothing was written. ``extra``: ``balance``, ``price``."""

    status_code = 402
    code = "insufficient_tokens"
    default_detail = "Not enough tokens."

    def __init__(self, *, balance: int, price: int):
        super().__init__(f"You need {price} tokens; your balance is {balance}.", balance=balance, price=price)


class NegativeBalance(WalletError):
    code = "negative_balance"


# --- Reads ---------------------------------------------------------------------------


def wallet_for_user(user: User) -> Wallet:
    """The user's wallet, created empty for users from before wallets existed."""
    wallet = Wallet.objects.filter(user=user).first()
    if wallet is None:
        with transaction.atomic():
            if duplicate_inserts_hold_locks():
                # Openers of one user's first wallet queue on the user's row: a refused duplicate
                # insert keeps a shared lock on the new wallet, and two such holders deadlock
                # when both then update its balance.
                User.objects.select_for_update().filter(pk=user.pk).exists()
            wallet, _ = Wallet.objects.get_or_create(user=user)
    return wallet


def wallet_transactions(user: User, *, kind: str | None = None) -> QuerySet[WalletTransaction]:
    """The user's ledger, newest first; only their own rows, whoever asks."""
    transactions = WalletTransaction.objects.filter(wallet__user=user).order_by("-created_at", "-pk")
    if kind:
        transactions = transactions.filter(kind=kind)
    return transactions


def wallet_prices() -> dict[str, int]:
    """What actions cost in tokens, as configured now."""
    return {
        "contact": settings.TOKEN_PRICE_CONTACT,
        "application": settings.TOKEN_PRICE_APPLICATION,
        "free_applications_per_month": settings.TOKEN_FREE_APPLICATIONS_PER_MONTH,
        "broadcast_recipient": settings.TOKEN_PRICE_BROADCAST_RECIPIENT,
    }


# --- Writes --------------------------------------------------------------------------


def wallet_spend(*, user: User, amount: int, reason: str, reference: str = "", actor=None) -> WalletTransaction:
    """Take ``amount`` tokens from the user's wallet, or raise ``InsufficientTokens`` writing nothing."""
    amount = _positive_amount(amount)
    reason, reference = _texts(reason, reference)
    with transaction.atomic():
        wallet = wallet_for_user(user)
        taken = Wallet.objects.filter(pk=wallet.pk, balance__gte=amount).update(
            balance=F("balance") - amount, updated_at=timezone.now()
        )
        if not taken:
            balance = Wallet.objects.values_list("balance", flat=True).get(pk=wallet.pk)
            raise InsufficientTokens(balance=balance, price=amount)
        return _record(wallet, kind=Kind.SPEND, amount=-amount, reason=reason, reference=reference, actor=actor)


def wallet_grant(
    *, user: User, amount: int, reason: str, kind: str = Kind.GRANT, reference: str = "", actor=None
) -> WalletTransaction:
    """Add ``amount`` tokens: a grant (signup, admin gift) or a refund of an earlier spend."""
    if kind not in (Kind.GRANT, Kind.REFUND):
        raise WalletError(errors={"kind": [f"Choose {Kind.GRANT} or {Kind.REFUND}."]})
    amount = _positive_amount(amount)
    reason, reference = _texts(reason, reference)
    with transaction.atomic():
        wallet = wallet_for_user(user)
        Wallet.objects.filter(pk=wallet.pk).update(balance=F("balance") + amount, updated_at=timezone.now())
        return _record(wallet, kind=kind, amount=amount, reason=reason, reference=reference, actor=actor)


def wallet_adjust(*, user: User, amount: int, reason: str, actor) -> WalletTransaction:
    """An admin's correction, up or down; refused (``NegativeBalance``) below zero."""
    amount = _whole_number(amount)
    if amount == 0 or abs(amount) > MAX_TOKEN_AMOUNT:
        raise WalletError(
            "The amount must not be zero.",
            errors={"amount": [f"Enter a non-zero whole number between -{MAX_TOKEN_AMOUNT} and {MAX_TOKEN_AMOUNT}."]},
        )
    reason, reference = _texts(reason, "")
    with transaction.atomic():
        wallet = wallet_for_user(user)
        changed = Wallet.objects.filter(pk=wallet.pk, balance__gte=max(-amount, 0)).update(
            balance=F("balance") + amount, updated_at=timezone.now()
        )
        if not changed:
            balance = Wallet.objects.values_list("balance", flat=True).get(pk=wallet.pk)
            message = f"This would make the balance negative: it is {balance}."
            raise NegativeBalance(message, errors={"amount": [message]}, balance=balance)
        return _record(wallet, kind=Kind.ADJUSTMENT, amount=amount, reason=reason, reference=reference, actor=actor)


def wallet_forfeit(*, user: User, reason: str, actor=None) -> WalletTransaction | None:
    """Take the whole balance away (an account that closes), with its ledger row; ``None`` when
    the wallet is empty. The wallet row is locked first, so a parallel spend cannot slip in."""
    reason, reference = _texts(reason, "account closed")
    with transaction.atomic():
        wallet = wallet_for_user(user)
        balance = Wallet.objects.select_for_update().values_list("balance", flat=True).get(pk=wallet.pk)
        if balance <= 0:
            return None
        Wallet.objects.filter(pk=wallet.pk).update(balance=F("balance") - balance, updated_at=timezone.now())
        return _record(wallet, kind=Kind.ADJUSTMENT, amount=-balance, reason=reason, reference=reference, actor=actor)


def wallet_signup_grant(*, user: User) -> Wallet:
    """Open a new user's wallet with ``TOKEN_SIGNUP_GRANT`` tokens (none when it is 0)."""
    if settings.TOKEN_SIGNUP_GRANT > 0:
        wallet_grant(user=user, amount=settings.TOKEN_SIGNUP_GRANT, reason="Welcome tokens", reference="signup")
    return wallet_for_user(user)


def _record(wallet, *, kind, amount, reason, reference, actor) -> WalletTransaction:
    # The row is locked by our UPDATE until commit, so this read is the balance we made.
    wallet.balance, wallet.updated_at = Wallet.objects.values_list("balance", "updated_at").get(pk=wallet.pk)
    return WalletTransaction.objects.create(
        wallet=wallet,
        kind=kind,
        amount=amount,
        balance_after=wallet.balance,
        reason=reason,
        reference=reference,
        created_by=actor,
    )


def _whole_number(amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise WalletError("The amount must be a whole number of tokens.", errors={"amount": ["Enter a whole number."]})
    return amount


def _positive_amount(amount) -> int:
    amount = _whole_number(amount)
    if not 0 < amount <= MAX_TOKEN_AMOUNT:
        raise WalletError(
            "The amount must be a positive number of tokens.",
            errors={"amount": [f"Enter a whole number from 1 to {MAX_TOKEN_AMOUNT}."]},
        )
    return amount


def _texts(reason, reference) -> tuple[str, str]:
    reason, reference = (reason or "").strip(), (reference or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = ["This field is required."]
    elif len(reason) > MAX_REASON_LENGTH:
        errors["reason"] = [f"Ensure this field has no more than {MAX_REASON_LENGTH} characters."]
    if len(reference) > MAX_REFERENCE_LENGTH:
        errors["reference"] = [f"Ensure this field has no more than {MAX_REFERENCE_LENGTH} characters."]
    if errors:
        raise WalletError("Please correct the highlighted fields.", errors=errors)
    return reason, reference
