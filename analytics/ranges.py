"""The period and bucket a report is asked for: one rule for the dashboard page and the API.

Each day is checked on its own by ``validate_report_day`` (the page's form fields and the API's
query fields both run it), a range by ``check_range``, and ``report_period`` checks the range as
the vendor will get it: a missing end is today in the vendor's time zone, a missing start 29
days before the end. ``bucket_fits`` says whether a bucket suits the period. Each raises
Django's ``ValidationError`` naming the field: the page shows it on its form (and falls back to
the default range, or to the default bucket), the API answers it as a 400.
"""

import datetime

from django.core.exceptions import ValidationError

from analytics.base import Period
from analytics.selectors import period_for

EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
# EARLIEST to LATEST as a pattern, so the API schema says which days are accepted.
DAY_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
MAX_RANGE_DAYS = 3660  # ten years
MAX_DAY_BUCKETS = 1100  # three years: longer, a series by day is too long to read


def validate_report_day(day: datetime.date) -> None:
    """A day the reports can bucket: from EARLIEST to LATEST."""
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(f"Choose a date from {EARLIEST.year} to {LATEST.year}.", code="out_of_range")


def check_range(start: datetime.date, end: datetime.date) -> None:
    """A range ends on or after its start and spans at most MAX_RANGE_DAYS days."""
    if end < start:
        raise ValidationError({"end": ["The end must be on or after the start."]})
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise ValidationError({"start": [f"A range may span at most ten years ({MAX_RANGE_DAYS} days)."]})


def report_period(vendor, start=None, end=None) -> Period:
    """The vendor's period from ``start`` to ``end``, either of them missing, checked as it will be
    read (``check_range``)."""
    period = period_for(vendor, start, end)
    check_range(period.start, period.end)
    return period


def bucket_fits(period: Period, bucket: str) -> bool:
    """Every bucket suits any period but day, which is for periods of at most MAX_DAY_BUCKETS days."""
    return not (bucket == "day" and period.days > MAX_DAY_BUCKETS)


def check_bucket(period: Period, bucket: str) -> str:
    if not bucket_fits(period, bucket):
        raise ValidationError({"bucket": ["Use week, month or year buckets for ranges over 3 years."]})
    return bucket


def default_bucket(period: Period) -> str:
    """The bucket a period reads best in when none was chosen: a few dozen buckets at most."""
    if period.days <= 45:
        return "day"
    if period.days <= 200:
        return "week"
    if period.days <= 1100:
        return "month"
    return "year"
