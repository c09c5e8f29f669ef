from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.api.wallet import InsufficientTokensSerializer
from accounts.models import Role, User
from anwariya.api.filters import MAX_ID, FilterSet, IdFilter
from anwariya.api.schema import conflict
from anwariya.api.serializers import StrictInputMixin
from campaigns import selectors, services
from campaigns.filters import CampaignFilter
from campaigns.models import LANDING_URL_MAX, Application, Campaign
from catalog.models import Product
from profiles.models import Niche

# --- Campaigns ----------------------------------------------------------------------------


class CampaignSerializer(StrictInputMixin, serializers.ModelSerializer):
    vendor = serializers.IntegerField(source="vendor.id", read_only=True)
    vendor_name = serializers.CharField(source="vendor.public_name", read_only=True)
    product = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.all(), allow_null=True, required=False, help_text="One of your products."
    )
    niches = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Niche.objects.all(), required=False, help_text="Target niche slugs."
    )
    budget = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, max_value=services.MAX_BUDGET)
    landing_url = serializers.URLField(
        max_length=LANDING_URL_MAX,
        required=False,
        allow_blank=True,
        help_text="Where the tracking links /r/<code> of the campaign's collaborations redirect (http or "
        "https); blank: the links show that the vendor has not set one yet.",
    )
    status = serializers.ChoiceField(
        choices=Campaign.Status.choices, required=False, help_text="Moves draft → open → closed."
    )
    application_count = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Applications received; null unless you are the campaign's vendor."
    )
    pending_count = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Applications and invitations pending; null unless you are its vendor.",
    )

    class Meta:
        model = Campaign
        fields = [
            "id",
            "vendor",
            "vendor_name",
            "title",
            "description",
            "product",
            "niches",
            "deliverables",
            "budget",
            "start_date",
            "end_date",
            "landing_url",
            "status",
            "application_count",
            "pending_count",
            "created_at",
            "opened_at",
            "closed_at",
        ]
        read_only_fields = ["id", "created_at", "opened_at", "closed_at"]


class ApplicationSerializer(serializers.ModelSerializer):
    campaign_title = serializers.CharField(source="campaign.title", read_only=True)
    vendor_name = serializers.CharField(source="campaign.vendor.public_name", read_only=True)
    influencer_name = serializers.CharField(source="influencer.display_name", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "campaign",
            "campaign_title",
            "vendor_name",
            "influencer",
            "influencer_name",
            "kind",
            "status",
            "message",
            "referral_code",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields


class ApplyInputSerializer(StrictInputMixin, serializers.Serializer):
    pitch = serializers.CharField(max_length=3000, help_text="Why you fit this campaign.")


class InviteInputSerializer(StrictInputMixin, serializers.Serializer):
    influencer = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The influencer's user id.")
    message = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")


class CampaignPermission(IsAuthenticated):
    message = "Only vendors can create or change campaigns."

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if view.action in ("create", "update", "partial_update", "destroy", "open", "close", "invite"):
            return request.user.is_vendor
        return True


CAMPAIGN_STATE = conflict("The campaign's status refuses this (e.g. it is closed), or it changed meanwhile.")
APPLICATION_STATE = conflict("The application or invitation is no longer pending.")


@extend_schema(tags=["campaigns"])
@extend_schema_view(
    list=extend_schema(
        description="Vendors: their own campaigns. Influencers: open campaigns (and those they joined)."
    ),
    update=extend_schema(responses={200: CampaignSerializer, 409: CAMPAIGN_STATE}),
    partial_update=extend_schema(responses={200: CampaignSerializer, 409: CAMPAIGN_STATE}),
    destroy=extend_schema(
        responses={204: None, 409: conflict("Not a draft (close it instead), or it has broadcasts.")}
    ),
)
class CampaignViewSet(viewsets.ModelViewSet):
    queryset = Campaign.objects.none()
    serializer_class = CampaignSerializer
    permission_classes = [CampaignPermission]
    filterset_class = CampaignFilter
    search_fields = CampaignFilter.search_fields
    ordering_fields = ["created_at", "start_date", "end_date", "budget"]
    ordering = ["-created_at"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.campaigns_visible_to(self.request.user)

    def get_object(self):
        campaign = selectors.campaign_for_user(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, campaign)
        return campaign

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        status_wanted = data.pop("status", Campaign.Status.DRAFT)
        if status_wanted == Campaign.Status.CLOSED:
            raise serializers.ValidationError({"status": ["A new campaign is a draft or open."]})
        with transaction.atomic():
            campaign = services.campaign_create(vendor=self.request.user, **data)
            if status_wanted == Campaign.Status.OPEN:
                services.campaign_open(campaign=campaign)
        serializer.instance = selectors.campaign_for_user(self.request.user, campaign.pk)

    def perform_update(self, serializer):
        serializer.instance = services.campaign_update(campaign=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.campaign_delete(campaign=instance)

    def _reload(self, campaign):
        return Response(CampaignSerializer(selectors.campaign_for_user(self.request.user, campaign.pk)).data)

    @extend_schema(request=None, responses={200: CampaignSerializer, 409: conflict("Not a draft.")})
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        return self._reload(services.campaign_open(campaign=self.get_object()))

    @extend_schema(request=None, responses={200: CampaignSerializer, 409: conflict("Not open.")})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._reload(services.campaign_close(campaign=self.get_object()))

    @extend_schema(
        methods=["GET"],
        responses=ApplicationSerializer(many=True),
        description="The campaign's applications and invitations (its vendor only).",
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        request=ApplyInputSerializer,
        responses={
            201: ApplicationSerializer,
            402: OpenApiResponse(
                InsufficientTokensSerializer, description="Past the free quota and not enough tokens."
            ),
            409: conflict("The campaign is not open, or you have already applied or been invited."),
        },
        description="Apply to an open campaign (influencers), once.",
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def applications(self, request, pk=None):
        campaign = self.get_object()
        if request.method == "POST":
            serializer = ApplyInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            application = services.application_create(
                campaign=campaign, influencer=request.user, pitch=serializer.validated_data["pitch"]
            )
            return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)
        if campaign.vendor_id != request.user.pk:
            raise PermissionDenied("Only the campaign's vendor sees its applications.")
        page = self.paginate_queryset(selectors.applications_of_campaign(request.user, campaign))
        return self.get_paginated_response(ApplicationSerializer(page, many=True).data)

    @extend_schema(
        request=InviteInputSerializer,
        responses={
            201: ApplicationSerializer,
            402: OpenApiResponse(InsufficientTokensSerializer, description="Not enough tokens."),
            409: conflict("The campaign is not open, or the influencer has already applied or been invited."),
        },
        description="Invite an influencer to your open campaign; costs the contact price in tokens.",
    )
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        campaign = self.get_object()
        serializer = InviteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        influencer = User.objects.filter(pk=serializer.validated_data["influencer"], role=Role.INFLUENCER).first()
        if influencer is None:
            raise serializers.ValidationError({"influencer": ["No influencer with this id."]})
        invitation = services.campaign_invite(
            campaign=campaign, vendor=request.user, influencer=influencer, message=serializer.validated_data["message"]
        )
        return Response(ApplicationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class ApplicationFilter(FilterSet):
    campaign = IdFilter(field_name="campaign_id")

    class Meta:
        model = Application
        fields = ["status", "kind", "campaign"]


@extend_schema(tags=["campaigns"])
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Vendors: applications to their campaigns. Influencers: their applications and invitations."""

    queryset = Application.objects.none()
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    ordering_fields = ["created_at", "decided_at"]
    ordering = ["-created_at"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.applications_for_user(self.request.user)

    def get_object(self):
        return selectors.application_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=None, responses={200: ApplicationSerializer, 409: APPLICATION_STATE})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The vendor accepts an application; the influencer accepts an invitation. Gives a referral code."""
        return Response(
            ApplicationSerializer(services.application_accept(application=self.get_object(), actor=request.user)).data
        )

    @extend_schema(request=None, responses={200: ApplicationSerializer, 409: APPLICATION_STATE})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """The vendor rejects an application; the influencer declines an invitation."""
        return Response(
            ApplicationSerializer(services.application_reject(application=self.get_object(), actor=request.user)).data
        )

    @extend_schema(request=None, responses={200: ApplicationSerializer, 409: APPLICATION_STATE})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The influencer withdraws a pending application."""
        return Response(
            ApplicationSerializer(services.application_withdraw(application=self.get_object(), actor=request.user)).data
        )
