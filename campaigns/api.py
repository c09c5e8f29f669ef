import zoneinfo

import django_filters
from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.fields import empty
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.wallet import InsufficientTokensSerializer
from accounts.models import Role, User
from anwariya.api.filters import MAX_ID, FilterSet, IdFilter
from anwariya.api.schema import URL_PATTERN, ByFieldProxySerializer, conflict
from anwariya.api.serializers import StrictInputMixin
from campaigns import selectors, services
from campaigns.filters import InfluencerFilter
from campaigns.models import (
    SOCIAL_NETWORKS,
    Application,
    Availability,
    Campaign,
    ContentFormat,
    FollowerBand,
    InfluencerProfile,
    Niche,
    VendorProfile,
)
from catalog.models import Product

TIME_ZONES = sorted(zoneinfo.available_timezones())

# --- Profiles ----------------------------------------------------------------------------


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            network: {"type": "string", "maxLength": 300, "pattern": f"^$|{URL_PATTERN}"} for network in SOCIAL_NETWORKS
        },
        "additionalProperties": False,
    }
)
class SocialLinksField(serializers.DictField):
    """Network name → http(s) URL; only the known networks (the service refuses others)."""


class InfluencerProfileSerializer(StrictInputMixin, serializers.Serializer):
    id = serializers.IntegerField(source="user.id", read_only=True)
    role = serializers.ChoiceField(choices=[Role.INFLUENCER], source="user.role", read_only=True)
    display_name = serializers.CharField(source="user.display_name", max_length=150, required=False)
    niches = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Niche.objects.all(), required=False, help_text="Niche slugs."
    )
    follower_band = serializers.ChoiceField(choices=FollowerBand.choices, allow_blank=True, required=False)
    engagement_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, allow_null=True, required=False
    )
    bio = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    availability = serializers.ChoiceField(choices=Availability.choices, required=False)
    content_types = serializers.SlugRelatedField(
        source="content_formats",
        many=True,
        slug_field="slug",
        queryset=ContentFormat.objects.all(),
        required=False,
        help_text="Content format slugs: reels, posts, stories, videos, blogs…",
    )
    social_links = SocialLinksField(
        child=serializers.URLField(max_length=300, allow_blank=True),
        required=False,
        help_text=f"Network → URL; networks: {', '.join(SOCIAL_NETWORKS)}.",
    )
    city = serializers.CharField(max_length=100, allow_blank=True, required=False)
    country = serializers.CharField(max_length=100, allow_blank=True, required=False)
    updated_at = serializers.DateTimeField(read_only=True)


class VendorProfileSerializer(StrictInputMixin, serializers.Serializer):
    id = serializers.IntegerField(source="user.id", read_only=True)
    role = serializers.ChoiceField(choices=[Role.VENDOR], source="user.role", read_only=True)
    display_name = serializers.CharField(source="user.display_name", max_length=150, required=False)
    business_name = serializers.CharField(source="user.business_name", max_length=200, required=False)
    time_zone = serializers.ChoiceField(
        choices=TIME_ZONES, allow_blank=True, required=False, help_text="For analytics; empty: the platform's."
    )
    website = serializers.URLField(max_length=200, allow_blank=True, required=False)
    description = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    city = serializers.CharField(max_length=100, allow_blank=True, required=False)
    country = serializers.CharField(max_length=100, allow_blank=True, required=False)
    updated_at = serializers.DateTimeField(read_only=True)


# Each shape fixes `role` to one value, so an answer matches exactly one of them.
ProfileSerializer = ByFieldProxySerializer(
    component_name="Profile",
    serializers={Role.INFLUENCER.value: InfluencerProfileSerializer, Role.VENDOR.value: VendorProfileSerializer},
    resource_type_field_name="role",
)


def _flatten(data):
    """Serializer ``source="user.x"`` fields arrive nested; services take them flat."""
    return {**{k: v for k, v in data.items() if k != "user"}, **data.get("user", {})}


@extend_schema(tags=["profiles"])
class ProfileApi(APIView):
    """Your own profile: an influencer's or a vendor's, by your role."""

    def _profile(self, user):
        if user.role == Role.INFLUENCER:
            profile, _ = InfluencerProfile.objects.get_or_create(user=user)
            return profile, InfluencerProfileSerializer, services.influencer_profile_update
        if user.role == Role.VENDOR:
            profile, _ = VendorProfile.objects.get_or_create(user=user)
            return profile, VendorProfileSerializer, services.vendor_profile_update
        raise PermissionDenied("Admin accounts have no vendor or influencer profile.")

    @extend_schema(responses=ProfileSerializer)
    def get(self, request):
        profile, serializer_class, _ = self._profile(request.user)
        return Response(serializer_class(profile).data)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
    def put(self, request):
        return self._update(request, partial=False)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
    def patch(self, request):
        return self._update(request, partial=True)

    def _update(self, request, partial):
        profile, serializer_class, update = self._profile(request.user)
        serializer = serializer_class(profile, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        profile = update(user=request.user, **_flatten(serializer.validated_data))
        profile.refresh_from_db()
        return Response(serializer_class(profile).data)


class IsVendorOrStaff(BasePermission):
    message = "The influencer directory is for vendors."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_vendor or user.is_staff))


class InfluencerSerializer(serializers.ModelSerializer):
    niches = serializers.SerializerMethodField()
    follower_band = serializers.CharField(source="influencer_profile.follower_band", default="")
    engagement_rate = serializers.DecimalField(
        source="influencer_profile.engagement_rate", max_digits=5, decimal_places=2, read_only=True, allow_null=True
    )
    bio = serializers.CharField(source="influencer_profile.bio", default="")
    availability = serializers.CharField(source="influencer_profile.availability", default=Availability.AVAILABLE)
    content_types = serializers.SerializerMethodField()
    social_links = serializers.DictField(source="influencer_profile.social_links", default=dict)
    city = serializers.CharField(source="influencer_profile.city", default="")
    country = serializers.CharField(source="influencer_profile.country", default="")

    class Meta:
        model = User
        fields = [
            "id",
            "display_name",
            "niches",
            "follower_band",
            "engagement_rate",
            "bio",
            "availability",
            "content_types",
            "social_links",
            "city",
            "country",
        ]

    def _profile(self, user):
        return getattr(user, "influencer_profile", None)

    def to_representation(self, user):
        data = super().to_representation(user)
        if self._profile(user) is None:
            # No profile row yet: DRF reads its fields as null; answer what a new profile holds.
            for name, field in self.fields.items():
                if data.get(name) is None and field.default not in (empty, None):
                    data[name] = field.default() if callable(field.default) else field.default
        return data

    def get_niches(self, user) -> list[str]:
        profile = self._profile(user)
        return [niche.slug for niche in profile.niches.all()] if profile else []

    def get_content_types(self, user) -> list[str]:
        profile = self._profile(user)
        return [fmt.slug for fmt in profile.content_formats.all()] if profile else []


@extend_schema(tags=["profiles"])
class InfluencerViewSet(viewsets.ReadOnlyModelViewSet):
    """The influencer directory, for vendors."""

    queryset = User.objects.none()
    serializer_class = InfluencerSerializer
    permission_classes = [IsVendorOrStaff]
    filterset_class = InfluencerFilter
    search_fields = ["display_name", "influencer_profile__bio", "influencer_profile__city"]
    ordering_fields = ["display_name", "influencer_profile__engagement_rate", "date_joined"]
    ordering = ["display_name"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.influencers_directory()


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


class CampaignFilter(FilterSet):
    niche = django_filters.CharFilter(field_name="niches__slug", distinct=True)
    vendor = IdFilter(field_name="vendor_id")

    class Meta:
        model = Campaign
        fields = ["status", "niche", "vendor"]


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
    search_fields = ["title", "description", "vendor__business_name"]
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
        page = self.paginate_queryset(selectors.applications_of_campaign(campaign))
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
