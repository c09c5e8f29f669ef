from django.contrib import admin

from profiles.models import ContentFormat, InfluencerProfile, Niche, VendorProfile


@admin.register(Niche, ContentFormat)
class ManagedListAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(InfluencerProfile)
class InfluencerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "follower_band", "engagement_rate", "availability", "country", "updated_at"]
    list_filter = ["follower_band", "availability", "niches", "content_formats"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__display_name", "city", "country"]
    raw_id_fields = ["user"]
    filter_horizontal = ["niches", "content_formats"]


@admin.register(VendorProfile)
class VendorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "website", "city", "country", "updated_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__business_name", "city", "country"]
    raw_id_fields = ["user"]
