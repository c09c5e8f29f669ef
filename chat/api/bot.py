"""The bot's API: Telegram's webhook, linking a Telegram account (for mobile), and the bot's status."""

import hmac

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from anwariya import inputs
from anwariya.api.exceptions import NON_FIELD
from anwariya.api.parsers import JSONDepthOnlyParser
from anwariya.api.schema import ErrorSerializer
from anwariya.api.serializers import StrictInputMixin
from anwariya.errors import DomainError
from chat.telegram.selectors import telegram_bot_status, telegram_link_status
from chat.telegram.services import telegram_account_unlink, telegram_link_code_issue
from chat.telegram.updates import telegram_update_receive

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
UPDATE_ID_MAX = 2**63 - 1


class HasTelegramWebhookSecret(BasePermission):
    """Only Telegram knows the secret given to setWebhook; without a secret set, nobody gets in."""

    def has_permission(self, request, view):
        secret = settings.TELEGRAM_WEBHOOK_SECRET
        if not secret:
            self.message = "The Telegram bot is not configured on this site."
            return False
        self.message = f"Missing or wrong {SECRET_HEADER} header."
        given = request.headers.get(SECRET_HEADER, "")
        return hmac.compare_digest(given.encode(), secret.encode())


class InvalidUpdate(DomainError):
    default_detail = "This is not a Telegram update."


class TelegramUpdateSerializer(StrictInputMixin, serializers.Serializer):
    """A Telegram Update object; only ``update_id`` is required, the other fields are Telegram's."""

    update_id = serializers.IntegerField(min_value=0, max_value=UPDATE_ID_MAX)
    message = serializers.DictField(
        required=False, help_text="A Telegram Message (text, chat, from, reply_to_message)."
    )


class WebhookResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    outcome = serializers.CharField(help_text="What the bot did: linked, posted, greeted, ignored, duplicate, …")


class LinkCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    expires_at = serializers.DateTimeField()
    command = serializers.CharField(help_text="What to send to the bot: /start CODE.")
    bot_link = serializers.CharField(
        help_text="A t.me link that sends the command (empty when the bot's name is unset)."
    )


class TelegramLinkSerializer(serializers.Serializer):
    configured = serializers.BooleanField(help_text="Whether the bot is set up on this site.")
    bot_username = serializers.CharField(help_text="The bot's @username (without @), or empty.")
    linked = serializers.BooleanField()
    telegram_username = serializers.CharField(help_text="The linked account's @username, or empty.")
    telegram_name = serializers.CharField(help_text="The linked account's first name, or empty.")
    linked_at = serializers.DateTimeField(allow_null=True)
    code = LinkCodeSerializer(allow_null=True, help_text="The usable link code, if one was made and is still valid.")


class BotStatusSerializer(serializers.Serializer):
    configured = serializers.BooleanField(help_text="Bot token and webhook secret are both set.")
    bot_username = serializers.CharField()
    last_update_at = serializers.DateTimeField(allow_null=True, help_text="When Telegram last sent an update.")
    deliveries_waiting = serializers.IntegerField(help_text="Outgoing Telegram messages not sent yet.")
    deliveries_failed = serializers.IntegerField(help_text="Outgoing Telegram messages that failed for good.")


class TelegramWebhookApi(APIView):
    """Telegram posts updates here (set with setWebhook and a secret_token)."""

    permission_classes = [HasTelegramWebhookSecret]
    authentication_classes = []
    # Telegram retries what is refused, and a burst of updates must not be throttled into a backlog.
    throttle_classes = []
    parser_classes = [JSONDepthOnlyParser]

    @extend_schema(
        tags=["bot"],
        request=TelegramUpdateSerializer,
        responses={
            200: WebhookResultSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Not JSON, or no valid `update_id`."),
            403: OpenApiResponse(
                ErrorSerializer, description=f"Wrong or missing `{SECRET_HEADER}`, or the bot is not configured."
            ),
        },
        description=(
            f"Telegram's webhook. Requires the `{SECRET_HEADER}` header given to setWebhook. Each "
            "`update_id` is handled once; a repeated one answers 200 with `outcome: duplicate`. Every "
            "valid update answers 200, also the kinds the bot ignores."
        ),
    )
    def post(self, request):
        try:
            data = request.data
        except ParseError:
            raise InvalidUpdate(errors={NON_FIELD: ["The body is not valid JSON."]}) from None
        serializer = TelegramUpdateSerializer(data=data)
        if not serializer.is_valid():
            raise InvalidUpdate(errors=serializer.errors)
        # Handlers read the update as Telegram sent it; the serializer only checked its id.
        update = {**data, "update_id": serializer.validated_data["update_id"]}
        try:
            inputs.check_data(update)
        except inputs.BadText:
            # Text that cannot be stored is not handled; the update is recorded as an unknown kind
            # and still answered 200, as a refusal would be retried by Telegram for ever.
            update = {"update_id": update["update_id"]}
        row = telegram_update_receive(update=update)
        return Response({"ok": True, "outcome": row.outcome if row else "duplicate"})


def _link_body(user):
    link = telegram_link_status(user)
    account = link["account"]
    return {
        "configured": link["configured"],
        "bot_username": link["bot_username"],
        "linked": link["linked"],
        "telegram_username": account.username if account else "",
        "telegram_name": account.first_name if account else "",
        "linked_at": account.linked_at if account else None,
        "code": link["code"],
    }


class TelegramLinkApi(APIView):
    """Your Telegram link: its status, a new one-time code to link, and unlinking."""

    @extend_schema(tags=["bot"], responses=TelegramLinkSerializer)
    def get(self, request):
        return Response(TelegramLinkSerializer(_link_body(request.user)).data)

    @extend_schema(
        tags=["bot"],
        request=None,
        responses={
            201: TelegramLinkSerializer,
            409: OpenApiResponse(ErrorSerializer, description="The bot is not configured on this site."),
        },
        description=(
            "Make a new one-time code (valid 30 minutes; it replaces the previous one). Send `/start CODE` "
            "to the bot from Telegram to link that Telegram account."
        ),
    )
    def post(self, request):
        telegram_link_code_issue(user=request.user)
        return Response(TelegramLinkSerializer(_link_body(request.user)).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["bot"], responses={204: None}, description="Unlink Telegram (nothing happens if not linked).")
    def delete(self, request):
        telegram_account_unlink(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BotStatusApi(APIView):
    """Whether the bot is set up and working."""

    @extend_schema(tags=["bot"], responses=BotStatusSerializer)
    def get(self, request):
        return Response(BotStatusSerializer(telegram_bot_status()).data)
