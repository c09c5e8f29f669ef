"""Broadcasts in the admin: view only; the lifecycle moves through actions that call the services."""

from django.contrib import admin

from anwariya.admin import service_action
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


def _lifecycle_action(service, label, done):
    """``label`` the selected broadcasts through ``service``, one by one (``service_action``)."""

    def run(request, broadcast):
        service(broadcast=broadcast)
        return done

    return service_action(
        run,
        name=f"{service.__name__}_action",
        description=f"{label} the selected broadcasts",
        permission="broadcast_lifecycle",
    )


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
        _lifecycle_action(services.broadcast_pause, "Pause", "paused."),
        _lifecycle_action(services.broadcast_resume, "Resume", "resumed."),
        _lifecycle_action(services.broadcast_cancel, "Cancel", "cancelled."),
        _lifecycle_action(
            services.broadcast_retry_failed, "Retry the failed deliveries of", "failed deliveries queued again."
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Broadcast._meta.fields] + ["recipients"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # view only: a save would overwrite what the sending batches write

    def has_broadcast_lifecycle_permission(self, request):
        """Who may run the actions: whoever holds the broadcasts' change permission."""
        return request.user.has_perm("broadcasts.change_broadcast")
