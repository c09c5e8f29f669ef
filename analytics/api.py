"""Analytics endpoints: JSON by default, CSV with ``?format=csv``."""

import csv
import io
import re
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import renderers, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import selectors
from analytics.access import analytics_vendor_for
from analytics.ranges import DAY_PATTERN, check_bucket, check_range, report_period, validate_report_day
from anwariya.api.filters import MAX_ID
from anwariya.api.serializers import StrictInputMixin

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@extend_schema_field({"type": "string", "format": "date", "pattern": DAY_PATTERN})
class DayField(serializers.DateField):
    """A day written ``YYYY-MM-DD``, from EARLIEST to LATEST: the years the reports can bucket."""

    default_validators = [validate_report_day]

    def to_internal_value(self, value):
        if isinstance(value, str) and not re.fullmatch(DAY_PATTERN, value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


def _cell(value):
    """Spreadsheet-safe text: a cell that starts like a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        try:
            Decimal(value)
        except ArithmeticError:
            return "'" + value
    return value


class CSVRenderer(renderers.BaseRenderer):
    """Renders a table from ``AnalyticsView.table`` as CSV, its header row first (also when it has
    no rows); anything else (an error) as ``key: value`` lines."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        if isinstance(data, list):
            # The header comes from the declared columns, never from the first row: an empty
            # table still says what its columns are.
            columns = getattr((renderer_context or {}).get("response"), "csv_columns", None)
            if columns is None:
                raise ImproperlyConfigured("A CSV table needs its columns: answer with AnalyticsView.table().")
            writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            writer.writerows({key: _cell(value) for key, value in row.items()} for row in data)
        elif isinstance(data, dict):
            for key, value in data.items():
                out.write(f"{key}: {value}\n")
        return out.getvalue().encode()


class RangeQuerySerializer(StrictInputMixin, serializers.Serializer):
    start = DayField(
        required=False, help_text="First day, inclusive (vendor's time zone). Default: 29 days before end."
    )
    end = DayField(required=False, help_text="Last day, inclusive. Default: today.")
    vendor = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="Admins: whose numbers.")

    def validate(self, attrs):
        # Both days given: checked before whose numbers are looked up, as the other fields are.
        if attrs.get("start") and attrs.get("end"):
            check_range(attrs["start"], attrs["end"])
        return attrs


class SeriesQuerySerializer(RangeQuerySerializer):
    bucket = serializers.ChoiceField(choices=selectors.BUCKETS, default="day", help_text="Weeks start on Monday.")
    product = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="Only this product.")
    category = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="Only this category.")
    include_items = serializers.BooleanField(
        default=False, help_text="Add each bucket's bills (at most 50, with a count)."
    )


# The query parameters are documented from the serializers that read them, bounds and all.
FORMATS = ["json", "csv"]
FORMAT_PARAMETER = OpenApiParameter("format", str, enum=FORMATS, description="csv downloads the table.")
RANGE_PARAMETERS = [RangeQuerySerializer, FORMAT_PARAMETER]


def as_json(value):
    """Decimals as strings (as every money field of the API), recursively."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(item) for item in value]
    return value


class AnalyticsView(APIView):
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, CSVRenderer]
    query_serializer = RangeQuerySerializer

    def parse_query(self, request):
        given_format = request.query_params.get("format")
        if given_format is not None and given_format not in FORMATS:
            raise serializers.ValidationError({"format": [f"Choose one of: {', '.join(FORMATS)}."]})
        query = self.query_serializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        vendor = self.vendor_for(request, data.pop("vendor", None))
        # Checked on the range as read: a missing end means today.
        period = report_period(vendor, data.pop("start", None), data.pop("end", None))
        if "bucket" in data:
            check_bucket(period, data["bucket"])
        return vendor, period, data

    def handle_exception(self, exc):
        # Errors are JSON, also when CSV was asked for.
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)

    def vendor_for(self, request, vendor_id):
        vendor = analytics_vendor_for(request.user, vendor_id)
        if vendor is None:
            raise PermissionDenied("Admins choose a vendor with ?vendor=<id>.")
        return vendor

    def table(self, rows, filename, columns):
        """``rows`` as JSON, or as a CSV download with ``columns`` as its header row."""
        response = Response(as_json(rows))
        response.csv_columns = list(columns)
        if getattr(self.request, "accepted_renderer", None) and self.request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response


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
