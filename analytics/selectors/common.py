"""What the analytics readers share: money at two places, changes and margins, the vendor's period."""

import datetime
from decimal import Decimal

from django.db.models import DecimalField, Value
from django.db.models.functions import Coalesce

from analytics.base import Period
from profiles.selectors import user_time_zone

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)


def period_for(vendor, start=None, end=None, *, default_days=30) -> Period:
    """A range of the vendor's days: in their zone (``profiles.selectors.user_time_zone``), the
    zone they see every time in, chat times too."""
    tz = user_time_zone(vendor)
    today = datetime.datetime.now(tz).date()
    end = end or today
    start = start or end - datetime.timedelta(days=default_days - 1)
    return Period(start, end, tz)


def cents(value) -> Decimal:
    """Money at two places whatever the database hands back (SQLite drops trailing zeros)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def money(expression):
    return Coalesce(expression, Value(ZERO), output_field=MONEY)


def change_pct(current, previous):
    """Change in percent from ``previous`` to ``current``; None when there is nothing to compare."""
    current, previous = Decimal(current or 0), Decimal(previous or 0)
    if previous == 0:
        return None
    return ((current - previous) / previous * 100).quantize(Decimal("0.1"))


def margin_pct(profit, revenue):
    revenue = Decimal(revenue or 0)
    return (Decimal(profit or 0) / revenue * 100).quantize(Decimal("0.1")) if revenue else None


# --- Summary ------------------------------------------------------------------------------
