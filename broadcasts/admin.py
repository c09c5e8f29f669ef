"""Broadcasts in the admin: view only; the lifecycle moves through actions that call the services."""

from django.contrib import admin, messages

from anwariya.errors import DomainError
from broadcasts import services
from broadcasts.models import Broadcast, Delivery


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
        _lifecycle_action(services.broadcast_pause, "Pause"),
        _lifecycle_action(services.broadcast_resume, "Resume"),
        _lifecycle_action(services.broadcast_cancel, "Cancel"),
        _lifecycle_action(services.broadcast_retry_failed, "Retry the failed deliveries of"),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Broadcast._meta.fields] + ["recipients"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # view only: a save would overwrite what the sending batches write
