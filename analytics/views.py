from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views import View

from analytics import charts, ranges, selectors
from analytics.access import analytics_vendor_for, vendors_to_choose
from analytics.forms import RangeForm, VendorChoiceForm

PICKER_PAGE_SIZE = 25


class DashboardView(LoginRequiredMixin, View):
    """What the vendor opens every morning: KPIs, sales over time, products, categories, campaigns,
    and the return on each influencer and campaign.

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
        try:
            period = ranges.report_period(vendor, data.get("start"), data.get("end"))
        except ValidationError as error:  # the API answers 400; the page shows why, and the default range
            form.add_error(None, error)
            period = selectors.period_for(vendor)
        bucket = data.get("bucket") or ranges.default_bucket(period)
        if not ranges.bucket_fits(period, bucket):
            bucket = ranges.default_bucket(period)
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
            "influencer_roi": selectors.influencer_roi_table(vendor, period),
            "campaign_roi": selectors.campaign_roi_table(vendor, period),
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
