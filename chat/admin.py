from django.contrib import admin

from chat.models import TelegramAccount, TelegramLinkCode, TelegramMessage, TelegramUpdate


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the bot writes: shown as they are, never added or edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TelegramAccount)
class TelegramAccountAdmin(ReadOnlyAdmin):
    list_display = ["user", "display_handle", "telegram_chat_id", "linked_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__display_name", "username", "=telegram_chat_id"]
    date_hierarchy = "linked_at"
    # Deleting a row unlinks the user, which is allowed.


@admin.register(TelegramLinkCode)
class TelegramLinkCodeAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at", "expires_at", "used_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    # The code itself is a secret of its user until used; the admin does not show it.
    exclude = ["code"]


@admin.register(TelegramUpdate)
class TelegramUpdateAdmin(ReadOnlyAdmin):
    list_display = ["update_id", "kind", "telegram_chat_id", "outcome", "received_at"]
    list_filter = ["kind", "outcome", "received_at"]
    search_fields = ["=update_id", "=telegram_chat_id"]
    date_hierarchy = "received_at"

    def has_delete_permission(self, request, obj=None):
        return False  # the rows are what makes each update run once


@admin.register(TelegramMessage)
class TelegramMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "user", "telegram_chat_id", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "=telegram_chat_id", "last_error"]
    date_hierarchy = "created_at"
    raw_id_fields = ["chat", "message"]
