"""What every analytics read starts from: a period of local days, and a vendor's paid sales."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db.models import Q

from billing.models import Bill, BillItem


@dataclass(frozen=True)
class Period:
    """An inclusive range of local dates and the aware instants that bound it."""

    start: datetime.date
    end: datetime.date
    tz: zoneinfo.ZoneInfo

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def since(self) -> datetime.datetime:
        return datetime.datetime.combine(self.start, datetime.time.min, tzinfo=self.tz)

    @property
    def until(self) -> datetime.datetime:
        """The first instant after the range (exclusive bound)."""
        return datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=self.tz)

    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        length = datetime.timedelta(days=self.days)
        return Period(self.start - length, self.end - length, self.tz)


def in_period(period: Period, field="created_at") -> Q:
    """``field`` falls within the period's instants."""
    return Q(**{f"{field}__gte": period.since, f"{field}__lt": period.until})


def paid_bills(vendor):
    return Bill.objects.filter(vendor=vendor, status=Bill.Status.PAID)


def paid_lines(vendor):
    return BillItem.objects.filter(bill__vendor=vendor, bill__status=Bill.Status.PAID)
