from django.contrib import admin, messages

from accounts.models import Role, User
from anwariya.errors import DomainError
from campaigns import broadcasts
from campaigns.models import Application, Broadcast, Campaign, Delivery


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


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ["recipient", "channel", "status", "attempts", "last_error", "sent_at", "message"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recipient", "message")


def _lifecycle_action(service, label):
    def action(modeladmin, request, queryset):
        done = 0
        for broadcast in queryset:
            try:
                service(broadcast=broadcast)
                done += 1
            except DomainError as error:
                modeladmin.message_user(request, f"{broadcast}: {error.detail}", messages.WARNING)
        if done:
            modeladmin.message_user(request, f"{label}: {done} broadcast(s).", messages.SUCCESS)

    action.__name__ = f"{service.__name__}_action"
    return admin.action(description=f"{label} the selected broadcasts")(action)


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    """Read-only: broadcasts change through their services (the actions), never by hand."""

    list_display = ["title", "vendor", "status", "recipient_count", "sent", "failed", "skipped", "created_at"]
    list_filter = ["status", "audience"]
    list_select_related = ["vendor"]
    search_fields = ["title", "body", "vendor__email", "vendor__business_name"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]
    actions = [
        _lifecycle_action(broadcasts.broadcast_pause, "Pause"),
        _lifecycle_action(broadcasts.broadcast_resume, "Resume"),
        _lifecycle_action(broadcasts.broadcast_cancel, "Cancel"),
        _lifecycle_action(broadcasts.broadcast_retry_failed, "Retry the failed deliveries of"),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Broadcast._meta.fields] + ["recipients"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # view only: a save would overwrite what the sending batches write
