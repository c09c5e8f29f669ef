"""What every analytics endpoint shares: the query it reads, its vendor, and CSV."""

import csv
import io
import re
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import renderers, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import selectors
from analytics.access import analytics_vendor_for
from analytics.ranges import DAY_PATTERN, check_bucket, check_range, report_period, validate_report_day
from anwariya.api.csv_export import spreadsheet_cell
from anwariya.api.filters import MAX_ID
from anwariya.api.serializers import StrictInputMixin


@extend_schema_field({"type": "string", "format": "date", "pattern": DAY_PATTERN})
class DayField(serializers.DateField):
    """A day written ``YYYY-MM-DD``, from EARLIEST to LATEST: the years the reports can bucket."""

    default_validators = [validate_report_day]

    def to_internal_value(self, value):
        if isinstance(value, str) and not re.fullmatch(DAY_PATTERN, value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


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
            writer.writerows({key: spreadsheet_cell(value) for key, value in row.items()} for row in data)
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
