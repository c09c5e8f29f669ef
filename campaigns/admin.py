from django.contrib import admin

from accounts.models import Role, User
from campaigns.models import Application, Campaign


class ApplicationInline(admin.TabularInline):
    model = Application
    extra = 0
    fields = ["influencer", "kind", "status", "referral_code", "created_at", "decided_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class RoleLimitedForeignKeys:
    """Admin forms offer only users of the right role (a campaign's vendor, an application's influencer)."""

    role_of_field = {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.role_of_field:
            kwargs["queryset"] = User.objects.filter(role=self.role_of_field[db_field.name])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Campaign)
class CampaignAdmin(RoleLimitedForeignKeys, admin.ModelAdmin):
    role_of_field = {"vendor": Role.VENDOR}
    list_display = ["title", "vendor", "status", "budget", "start_date", "end_date", "created_at"]
    list_filter = ["status", "niches", "start_date"]
    list_select_related = ["vendor"]
    search_fields = ["title", "vendor__email", "vendor__business_name"]
    raw_id_fields = ["vendor", "product"]
    filter_horizontal = ["niches"]
    readonly_fields = ["created_at", "opened_at", "closed_at"]
    inlines = [ApplicationInline]


@admin.register(Application)
class ApplicationAdmin(RoleLimitedForeignKeys, admin.ModelAdmin):
    role_of_field = {"influencer": Role.INFLUENCER}
    list_display = ["campaign", "influencer", "kind", "status", "referral_code", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["campaign", "influencer"]
    search_fields = ["campaign__title", "influencer__email", "referral_code"]
    raw_id_fields = ["campaign", "influencer"]
    readonly_fields = ["referral_code", "created_at", "decided_at"]
