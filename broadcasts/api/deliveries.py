"""The delivery log across all your broadcasts: ``GET /api/v1/broadcasts/deliveries/``, paged JSON,
or with ``?format=csv`` the whole filtered log as a streamed CSV download."""

from django.core.handlers.asgi import ASGIRequest
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, renderers, serializers
from rest_framework.filters import SearchFilter

from anwariya.api.csv_export import StreamedCSVRenderer, streamed_csv
from anwariya.api.permissions import IsVendorOrStaff
from broadcasts import selectors
from broadcasts.filters import DeliveryLogFilter
from broadcasts.models import Delivery
from profiles.selectors import user_time_zone

FORMATS = ["json", "csv"]
CSV_COLUMNS = [
    "id",
    "broadcast_id",
    "broadcast_title",
    "recipient_id",
    "recipient_name",
    "channel",
    "status",
    "attempts",
    "last_error",
    "next_attempt_at",
    "sent_at",
    "created_at",
    "updated_at",
]
CSV_CHUNK = 2000  # rows fetched at a time while the download streams


class DeliveryBroadcastSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class DeliveryRecipientSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField(source="public_name", help_text="The name the recipient shows others.")


class DeliveryLogSerializer(serializers.ModelSerializer):
    broadcast = DeliveryBroadcastSerializer(read_only=True)
    recipient = DeliveryRecipientSerializer(read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "broadcast",
            "recipient",
            "channel",
            "status",
            "attempts",
            "last_error",
            "next_attempt_at",
            "sent_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


def _csv_rows(deliveries, tz):
    def when(value):
        return value.astimezone(tz).isoformat(timespec="seconds") if value else ""

    for delivery in deliveries.iterator(chunk_size=CSV_CHUNK):
        yield [
            delivery.pk,
            delivery.broadcast.pk,
            delivery.broadcast.title,
            delivery.recipient.pk,
            delivery.recipient.public_name,
            delivery.channel,
            delivery.status,
            delivery.attempts,
            delivery.last_error,
            when(delivery.next_attempt_at),
            when(delivery.sent_at),
            when(delivery.created_at),
            when(delivery.updated_at),
        ]


CSV_EXAMPLE = (
    ",".join(CSV_COLUMNS)
    + "\n41,7,Festive drop,12,Asha,chat,sent,1,,,2026-11-30T10:15:02+05:30,2026-11-30T10:15:00+05:30,"
    "2026-11-30T10:15:02+05:30\n"
)


LOG_SCHEMA = extend_schema(
    tags=["broadcasts"],
    operation_id="broadcasts_deliveries_log",
    parameters=[
        OpenApiParameter(
            "format",
            str,
            enum=FORMATS,
            description="`csv`: the whole filtered log as a CSV download (streamed, not paged).",
        )
    ],
    responses={
        (200, "application/json"): DeliveryLogSerializer(many=True),
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR,
            description="With `?format=csv` (or `Accept: text/csv`): a header row ("
            + ", ".join(CSV_COLUMNS)
            + "), then one row per delivery, newest first; times in your time zone (ISO 8601 with "
            "the offset), empty when not set; a cell that starts like a formula gets a leading `'`. "
            "Sent as `deliveries-<date>.csv`.",
            examples=[OpenApiExample("CSV", value=CSV_EXAMPLE, media_type="text/csv")],
        ),
    },
    description="Every delivery of your broadcasts, newest first (ties by id): filter by broadcast, "
    "channel, status and the days they were created (`start`/`end`, inclusive, in your time zone), "
    "search by the recipient's name. A `broadcast` that is not yours matches nothing. Paged as "
    "every list; `?format=csv` downloads the whole filtered log.",
)


class DeliveryLogApi(generics.ListAPIView):
    queryset = Delivery.objects.none()  # the schema's model; requests read ``get_queryset``
    serializer_class = DeliveryLogSerializer
    permission_classes = [IsVendorOrStaff]
    filter_backends = [DjangoFilterBackend, SearchFilter]
    filterset_class = DeliveryLogFilter
    search_fields = DeliveryLogFilter.search_fields
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, StreamedCSVRenderer]

    def get_queryset(self):
        return selectors.deliveries_for_user(self.request.user)

    def perform_content_negotiation(self, request, force=False):
        given = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if not force and given is not None and given not in FORMATS:
            raise serializers.ValidationError({"format": [f"Choose one of: {', '.join(FORMATS)}."]})
        return super().perform_content_negotiation(request, force)

    def handle_exception(self, exc):
        # Errors are JSON, also when CSV was asked for.
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)

    @LOG_SCHEMA
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        deliveries = self.filter_queryset(self.get_queryset())
        if request.accepted_renderer.format == "csv":
            tz = user_time_zone(request.user)
            filename = f"deliveries-{timezone.now().astimezone(tz):%Y-%m-%d}.csv"
            asgi = isinstance(request._request, ASGIRequest)
            return streamed_csv(CSV_COLUMNS, _csv_rows(deliveries, tz), filename, asgi=asgi)
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
