"""The profile API: your own profile (``/api/v1/profile/``) and the influencer directory."""

import zoneinfo

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.fields import empty
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role, User
from anwariya.api.permissions import IsVendorOrStaff
from anwariya.api.schema import URL_PATTERN, ByFieldProxySerializer
from anwariya.api.serializers import StrictInputMixin
from profiles import selectors, services
from profiles.filters import InfluencerFilter
from profiles.gst import GstState, RegistrationType
from profiles.models import SOCIAL_NETWORKS, Availability, ContentFormat, FollowerBand, Niche

TIME_ZONES = sorted(zoneinfo.available_timezones())


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
    legal_name = serializers.CharField(
        max_length=200, allow_blank=True, required=False, help_text="The name registered under GST; on invoices."
    )
    address = serializers.CharField(
        max_length=500, allow_blank=True, required=False, help_text="The registered address; on invoices."
    )
    state = serializers.ChoiceField(
        choices=GstState.choices, allow_blank=True, required=False, help_text="Two-digit GST state code, e.g. 27."
    )
    registration_type = serializers.ChoiceField(
        choices=RegistrationType.choices,
        required=False,
        help_text="`regular`: tax invoices with GST; `composition` and `unregistered`: bills of supply, no tax.",
    )
    gstin = serializers.CharField(
        max_length=15,
        allow_blank=True,
        required=False,
        help_text="Required when registered; checked (checksum, PAN) and must start with `state`.",
    )
    prices_include_tax = serializers.BooleanField(required=False, help_text="Catalog prices already include GST.")
    invoice_prefix = serializers.RegexField(
        r"^[A-Za-z0-9]{0,3}$",
        max_length=3,
        allow_blank=True,
        required=False,
        help_text="Up to 3 letters or digits before invoice numbers (ABC/26-27/000001).",
    )
    logo = serializers.ImageField(
        required=False,
        allow_null=True,
        help_text="PNG or JPEG, at most 1 MB and 2000 px a side, sent as multipart/form-data; null removes it.",
    )
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
            serializer_class, update = InfluencerProfileSerializer, services.influencer_profile_update
        elif user.role == Role.VENDOR:
            serializer_class, update = VendorProfileSerializer, services.vendor_profile_update
        else:
            raise PermissionDenied("Admin accounts have no vendor or influencer profile.")
        return services.profile_get_or_create(user=user), serializer_class, update

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
        # The other role's fields (an influencer's `gstin`, a vendor's `niches`) are refused, not
        # ignored: the schema's shape for your role has no such field.
        keys = request.data if isinstance(request.data, dict) else {}  # the serializer refuses a non-object
        unknown = sorted(set(keys) - set(serializer_class().fields))
        if unknown:
            whose = "An influencer's" if request.user.role == Role.INFLUENCER else "A vendor's"
            raise ValidationError({name: [f"{whose} profile has no such field."] for name in unknown})
        serializer = serializer_class(profile, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        profile = update(user=request.user, **_flatten(serializer.validated_data))
        profile.refresh_from_db()
        return Response(serializer_class(profile).data)


class DirectoryPermission(IsVendorOrStaff):
    message = "The influencer directory is for vendors."


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
    permission_classes = [DirectoryPermission]
    # The filters and the search are the page's (InfluencerFilter); DRF's SearchFilter, with no
    # search_fields here, only documents ``search``, as on every list.
    filterset_class = InfluencerFilter
    ordering_fields = ["display_name", "influencer_profile__engagement_rate", "date_joined"]
    ordering = ["display_name", "pk"]  # the page's order: the same name never shuffles between pages
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.influencers_directory()
