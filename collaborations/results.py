"""What collaborations brought and what they cost, read in the database (the definitions are also in
``docs/results.md``).

For a collaboration, over a range of days or all time:

* **clicks**, **unique_clicks**: the sums of its tracking link's ``ClickDay`` rows (days in the range);
* **bills**: its attributed bills, the paid (not void) bills whose ``referral`` is its application,
  created in the range; **revenue**: their amount before tax less what came back on credit notes
  (``attributed_amount``); **profit**: their ``profit`` less that of the returned goods;
* **fee**: the fee booked in its ledger (``fee`` rows in the range);
* **commission**: the commission that stands: earnings booked in the range less the reversals of
  those earnings (whenever reversed: a void, a return), so a voided bill takes back exactly what it
  had earned and a return what its goods had;
* **gift_cost**: its gift shipments at cost (``Shipment.cost``, made in the range), a returned
  one counting zero (its stock came back);
* **cost** = fee + commission + gift_cost; **roi_pct** = (profit - cost) / cost × 100 (None when
  nothing was spent); **cost_per_bill** = cost / bills (None without bills); **conversion_pct** =
  bills / unique clicks × 100 (None without clicks).

Every sum is a subquery of one query, so a page of rows costs the same number of queries as one
row; the three ratios are taken in ``ratios`` from those sums with exact decimals (the same on
every database). The balances (``held``, ``payable``, ``paid``), deliverables and products received
are where things stand now, whatever the range.

Money is in the platform's currency (``settings.CURRENCY``), the currency of every bill and ledger row.
"""

import datetime
from decimal import Decimal
from typing import Protocol

from django.db.models import Count, DecimalField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from billing.models import Bill
from campaigns.models import Campaign
from collaborations.models import ClickDay, Collaboration, Deliverable, LedgerEntry, Shipment, ShipmentItem

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
COUNT = IntegerField()
CENT, TENTH = Decimal("0.01"), Decimal("0.1")

# What a vendor's cost and profit reveal; the influencer's view of a collaboration leaves them out.
VENDOR_ONLY = ("profit", "gift_cost", "cost", "roi_pct", "cost_per_bill")
DELIVERABLE_STATUSES = tuple(Deliverable.Status.values)
# The sums over a range, where the work stands now, and what a row of results holds.
RESULT_NAMES = ("clicks", "unique_clicks", "bills", "revenue", "profit", "fee", "commission", "gift_cost")
STATE_NAMES = (
    *(f"deliverables_{status}" for status in DELIVERABLE_STATUSES),
    "products_received",
    "products_on_the_way",
)
ROW_NAMES = (*RESULT_NAMES, *STATE_NAMES, "cost", "held", "payable", "paid")
MONEY_KEYS = ("revenue", "profit", "fee", "commission", "gift_cost", "cost", "held", "payable", "paid")


class Span(Protocol):
    """A range of days (``analytics.base.Period`` is one): ``start`` and ``end`` are the first and
    last day (click days), ``since`` and ``until`` the instants that bound them (``until``
    exclusive: bills, ledger rows, shipments)."""

    start: datetime.date
    end: datetime.date
    since: datetime.datetime
    until: datetime.datetime


def attributed_amount(prefix: str = ""):
    """A bill's amount before tax less its returns, which revenue and commission are reckoned on,
    as SQL (``prefix`` leads to the bill). It is the database's twin of the commission's base of
    one bill (``collaborations.commission.commission_base``, the money area's)."""
    return F(f"{prefix}taxable_total") - F(f"{prefix}returned_taxable")


# --- The sums, as subqueries keyed on what the outer query's rows are ------------------------------


def _sum(rows: QuerySet, key: str, expression, output_field):
    """The sum of ``expression`` over ``rows`` whose ``key`` is the outer row, zero when none."""
    total = rows.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(total=expression).values("total")
    zero = Value(ZERO) if isinstance(output_field, DecimalField) else Value(0)
    return Coalesce(Subquery(total, output_field=output_field), zero, output_field=output_field)


def _in(span: Span | None, field: str) -> Q:
    if span is None:
        return Q()
    if field == "day":
        return Q(day__gte=span.start, day__lte=span.end)
    return Q(**{f"{field}__gte": span.since, f"{field}__lt": span.until})


def result_sums(*, to: str = "", span: Span | None = None, vendor: User | None = None) -> dict:
    """The annotations of every sum, for an outer query whose rows the path ``to`` names from a
    collaboration: ``""`` for collaborations themselves, ``"influencer"`` for users, ``"campaign"``
    for campaigns. ``vendor`` keeps only that vendor's collaborations (and bills): when the rows
    are influencers, who work with many vendors."""
    key = f"collaboration__{to}" if to else "collaboration"
    own = Q(collaboration__vendor=vendor) if vendor is not None else Q()

    clicks = ClickDay.objects.filter(own, _in(span, "day"))
    bills = Bill.objects.filter(
        Q(vendor=vendor) if vendor is not None else Q(),
        Q(referral__collaboration__vendor=vendor) if vendor is not None else Q(),
        _in(span, "created_at"),
        status=Bill.Status.PAID,
        referral__collaboration__isnull=False,
    )
    ledger = LedgerEntry.objects.filter(own)
    fees = ledger.filter(_in(span, "created_at"), kind=LedgerEntry.Kind.FEE)
    # An earning adds to held, its reversal takes it back from held or payable: their sum is what stands.
    commission = ledger.filter(
        (Q(kind=LedgerEntry.Kind.EARNED) & _in(span, "created_at"))
        | (Q(kind__in=[LedgerEntry.Kind.REVERSED, LedgerEntry.Kind.RETURNED]) & _in(span, "earning__created_at"))
    )
    gifts = Shipment.objects.filter(own, _in(span, "created_at")).exclude(status=Shipment.Status.RETURNED)
    bill_key = f"referral__{key}"
    return {
        "clicks": _sum(clicks, key, Sum("clicks"), COUNT),
        "unique_clicks": _sum(clicks, key, Sum("unique_clicks"), COUNT),
        "bills": _sum(bills, bill_key, Count("pk"), COUNT),
        "revenue": _sum(bills, bill_key, Sum(attributed_amount()), MONEY),
        "profit": _sum(bills, bill_key, Sum(F("profit") - F("returned_taxable") + F("returned_cost")), MONEY),
        "fee": _sum(fees, key, Sum("payable"), MONEY),
        "commission": _sum(commission, key, Sum(F("held") + F("payable")), MONEY),
        "gift_cost": _sum(gifts, key, Sum("cost"), MONEY),
    }


def state_sums() -> dict:
    """Where a collaboration's work stands now (annotations on collaborations): deliverables by
    status, products received (units of delivered shipments) and on the way (preparing or shipped)."""
    sums = {
        f"deliverables_{status}": _sum(Deliverable.objects.filter(status=status), "collaboration", Count("pk"), COUNT)
        for status in DELIVERABLE_STATUSES
    }
    for name, statuses in (
        ("products_received", [Shipment.Status.DELIVERED]),
        ("products_on_the_way", [Shipment.Status.PREPARING, Shipment.Status.SHIPPED]),
    ):
        items = ShipmentItem.objects.filter(shipment__status__in=statuses)
        sums[name] = _sum(items, "shipment__collaboration", Sum("quantity"), COUNT)
    return sums


def with_cost(queryset: QuerySet) -> QuerySet:
    """``cost`` = fee + commission + gift_cost, on a queryset annotated with ``result_sums``."""
    return queryset.annotate(cost=F("fee") + F("commission") + F("gift_cost"))


# --- Ratios of the sums ------------------------------------------------------------------------------


def ratios(row: dict) -> dict:
    """ROI, cost per attributed bill and conversion rate of a row of sums (money at two places)."""
    cost, profit = cents(row["cost"]), cents(row["profit"])
    bills, unique_clicks = row["bills"] or 0, row["unique_clicks"] or 0
    return {
        "roi_pct": ((profit - cost) / cost * 100).quantize(TENTH) if cost > 0 else None,
        "cost_per_bill": (cost / bills).quantize(CENT) if bills else None,
        "conversion_pct": (Decimal(bills) / unique_clicks * 100).quantize(TENTH) if unique_clicks else None,
    }


def cents(value) -> Decimal:
    """Money at two places whatever the database hands back (SQLite drops trailing zeros)."""
    return Decimal(value or 0).quantize(CENT)


def _finish(row: dict) -> dict:
    """A row of sums as the readers give it: money at two places, deliverables as one dict, ratios."""
    for key in MONEY_KEYS:
        if key in row:
            row[key] = cents(row[key])
    if "deliverables_pending" in row:
        row["deliverables"] = {status: row.pop(f"deliverables_{status}") or 0 for status in DELIVERABLE_STATUSES}
        row["deliverables"]["total"] = sum(row["deliverables"].values())
    row.update(ratios(row))
    return row


# --- Collaborations: the influencer's results page and the results API ------------------------------


def collaborations_with_results(
    collaborations: QuerySet[Collaboration], *, span: Span | None = None
) -> QuerySet[Collaboration]:
    """``collaborations`` (from ``selectors.collaborations_for_user``), each annotated with its
    results (all time, or over ``span``), ``cost`` and where its work stands: still one query."""
    return with_cost(collaborations.annotate(**result_sums(span=span), **state_sums()))


def collaboration_results(collaboration: Collaboration, *, span: Span | None = None) -> dict:
    """One collaboration's results (all time, or over ``span``), balances and work: one query."""
    return results_row(collaborations_with_results(Collaboration.objects.filter(pk=collaboration.pk), span=span).get())


def results_row(collaboration: Collaboration) -> dict:
    """The results of a collaboration read through ``collaborations_with_results``, as a dict:
    the sums and ``cost``, ``held``, ``payable``, ``paid``, ``deliverables`` (a count per status
    and ``total``), ``products_received``, ``products_on_the_way`` and the ratios."""
    return _finish({name: getattr(collaboration, name) for name in ROW_NAMES})


def results_totals(collaborations: QuerySet[Collaboration]) -> dict:
    """The sums of ``collaborations``' results (all time) and balances, and ``collaborations``,
    how many there are: one query."""
    annotated = collaborations_with_results(collaborations.order_by())
    # Aliases must not shadow the annotations they sum (Django would then sum nothing).
    totals = annotated.aggregate(
        count_collaborations=Count("pk"),
        **{f"sum_{name}": Coalesce(Sum(name), _zero(name), output_field=_field(name)) for name in ROW_NAMES},
    )
    return _finish({name.split("_", 1)[1]: value for name, value in totals.items()})


def _field(name: str):
    return MONEY if name in MONEY_KEYS else COUNT


def _zero(name: str):
    return Value(ZERO) if name in MONEY_KEYS else Value(0)


def products_received(collaboration_ids) -> dict[int, list[dict]]:
    """Per collaboration (of ``collaboration_ids``), the products of its delivered shipments:
    ``name`` and ``quantity``, by name. One query for any number of collaborations."""
    rows = (
        ShipmentItem.objects.filter(
            shipment__collaboration_id__in=list(collaboration_ids), shipment__status=Shipment.Status.DELIVERED
        )
        .values("shipment__collaboration_id", "product__name")
        .annotate(quantity=Sum("quantity"))
        .order_by("shipment__collaboration_id", "product__name")
    )
    received: dict[int, list[dict]] = {}
    for row in rows:
        received.setdefault(row["shipment__collaboration_id"], []).append(
            {"name": row["product__name"], "quantity": row["quantity"]}
        )
    return received


# --- A vendor's return on influencers and on campaigns (analytics) -----------------------------------


def _vendor_rows(outer: QuerySet, *, to: str, vendor: User, span: Span, label: str) -> list[dict]:
    """``outer`` (influencers or campaigns) with the vendor's sums over ``span``, how many
    collaborations each has with the vendor, cost and ratios; rows with nothing in the range (no
    cost, bill or click) left out; most revenue first."""
    # Prefixed: users and campaigns have relations named like the sums (``bills``, ``collaborations``).
    sums = {f"sum_{name}": value for name, value in result_sums(to=to, span=span, vendor=vendor).items()}
    sums["sum_collaborations"] = _sum(Collaboration.objects.filter(vendor=vendor), to, Count("pk"), COUNT)
    rows = (
        outer.annotate(**sums)
        .annotate(sum_cost=F("sum_fee") + F("sum_commission") + F("sum_gift_cost"))
        .filter(Q(sum_cost__gt=0) | Q(sum_bills__gt=0) | Q(sum_clicks__gt=0))
        .values("pk", label, *sums, "sum_cost")
        .order_by("-sum_revenue", "-sum_cost", label, "pk")
    )
    return [_finish({name.removeprefix("sum_"): value for name, value in row.items()}) for row in rows]


def influencer_results(*, vendor: User, span: Span) -> list[dict]:
    """Per influencer the vendor has collaborated with, over ``span``: ``pk``, ``display_name``,
    ``collaborations`` (with this vendor), the sums, cost and ratios. Another vendor's
    collaborations, bills and costs never count. One query."""
    influencers = User.objects.filter(pk__in=Collaboration.objects.filter(vendor=vendor).values("influencer"))
    return _vendor_rows(influencers, to="influencer", vendor=vendor, span=span, label="display_name")


def campaign_results(*, vendor: User, span: Span) -> list[dict]:
    """Per campaign of the vendor's with a collaboration, over ``span``: ``pk``, ``title``,
    ``collaborations`` (its influencers), the sums, cost and ratios. One query."""
    campaigns = Campaign.objects.filter(pk__in=Collaboration.objects.filter(vendor=vendor).values("campaign"))
    return _vendor_rows(campaigns, to="campaign", vendor=vendor, span=span, label="title")
