"""Reads of the money owed to influencers: a collaboration's ledger and payouts, an influencer's
earnings and what a vendor owes each influencer. Callers pass collaborations they may see
(``selectors.collaboration_for_user``) or the user whose money it is."""

from django.conf import settings
from django.db.models import Count, DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from collaborations.models import Collaboration, LedgerEntry, Payout
from collaborations.selectors import collaborations_for_user

ZERO = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))


def ledger_of_collaboration(collaboration: Collaboration) -> QuerySet[LedgerEntry]:
    """Its ledger rows, newest first, with the bill each is about."""
    return (
        LedgerEntry.objects.filter(collaboration=collaboration)
        .select_related("bill", "payout")
        .order_by("-created_at", "-pk")
    )


def payouts_of_collaboration(collaboration: Collaboration) -> QuerySet[Payout]:
    return Payout.objects.filter(collaboration=collaboration).order_by("-paid_on", "-pk")


def balances_of(collaboration: Collaboration) -> dict:
    return {
        "held": collaboration.held,
        "payable": collaboration.payable,
        "paid": collaboration.paid,
        "currency": settings.CURRENCY,
    }


def _money_totals(queryset) -> dict:
    totals = queryset.aggregate(
        held=Coalesce(Sum("held"), ZERO), payable=Coalesce(Sum("payable"), ZERO), paid=Coalesce(Sum("paid"), ZERO)
    )
    return {**totals, "currency": settings.CURRENCY}


def earnings_of_influencer(user: User) -> QuerySet[Collaboration]:
    """The influencer's collaborations with money on them (or terms that may earn), newest first."""
    return collaborations_for_user(user).filter(influencer=user)


def earnings_totals(user: User) -> dict:
    return _money_totals(Collaboration.objects.filter(influencer=user))


def owed_by_vendor(vendor: User) -> QuerySet:
    """What ``vendor`` owes each influencer: one row per influencer with the sums over their
    collaborations (``held``, ``payable``, ``paid``, ``collaborations``), the most payable first."""
    return (
        Collaboration.objects.filter(vendor=vendor)
        .values("influencer_id", "influencer__display_name", "influencer__email")
        .annotate(
            held_total=Coalesce(Sum("held"), ZERO),
            payable_total=Coalesce(Sum("payable"), ZERO),
            paid_total=Coalesce(Sum("paid"), ZERO),
            collaborations=Count("pk"),
        )
        .order_by("-payable_total", "influencer__display_name", "influencer_id")
    )


def owed_totals(vendor: User) -> dict:
    return _money_totals(Collaboration.objects.filter(vendor=vendor))
