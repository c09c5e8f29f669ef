from django import forms
from django.contrib import admin

from anwariya.admin import ServiceFormAdmin, ServiceModelForm
from profiles import services
from profiles.models import ContentFormat, InfluencerProfile, Niche, VendorProfile


@admin.register(Niche, ContentFormat)
class ManagedListAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class InfluencerProfileAdminForm(ServiceModelForm):
    """Saves what the admin changed with ``influencer_profile_update``: its checks (the social
    links) apply, and its errors land on their fields."""

    class Meta:
        model = InfluencerProfile
        fields = [
            "niches",
            "follower_band",
            "engagement_rate",
            "content_formats",
            "availability",
            "bio",
            "social_links",
            "city",
            "country",
        ]

    def save_through_service(self):
        changes = self.changed_fields()
        return services.influencer_profile_update(user=self.instance.user, **changes) if changes else self.instance


class VendorProfileAdminForm(ServiceModelForm):
    """Saves what the admin changed with ``vendor_profile_update``: its checks (the time zone,
    the GST details, the logo) apply, and its errors land on their fields."""

    website = forms.URLField(max_length=200, required=False, assume_scheme="https")  # as on the profile page

    class Meta:
        model = VendorProfile
        fields = [
            "time_zone",
            "website",
            "description",
            "city",
            "country",
            "legal_name",
            "address",
            "state",
            "registration_type",
            "gstin",
            "prices_include_tax",
            "invoice_prefix",
            "logo",
        ]

    def save_through_service(self):
        changes = self.changed_fields()
        if changes.get("logo") is False:  # the "clear" box
            changes["logo"] = None
        return services.vendor_profile_update(user=self.instance.user, **changes) if changes else self.instance


class ProfileAdmin(ServiceFormAdmin, admin.ModelAdmin):
    """A profile is its user's: made by ``profile_get_or_create`` the first time it is asked for,
    edited through the profile services. The admin edits existing ones and never adds or deletes."""

    list_select_related = ["user"]
    readonly_fields = ["user", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InfluencerProfile)
class InfluencerProfileAdmin(ProfileAdmin):
    form = InfluencerProfileAdminForm
    fields = ["user", *InfluencerProfileAdminForm.Meta.fields, "updated_at"]
    list_display = ["user", "follower_band", "engagement_rate", "availability", "country", "updated_at"]
    list_filter = ["follower_band", "availability", "niches", "content_formats"]
    search_fields = ["user__email", "user__display_name", "city", "country"]
    filter_horizontal = ["niches", "content_formats"]


@admin.register(VendorProfile)
class VendorProfileAdmin(ProfileAdmin):
    form = VendorProfileAdminForm
    fields = ["user", *VendorProfileAdminForm.Meta.fields, "updated_at"]
    list_display = ["user", "legal_name", "registration_type", "gstin", "state", "city", "updated_at"]
    list_filter = ["registration_type", "state"]
    search_fields = ["user__email", "user__business_name", "legal_name", "gstin", "city", "country"]
