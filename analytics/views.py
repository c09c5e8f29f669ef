import datetime

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views import View

from analytics import charts, selectors
from analytics.access import analytics_vendor_for, vendors_to_choose
from analytics.forms import VendorChoiceForm

PICKER_PAGE_SIZE = 25


class RangeForm(forms.Form):
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_start(self):
        return _in_range(self.cleaned_data["start"])

    def clean_end(self):
        return _in_range(self.cleaned_data["end"])

    bucket = forms.ChoiceField(choices=[(b, b.capitalize()) for b in selectors.BUCKETS], required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end must be on or after the start.")
        if start and end and (end - start).days > 3660:
            self.add_error("start", "A range may span at most ten years.")
        return cleaned


class DashboardView(LoginRequiredMixin, View):
    """What the vendor opens every morning: KPIs, sales over time, products, categories, campaigns.

    Admins first pick a vendor, then read that vendor's page (read-only)."""

    def get(self, request):
        choice = VendorChoiceForm(request.GET)
        vendor_id = None
        if request.user.is_staff:
            if not choice.is_valid():
                return self._picker(request, choice, status=400)
            vendor_id = choice.cleaned_data["vendor"]
        vendor = analytics_vendor_for(request.user, vendor_id)
        if vendor is None:
            return self._picker(request, choice)
        fields = {key: request.GET[key] for key in ("start", "end", "bucket") if request.GET.get(key)}
        form = RangeForm(fields or None)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        period = selectors.period_for(vendor, data.get("start"), data.get("end"))
        if period.end < period.start or period.days > 3660:
            form.add_error(None, "Choose a range of at most ten years, ending after it starts.")
            period = selectors.period_for(vendor)
        bucket = data.get("bucket") or _default_bucket(period)
        if bucket == "day" and period.days > 1100:
            bucket = _default_bucket(period)
        series = selectors.sales_series(vendor, period, bucket)
        categories = selectors.category_table(vendor, period)
        query = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        if vendor != request.user:
            query["vendor"] = vendor.pk
        context = {
            "vendor": vendor,
            "form": form if form.is_bound else RangeForm(initial={**query, "bucket": bucket}),
            "period": period,
            "bucket": bucket,
            "summary": selectors.sales_summary(vendor, period),
            "products": selectors.product_table(vendor, period)[:10],
            "categories": categories,
            "campaigns": selectors.campaign_table(vendor, period),
            "low_stock": selectors.low_stock_table(vendor, period),
            "sales_chart": mark_safe(charts.revenue_profit_chart(series, bucket)),
            "category_chart": mark_safe(charts.category_chart(categories)) if categories else "",
            "insights": self._insights(vendor, period),
            "csv_query": "&".join(f"{key}={value}" for key, value in query.items()),
            "bucket_query": f"bucket={bucket}",
        }
        return render(request, "analytics/dashboard.html", context)

    def _picker(self, request, choice, status=200):
        search = choice.cleaned_data.get("q", "") if choice.is_valid() else ""
        page = Paginator(vendors_to_choose(search), PICKER_PAGE_SIZE).get_page(request.GET.get("page"))
        query = urlencode({"q": search}) if search else ""
        context = {"form": choice, "page": page, "query": query, "search": search}
        return render(request, "analytics/vendor_picker.html", context, status=status)

    def _insights(self, vendor, period):
        from analytics.insights import insights_for_vendor

        return insights_for_vendor(vendor_id=vendor.pk, facts=selectors.insight_facts(vendor, period))


def _in_range(day):
    if day and not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31):
        raise forms.ValidationError("Choose a date from 2000 to 2100.")
    return day


def _default_bucket(period):
    if period.days <= 45:
        return "day"
    if period.days <= 200:
        return "week"
    if period.days <= 1100:
        return "month"
    return "year"
