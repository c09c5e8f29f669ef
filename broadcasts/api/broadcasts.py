"""The broadcasts API: drafts, the start/pause/resume/cancel lifecycle, deliveries, audience preview."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.wallet import InsufficientTokensSerializer
from accounts.models import Role, User
from anwariya.api.filters import MAX_ID
from anwariya.api.permissions import IsVendorOrStaff
from anwariya.api.serializers import StrictInputMixin
from broadcasts import selectors, services
from broadcasts.models import Broadcast, Delivery
from broadcasts.validation import FILTER_KEYS, NO_SUCH_CAMPAIGN
from campaigns.models import Campaign
from profiles.models import FollowerBand


def _filter_field(key: str, **extra) -> serializers.Field:
    """One audience filter (of ``FILTER_KEYS``) as a field: in a broadcast's ``filters`` object,
    and again, ``write_only``, at its top level."""
    if key == "niche":
        return serializers.CharField(required=False, allow_blank=True, **extra)
    if key == "follower_band":
        choices = serializers.ChoiceField(choices=FollowerBand.choices)
        return serializers.ListField(child=choices, required=False, **extra)
    if key == "min_engagement":
        return serializers.DecimalField(
            max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, allow_null=True, **extra
        )
    return serializers.CharField(required=False, allow_blank=True, max_length=100, **extra)


class BroadcastFiltersSerializer(StrictInputMixin, serializers.Serializer):
    niche = _filter_field("niche", help_text="A niche slug.")
    follower_band = _filter_field("follower_band", help_text="Any of these bands.")
    min_engagement = _filter_field("min_engagement")
    country = _filter_field("country")


class RecipientIdsField(serializers.ListField):
    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    def to_representation(self, recipients):
        return sorted(user.pk for user in recipients.all())


class BroadcastSerializer(StrictInputMixin, serializers.ModelSerializer):
    vendor = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.VENDOR),
        required=False,
        help_text="Staff only: the vendor the broadcast is for. Vendors always send their own.",
    )
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(),
        required=False,
        allow_null=True,
        help_text="One of your campaigns.",
        error_messages={"does_not_exist": NO_SUCH_CAMPAIGN},
    )
    campaign_title = serializers.CharField(source="campaign.title", allow_null=True, read_only=True)
    filters = BroadcastFiltersSerializer(required=False, help_text="For a filter audience.")
    recipients = RecipientIdsField(required=False, help_text="For a list audience: influencer ids.")
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Broadcast.Channel.choices),
        min_length=1,
        required=False,
        help_text="Default: chat.",
    )
    pending = serializers.IntegerField(read_only=True, help_text="Deliveries not yet sent, failed or skipped.")
    audience = serializers.ChoiceField(
        choices=Broadcast.Audience.choices,
        required=False,
        help_text="Default: list when recipients are given, filter when filters are, else campaign.",
    )
    # The filters may also be given at the top level, as on the directory.
    niche, follower_band, min_engagement, country = (
        _filter_field(key, write_only=True, help_text=f"Same as filters.{key}.") for key in FILTER_KEYS
    )

    class Meta:
        model = Broadcast
        fields = [
            "id",
            "vendor",
            "title",
            "body",
            "audience",
            "campaign",
            "campaign_title",
            "filters",
            "niche",
            "follower_band",
            "min_engagement",
            "country",
            "recipients",
            "channels",
            "scheduled_at",
            "status",
            "pause_reason",
            "recipient_count",
            "total",
            "sent",
            "failed",
            "skipped",
            "pending",
            "price_per_recipient",
            "tokens_reserved",
            "tokens_refunded",
            "created_at",
            "updated_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = [
            "status",
            "pause_reason",
            "recipient_count",
            "total",
            "sent",
            "failed",
            "skipped",
            "price_per_recipient",
            "tokens_reserved",
            "tokens_refunded",
            "created_at",
            "updated_at",
            "started_at",
            "finished_at",
        ]
        extra_kwargs = {"title": {"max_length": 200}, "body": {"max_length": 3500}}

    def validate(self, data):
        shortcuts = {key: data.pop(key) for key in FILTER_KEYS if key in data}
        if shortcuts:
            data["filters"] = {**data.get("filters", {}), **shortcuts}
        return data

    def to_representation(self, broadcast):
        data = super().to_representation(broadcast)
        data["filters"] = broadcast.filters
        return data


class BroadcastStatusFilter(StrictInputMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=Broadcast.Status.choices, required=False)


class DeliverySerializer(serializers.ModelSerializer):
    recipient_name = serializers.CharField(source="recipient.public_name", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "recipient",
            "recipient_name",
            "channel",
            "status",
            "attempts",
            "last_error",
            "sent_at",
            "message",
            "updated_at",
        ]


class DeliveryFilter(StrictInputMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=Delivery.Status.choices, required=False)
    channel = serializers.ChoiceField(choices=Broadcast.Channel.choices, required=False)


class AudienceQuerySerializer(BroadcastFiltersSerializer):
    """The audience as query parameters: the filters, plus the other kinds' fields."""

    # A query string has no null: leave the parameter out for "any engagement".
    min_engagement = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )

    audience = serializers.ChoiceField(
        choices=Broadcast.Audience.choices,
        required=False,
        help_text="Default: list when recipients are given, filter when a filter is, else campaign.",
    )
    campaign = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    recipients = serializers.CharField(required=False, help_text="Comma-separated influencer ids.")
    vendor = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="Staff only.")


AudiencePreviewSerializer = inline_serializer(
    "AudiencePreview",
    fields={
        "count": serializers.IntegerField(),
        "sample": inline_serializer(
            "AudienceSample", fields={"id": serializers.IntegerField(), "name": serializers.CharField()}, many=True
        ),
        "price_per_recipient": serializers.IntegerField(),
        "cost": serializers.IntegerField(help_text="Tokens reserved when it starts."),
        "max_recipients": serializers.IntegerField(),
    },
)


def _vendor_for(request, requested):
    """Vendors act for themselves; staff must name the vendor."""
    user = request.user
    if not user.is_staff or user.role == Role.VENDOR:
        return user
    if requested is None:
        raise serializers.ValidationError({"vendor": ["Staff must choose the vendor the broadcast is for."]})
    return requested


class RetryFailedSerializer(BroadcastSerializer):
    retried = serializers.IntegerField(read_only=True, help_text="Deliveries put back in line.")

    class Meta(BroadcastSerializer.Meta):
        fields = [*BroadcastSerializer.Meta.fields, "retried"]


CONFLICT = OpenApiResponse(description="Not in a state that allows this (the body says which it is in).")


@extend_schema(tags=["broadcasts"])
class BroadcastViewSet(viewsets.ModelViewSet):
    """A vendor's broadcasts: drafts are edited and deleted; started ones are paused, resumed or cancelled."""

    queryset = Broadcast.objects.none()
    serializer_class = BroadcastSerializer
    permission_classes = [IsVendorOrStaff]
    search_fields = ["title", "body"]
    ordering_fields = ["created_at", "started_at", "status"]
    ordering = ["-created_at"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        broadcasts = selectors.broadcasts_for_user(self.request.user).prefetch_related("recipients")
        if self.action == "list":
            query = BroadcastStatusFilter(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            if query.validated_data.get("status"):
                broadcasts = broadcasts.filter(status=query.validated_data["status"])
        return broadcasts

    def get_object(self):
        broadcast = selectors.broadcast_for_user(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, broadcast)
        return broadcast

    def _answer(self, broadcast, code=status.HTTP_200_OK):
        fresh = selectors.broadcasts_for_user(self.request.user).prefetch_related("recipients").get(pk=broadcast.pk)
        return Response(BroadcastSerializer(fresh).data, status=code)

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=Broadcast.Status.values, description="Only this status.")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={201: BroadcastSerializer}, description="Write a draft; start it when it is ready.")
    def create(self, request, *args, **kwargs):
        serializer = BroadcastSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        vendor = _vendor_for(request, data.pop("vendor", None))
        broadcast = services.broadcast_create(vendor=vendor, actor=request.user, **data)
        return self._answer(broadcast, status.HTTP_201_CREATED)

    @extend_schema(
        responses={200: BroadcastSerializer, 409: CONFLICT}, description="Edit a draft (409 once it has started)."
    )
    def update(self, request, *args, **kwargs):
        broadcast = self.get_object()
        serializer = BroadcastSerializer(broadcast, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("vendor", None)
        return self._answer(services.broadcast_update(broadcast=broadcast, **data))

    @extend_schema(
        responses={204: None, 409: OpenApiResponse(description="Started: cancel it instead.")},
        description="Delete a draft. A broadcast that has started cannot be deleted (409): cancel it.",
    )
    def destroy(self, request, *args, **kwargs):
        services.broadcast_delete(broadcast=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        responses={
            200: BroadcastSerializer,
            402: OpenApiResponse(InsufficientTokensSerializer, description="Not enough tokens."),
            409: CONFLICT,
        },
        description="Send a draft now (or at its scheduled time). Reserves the per-recipient price in tokens.",
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._answer(services.broadcast_start(broadcast=self.get_object()))

    @extend_schema(
        request=None, responses={200: BroadcastSerializer, 409: CONFLICT}, description="Stop sending; resume continues."
    )
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._answer(services.broadcast_pause(broadcast=self.get_object()))

    @extend_schema(
        request=None,
        responses={200: BroadcastSerializer, 409: CONFLICT},
        description="Continue a paused broadcast (or restart a running one whose worker died): a new run sends "
        "what is left, never a delivery twice.",
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._answer(services.broadcast_resume(broadcast=self.get_object()))

    @extend_schema(
        request=None,
        responses={200: BroadcastSerializer, 409: CONFLICT},
        description="Stop for good: unsent deliveries are skipped and unused tokens refunded.",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._answer(services.broadcast_cancel(broadcast=self.get_object()))

    @extend_schema(
        request=None,
        responses={
            200: RetryFailedSerializer,
            402: OpenApiResponse(InsufficientTokensSerializer, description="Not enough tokens to send them again."),
            409: CONFLICT,
        },
        description="Send the failed deliveries again (a finished broadcast runs again and reserves their "
        "tokens). Answers the broadcast, with `retried`: how many deliveries were put back in line.",
    )
    @action(detail=True, methods=["post"], url_path="retry-failed")
    def retry_failed(self, request, pk=None):
        broadcast = self.get_object()
        retried = services.broadcast_retry_failed(broadcast=broadcast)
        return Response({**self._answer(broadcast).data, "retried": retried})

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=Delivery.Status.values, description="Only this status."),
            OpenApiParameter("channel", str, enum=Broadcast.Channel.values, description="Only this channel."),
        ],
        responses=DeliverySerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def deliveries(self, request, pk=None):
        broadcast = self.get_object()
        query = DeliveryFilter(data=request.query_params)
        query.is_valid(raise_exception=True)
        deliveries = selectors.deliveries_of_broadcast(broadcast, **query.validated_data)
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(
        parameters=[
            AudienceQuerySerializer,
            OpenApiParameter(
                "recipients",
                {"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID}},
                style="form",
                explode=False,
                description="For a list audience: influencer ids, comma-separated.",
            ),
        ],
        responses=AudiencePreviewSerializer,
        filters=False,
        description="How many influencers an audience reaches, a sample, and the tokens it would reserve.",
    )
    @action(detail=False, methods=["get"], url_path="preview-audience", filter_backends=[], pagination_class=None)
    def preview_audience(self, request):
        params = request.query_params.copy()
        if "follower_band" in params:
            params.setlist("follower_band", [v for value in params.getlist("follower_band") for v in value.split(",")])
        query = AudienceQuerySerializer(data=params)
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        requested = data.pop("vendor", None)
        vendor = _vendor_for(
            request, User.objects.filter(pk=requested, role=Role.VENDOR).first() if requested else None
        )
        campaign = None
        if data.get("campaign"):
            campaign = Campaign.objects.filter(pk=data["campaign"]).first()
            if campaign is None:
                raise serializers.ValidationError({"campaign": [NO_SUCH_CAMPAIGN]})
        recipients = []
        if data.get("recipients"):
            parts = [part.strip() for part in data["recipients"].split(",") if part.strip()]
            if not all(part.isascii() and part.isdigit() and 0 < int(part) <= MAX_ID for part in parts):
                raise serializers.ValidationError({"recipients": [f"Give comma-separated user ids (1 to {MAX_ID})."]})
            recipients = [int(part) for part in parts]
        filters = {key: data[key] for key in FILTER_KEYS if key in data}
        return Response(
            selectors.audience_preview(
                vendor=vendor, audience=data.get("audience"), campaign=campaign, filters=filters, recipients=recipients
            )
        )
