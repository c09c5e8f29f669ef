"""The GST summary API: ``GET /api/v1/gst/summary/?month=YYYY-MM`` (``&format=csv`` for a CSV)."""

import datetime

from django.core.handlers.asgi import ASGIRequest
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from anwariya.api.csv_export import StreamedCSVRenderer, streamed_csv
from anwariya.api.permissions import IsVendor
from anwariya.api.serializers import StrictInputMixin
from billing.gst_summary import CSV_COLUMNS, gst_summary, gst_summary_csv_rows
from profiles.selectors import user_time_zone

FORMATS = ["json", "csv"]
MONTH_PATTERN = r"^(?:20[0-9]{2}|2100)-(?:0[1-9]|1[0-2])$"
MONEY = {"max_digits": 16, "decimal_places": 2, "read_only": True}


def parse_month(value: str) -> datetime.date:
    year, month = value.split("-")
    return datetime.date(int(year), int(month), 1)


class MonthQuerySerializer(StrictInputMixin, serializers.Serializer):
    month = serializers.RegexField(
        MONTH_PATTERN,
        max_length=7,
        required=False,
        help_text="The month, `YYYY-MM` (2000-01 to 2100-12); default: this month in your time zone.",
        error_messages={"invalid": "Give a month as YYYY-MM, e.g. 2026-04."},
    )


class AmountsSerializer(serializers.Serializer):
    taxable_value = serializers.DecimalField(**MONEY)
    cgst = serializers.DecimalField(**MONEY)
    sgst = serializers.DecimalField(**MONEY, help_text="SGST, or UTGST in a union territory without a legislature.")
    igst = serializers.DecimalField(**MONEY)
    line_total = serializers.DecimalField(**MONEY, help_text="Value with tax.")


RATE = {"max_digits": 5, "decimal_places": 2, "read_only": True, "allow_null": True}


class ByRateSerializer(AmountsSerializer):
    gst_rate = serializers.DecimalField(**RATE)
    supply_type = serializers.ChoiceField(choices=["intra", "inter"], read_only=True, help_text="CGST+SGST or IGST.")
    invoices = serializers.IntegerField(read_only=True)


class B2BSerializer(AmountsSerializer):
    gstin = serializers.CharField(read_only=True)
    place = serializers.CharField(read_only=True, help_text="Place of supply, a GST state code.")
    place_name = serializers.CharField(read_only=True)
    rate = serializers.DecimalField(**RATE)
    invoices = serializers.IntegerField(read_only=True)


class B2CLSerializer(AmountsSerializer):
    number = serializers.CharField(read_only=True)
    issued_at = serializers.DateTimeField(read_only=True)
    invoice_value = serializers.DecimalField(**MONEY)
    place = serializers.CharField(read_only=True)
    place_name = serializers.CharField(read_only=True)
    rate = serializers.DecimalField(**RATE)


class B2CSSerializer(AmountsSerializer):
    place = serializers.CharField(read_only=True)
    place_name = serializers.CharField(read_only=True)
    supply_type = serializers.ChoiceField(choices=["intra", "inter"], read_only=True)
    rate = serializers.DecimalField(**RATE)


class CreditNoteRowSerializer(AmountsSerializer):
    note_type = serializers.ChoiceField(
        choices=["cdnr", "cdnur", "b2cs"], read_only=True, help_text="`b2cs` ones are netted into `b2cs`."
    )
    number = serializers.CharField(read_only=True)
    issued_at = serializers.DateTimeField(read_only=True)
    invoice = serializers.CharField(read_only=True)
    invoice_issued_at = serializers.DateTimeField(read_only=True)
    gstin = serializers.CharField(read_only=True)
    place = serializers.CharField(read_only=True)
    place_name = serializers.CharField(read_only=True)
    rate = serializers.DecimalField(**RATE)


class HsnSerializer(AmountsSerializer):
    kind = serializers.ChoiceField(choices=["b2b", "b2c"], read_only=True)
    hsn_code = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True, help_text="UQC.")
    rate = serializers.DecimalField(**RATE)
    quantity = serializers.IntegerField(read_only=True)


class DocumentsSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["invoices", "credit_notes"], read_only=True)
    first = serializers.CharField(read_only=True)
    last = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True)
    cancelled = serializers.IntegerField(read_only=True)


class BillsOfSupplySerializer(serializers.Serializer):
    count = serializers.IntegerField(read_only=True)
    value = serializers.DecimalField(**MONEY)


class TotalsSerializer(serializers.Serializer):
    taxable_value = serializers.DecimalField(**MONEY)
    cgst = serializers.DecimalField(**MONEY)
    sgst = serializers.DecimalField(**MONEY)
    igst = serializers.DecimalField(**MONEY)
    tax = serializers.DecimalField(**MONEY)
    invoice_value = serializers.DecimalField(**MONEY)
    credited_taxable_value = serializers.DecimalField(**MONEY)
    credited_tax = serializers.DecimalField(**MONEY)
    credited_value = serializers.DecimalField(**MONEY)
    net_taxable_value = serializers.DecimalField(**MONEY)
    net_tax = serializers.DecimalField(**MONEY)


class GstSummarySerializer(serializers.Serializer):
    month = serializers.CharField(read_only=True)
    totals = TotalsSerializer(read_only=True)
    by_rate = ByRateSerializer(many=True, read_only=True)
    b2b = B2BSerializer(many=True, read_only=True, help_text="GSTR-1 table 4A.")
    b2cl = B2CLSerializer(many=True, read_only=True, help_text="GSTR-1 table 5.")
    b2cs = B2CSSerializer(many=True, read_only=True, help_text="GSTR-1 table 7, net of credit notes.")
    credit_notes = CreditNoteRowSerializer(many=True, read_only=True, help_text="GSTR-1 table 9B.")
    hsn = HsnSerializer(many=True, read_only=True, help_text="GSTR-1 table 12, net of credit notes.")
    documents = DocumentsSerializer(many=True, read_only=True, help_text="GSTR-1 table 13.")
    bills_of_supply = BillsOfSupplySerializer(read_only=True, help_text="Bills of supply (not GSTR-1 supplies).")


SUMMARY_SCHEMA = extend_schema(
    tags=["billing"],
    operation_id="gst_summary",
    parameters=[
        MonthQuerySerializer,
        OpenApiParameter("format", str, enum=FORMATS, description="`csv`: the tables as one CSV download."),
    ],
    responses={
        (200, "application/json"): GstSummarySerializer,
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR,
            description="With `?format=csv`: a header row (" + ", ".join(CSV_COLUMNS) + "), then the rows of "
            "each table, its name in `table`. Sent as `gst-summary-<month>.csv`.",
        ),
    },
    description="Your month's outward supplies as GSTR-1 lays them out: by rate and tax type, B2B per "
    "GSTIN, B2C large and others, credit notes, the HSN summary and the documents issued. Tax invoices "
    "only; void ones are counted as cancelled. Anwariya prepares the figures; it does not file returns.",
)


class GstSummaryApi(APIView):
    permission_classes = [IsVendor]
    renderer_classes = [renderers.JSONRenderer, StreamedCSVRenderer]

    def perform_content_negotiation(self, request, force=False):
        given = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if not force and given is not None and given not in FORMATS:
            raise serializers.ValidationError({"format": [f"Choose one of: {', '.join(FORMATS)}."]})
        return super().perform_content_negotiation(request, force)

    def handle_exception(self, exc):
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)

    @SUMMARY_SCHEMA
    def get(self, request):
        query = MonthQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        month = month_or_this(query.validated_data.get("month"), request.user)
        summary = gst_summary(request.user, month)
        if request.accepted_renderer.format == "csv":
            rows = gst_summary_csv_rows(summary, user_time_zone(request.user))
            asgi = isinstance(request._request, ASGIRequest)
            return streamed_csv(CSV_COLUMNS, rows, f"gst-summary-{month:%Y-%m}.csv", asgi=asgi)
        return Response(GstSummarySerializer(summary).data)


def month_or_this(value, user) -> datetime.date:
    """The month asked for, else the current one in the user's zone."""
    if value:
        return parse_month(value)
    today = timezone.localtime(timezone.now(), user_time_zone(user)).date()
    return today.replace(day=1)
