"""Analytics endpoints: JSON by default, CSV with ``?format=csv``."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import renderers, serializers
from rest_framework.response import Response

from analytics import selectors
from analytics.api.base import (
    FORMAT_PARAMETER,
    RANGE_PARAMETERS,
    AnalyticsView,
    RangeQuerySerializer,
    SeriesQuerySerializer,
    as_json,
)


def _rows(component, /, **fields):
    """A list of flat rows, for the schema; ``csv_columns`` keeps the fields' order for the CSV header."""
    columns = tuple(fields)  # read first: building the serializer class consumes ``fields``
    serializer = inline_serializer(component, fields=fields, many=True)
    serializer.csv_columns = columns
    return serializer


def money_field():
    # A new field each time: one instance shared by several names keeps only the last of them.
    return serializers.DecimalField(max_digits=16, decimal_places=2)


SummarySerializer = inline_serializer(
    "AnalyticsSummary",
    fields={
        "start": serializers.DateField(),
        "end": serializers.DateField(),
        "revenue": money_field(),
        "tax_collected": money_field(),
        "cost": money_field(),
        "profit": money_field(),
        "margin_pct": serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True),
        "units": serializers.IntegerField(),
        "bills": serializers.IntegerField(),
        "avg_bill": money_field(),
        "active_products": serializers.IntegerField(),
        "low_stock_products": serializers.IntegerField(),
        "previous": serializers.DictField(),
        "change_pct": serializers.DictField(
            child=serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)
        ),
    },
)


PRODUCT_ROWS = _rows(
    "AnalyticsProduct",
    product=serializers.IntegerField(),
    name=serializers.CharField(),
    sku=serializers.CharField(),
    units=serializers.IntegerField(),
    revenue=money_field(),
    cost=money_field(),
    profit=money_field(),
    margin_pct=serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True),
    units_change_pct=serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True),
    stock=serializers.IntegerField(),
    low_stock_threshold=serializers.IntegerField(),
    days_of_cover=serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True),
)

CATEGORY_ROWS = _rows(
    "AnalyticsCategory",
    category=serializers.IntegerField(allow_null=True),
    name=serializers.CharField(),
    revenue=money_field(),
    profit=money_field(),
    margin_pct=serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True),
    units=serializers.IntegerField(),
    bills=serializers.IntegerField(),
)

CAMPAIGN_ROWS = _rows(
    "AnalyticsCampaign",
    campaign=serializers.IntegerField(),
    campaign_title=serializers.CharField(),
    influencer=serializers.IntegerField(),
    influencer_name=serializers.CharField(),
    revenue=money_field(),
    profit=money_field(),
    bills=serializers.IntegerField(),
)


def _roi_fields():
    """The numbers of a return-on-influencers row, in the order of ``analytics.selectors.ROI_COLUMNS``."""

    def percent(help_text):
        return serializers.DecimalField(max_digits=24, decimal_places=1, allow_null=True, help_text=help_text)

    def amount(help_text, **options):
        return serializers.DecimalField(max_digits=20, decimal_places=2, help_text=help_text, **options)

    return {
        "collaborations": serializers.IntegerField(help_text="Collaborations it covers."),
        "cost": amount("fee + commission + gift_cost."),
        "fee": amount("Fees booked in the period."),
        "commission": amount("Commission earned in the period, less what voided bills took back."),
        "gift_cost": amount("Gifted products shipped in the period, at cost (returned shipments count zero)."),
        "revenue": amount("Attributed bills' amount before tax (paid bills with the referral code)."),
        "profit": amount("Attributed bills' profit."),
        "roi_pct": percent("(profit - cost) / cost × 100; null when nothing was spent."),
        "bills": serializers.IntegerField(help_text="Attributed bills (paid, not void)."),
        "cost_per_bill": amount("cost / bills; null without bills.", allow_null=True),
        "clicks": serializers.IntegerField(help_text="Tracking-link clicks in the period."),
        "unique_clicks": serializers.IntegerField(help_text="Visitors counted once a day."),
        "conversion_pct": percent("bills / unique clicks × 100; null without clicks."),
    }


INFLUENCER_ROI_ROWS = _rows(
    "AnalyticsInfluencerRoi",
    influencer=serializers.IntegerField(),
    influencer_name=serializers.CharField(),
    **_roi_fields(),
)

CAMPAIGN_ROI_ROWS = _rows(
    "AnalyticsCampaignRoi",
    campaign=serializers.IntegerField(),
    campaign_title=serializers.CharField(),
    **_roi_fields(),
)

LOW_STOCK_ROWS = _rows(
    "AnalyticsLowStock",
    product=serializers.IntegerField(),
    name=serializers.CharField(),
    sku=serializers.CharField(),
    stock=serializers.IntegerField(),
    low_stock_threshold=serializers.IntegerField(),
    units_sold=serializers.IntegerField(),
    days_of_cover=serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True),
    suggested_reorder=serializers.IntegerField(),
)


@extend_schema(tags=["analytics"], parameters=RANGE_PARAMETERS)
class SummaryApi(AnalyticsView):
    @extend_schema(responses=SummarySerializer, description="KPIs with their change against the previous period.")
    def get(self, request):
        vendor, period, _ = self.parse_query(request)
        summary = selectors.sales_summary(vendor, period)
        if request.accepted_renderer.format == "csv":
            flat = {k: v for k, v in summary.items() if k not in ("previous", "change_pct")}
            flat.update({f"{k}_change_pct": v for k, v in summary["change_pct"].items()})
            return self.table([flat], "summary", flat)
        return Response(as_json(summary))


@extend_schema(tags=["analytics"], parameters=RANGE_PARAMETERS)
class ProductsApi(AnalyticsView):
    @extend_schema(
        responses=PRODUCT_ROWS,
        description="Per product over the range; days of cover = stock ÷ average daily units.",
    )
    def get(self, request):
        vendor, period, _ = self.parse_query(request)
        return self.table(selectors.product_table(vendor, period), "products", PRODUCT_ROWS.csv_columns)


@extend_schema(tags=["analytics"], parameters=RANGE_PARAMETERS)
class CategoriesApi(AnalyticsView):
    @extend_schema(
        responses=CATEGORY_ROWS,
    )
    def get(self, request):
        vendor, period, _ = self.parse_query(request)
        return self.table(selectors.category_table(vendor, period), "categories", CATEGORY_ROWS.csv_columns)


@extend_schema(tags=["analytics"], parameters=RANGE_PARAMETERS)
class CampaignsApi(AnalyticsView):
    @extend_schema(
        responses=CAMPAIGN_ROWS,
        description="Sales attributed through referral codes, per campaign and influencer.",
    )
    def get(self, request):
        vendor, period, _ = self.parse_query(request)
        return self.table(selectors.campaign_table(vendor, period), "campaigns", CAMPAIGN_ROWS.csv_columns)


ROI_DESCRIPTION = (
    "What collaborations cost (fees booked + commission that stands + gifted products at cost) against "
    "what they brought (paid bills with the referral code: revenue before tax and profit), {per}: ROI, "
    "cost per attributed bill, clicks and conversion. Bills count by their day, clicks by their day, "
    "costs by the day they were booked or shipped; rows with nothing in the period are left out."
)


@extend_schema(tags=["analytics"], parameters=RANGE_PARAMETERS)
class InfluencerRoiApi(AnalyticsView):
    @extend_schema(responses=INFLUENCER_ROI_ROWS, description=ROI_DESCRIPTION.format(per="per influencer"))
    def get(self, request):
        vendor, period, _ = self.parse_query(request)
        rows = selectors.influencer_roi_table(vendor, period)
        return self.table(rows, "influencer-roi", INFLUENCER_ROI_ROWS.csv_columns)


@extend_schema(tags=["analytics"], parameters=RANGE_PARAMETERS)
class CampaignRoiApi(AnalyticsView):
    @extend_schema(responses=CAMPAIGN_ROI_ROWS, description=ROI_DESCRIPTION.format(per="per campaign"))
    def get(self, request):
        vendor, period, _ = self.parse_query(request)
        rows = selectors.campaign_roi_table(vendor, period)
        return self.table(rows, "campaign-roi", CAMPAIGN_ROI_ROWS.csv_columns)


@extend_schema(tags=["analytics"], parameters=RANGE_PARAMETERS)
class LowStockApi(AnalyticsView):
    @extend_schema(
        responses=LOW_STOCK_ROWS,
    )
    def get(self, request):
        vendor, period, _ = self.parse_query(request)
        return self.table(selectors.low_stock_table(vendor, period), "low-stock", LOW_STOCK_ROWS.csv_columns)


BucketsSerializer = inline_serializer(
    "SalesBucket",
    many=True,
    fields={
        "start": serializers.DateField(),
        "end": serializers.DateField(),
        "revenue": money_field(),
        "units": serializers.IntegerField(),
        "profit": money_field(),
        "bills": serializers.IntegerField(),
        "by_product": serializers.ListField(child=serializers.DictField()),
        "by_category": serializers.ListField(child=serializers.DictField()),
        "items": serializers.ListField(child=serializers.DictField(), required=False),
        "items_count": serializers.IntegerField(required=False),
    },
)


@extend_schema(tags=["analytics"])
class SalesSeriesApi(AnalyticsView):
    query_serializer = SeriesQuerySerializer

    @extend_schema(
        parameters=[SeriesQuerySerializer, FORMAT_PARAMETER],
        responses=inline_serializer(
            "SalesSeries",
            fields={
                "start": serializers.DateField(),
                "end": serializers.DateField(),
                "bucket": serializers.CharField(),
                "buckets": BucketsSerializer,
            },
        ),
        description="Every bucket from start to end (empty ones as zeros), in the vendor's time zone.",
    )
    def get(self, request):
        vendor, period, options = self.parse_query(request)
        series = selectors.sales_series(
            vendor,
            period,
            options["bucket"],
            product=options.get("product"),
            category=options.get("category"),
            include_items=options["include_items"],
        )
        if request.accepted_renderer.format == "csv":
            columns = ("start", "end", "revenue", "units", "profit", "bills")
            rows = [{key: entry[key] for key in columns} for entry in series]
            return self.table(rows, f"sales-{options['bucket']}", columns)
        body = {"start": period.start, "end": period.end, "bucket": options["bucket"], "buckets": series}
        return Response(as_json(body))


@extend_schema(tags=["analytics"], parameters=[RangeQuerySerializer])
class InsightsApi(AnalyticsView):
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer]

    @extend_schema(
        responses=inline_serializer(
            "Insights",
            fields={
                "source": serializers.ChoiceField(choices=["gemini", "rules"]),
                "model": serializers.CharField(allow_null=True),
                "insights": inline_serializer(
                    "Insight",
                    fields={
                        "kind": serializers.CharField(),
                        "title": serializers.CharField(),
                        "detail": serializers.CharField(),
                        "action": serializers.CharField(),
                        "product_id": serializers.IntegerField(required=False, allow_null=True),
                    },
                    many=True,
                ),
                "generated_at": serializers.DateTimeField(),
                "cached": serializers.BooleanField(),
                "fallback_reason": serializers.CharField(allow_null=True),
            },
        ),
        description=(
            "3–5 marketing recommendations from your numbers: Gemini when GEMINI_API_KEY is set, else rules; "
            "`source` says which. Cached per vendor and data, so reloading does not ask again."
        ),
    )
    def get(self, request):
        from analytics.insights import insights_for_vendor

        vendor, period, _ = self.parse_query(request)
        facts = selectors.insight_facts(vendor, period)
        return Response(insights_for_vendor(vendor_id=vendor.pk, facts=facts))
