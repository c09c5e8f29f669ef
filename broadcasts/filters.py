"""The delivery log's filters: one FilterSet for the page (``/broadcasts/deliveries/``) and the API
(``GET /api/v1/broadcasts/deliveries/``, JSON or CSV), so the same query lists the same deliveries."""

import datetime

import django_filters
from django import forms
from django.utils import timezone

from anwariya.api.filters import FilterSet, IdFilter
from broadcasts.models import Broadcast, Delivery
from broadcasts.selectors import broadcasts_for_user
from profiles.selectors import user_time_zone

# Days whose first moment converts to UTC in every time zone; times of the days beyond lie
# outside Python's datetime range, and no row was made then.
FIRST_DAY = datetime.date.min + datetime.timedelta(days=1)
LAST_DAY = datetime.date.max - datetime.timedelta(days=1)


class DeliveryLogFilter(FilterSet):
    # ``?search=`` (DRF's search) looks in the recipient's name, on the page as in the API.
    search_fields = ["recipient__display_name"]

    broadcast = IdFilter(field_name="broadcast_id", label="Of this broadcast (id; one not yours matches nothing)")
    channel = django_filters.ChoiceFilter(choices=Broadcast.Channel.choices, label="Channel")
    status = django_filters.ChoiceFilter(choices=Delivery.Status.choices, label="Status")
    # The names and meaning of the bills list's dates; the days are the vendor's (their time zone).
    start = django_filters.DateFilter(
        method="filter_start", label="Created on or after this day (inclusive, in your time zone)"
    )
    end = django_filters.DateFilter(
        method="filter_end", label="Created on or before this day (inclusive, in your time zone)"
    )

    class Meta:
        model = Delivery
        fields = ["broadcast", "channel", "status", "start", "end"]

    def _day_start(self, day):
        """The first moment of ``day`` in the viewer's time zone."""
        user = getattr(self.request, "user", None)
        tz = user_time_zone(user) if user is not None and user.is_authenticated else timezone.get_default_timezone()
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)

    def filter_start(self, queryset, name, value):
        if value < FIRST_DAY:
            return queryset
        if value > LAST_DAY:
            return queryset.none()
        return queryset.filter(created_at__gte=self._day_start(value))

    def filter_end(self, queryset, name, value):
        if value < FIRST_DAY:
            return queryset.none()
        if value >= LAST_DAY:
            return queryset
        return queryset.filter(created_at__lt=self._day_start(value + datetime.timedelta(days=1)))


class DeliveryLogPageFilter(DeliveryLogFilter):
    """The page's form of the same filters: the vendor's broadcasts to choose from, days to pick."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        mine = broadcasts_for_user(self.request.user).order_by("-created_at", "-pk").values_list("pk", "title")
        fields["broadcast"].widget = forms.Select(choices=[("", "All broadcasts"), *mine])
        fields["broadcast"].label = "Broadcast"
        fields["channel"].widget = forms.Select(choices=[("", "Any channel"), *Broadcast.Channel.choices])
        fields["status"].widget = forms.Select(choices=[("", "Any status"), *Delivery.Status.choices])
        for name, label in (("start", "From"), ("end", "To")):
            fields[name].widget = forms.DateInput(attrs={"type": "date"})
            fields[name].label = label
        for field in fields.values():
            field.widget.attrs["aria-label"] = field.label
