"""Your chats: the list, opening one, its messages (paged, and sending) and its read marker."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.wallet import InsufficientTokensSerializer
from accounts.models import User
from anwariya.api.filters import MAX_ID
from anwariya.api.pagination import CursorPagination
from anwariya.api.serializers import StrictInputMixin
from campaigns.models import Campaign
from chat import selectors, services
from chat.api.messages import MessageInputSerializer, MessageSerializer
from chat.models import Chat


class ParticipantSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="public_name")

    class Meta:
        model = User
        fields = ["id", "name", "role"]


class LastMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sender = serializers.IntegerField()
    text = serializers.CharField()
    deleted = serializers.BooleanField()


class ChatSerializer(serializers.ModelSerializer):
    other = serializers.SerializerMethodField(help_text="The other participant.")
    campaign_title = serializers.CharField(source="campaign.title", allow_null=True, read_only=True)
    last_message = serializers.SerializerMethodField()
    unread_count = serializers.IntegerField(read_only=True, help_text="Messages to you after your read marker.")

    class Meta:
        model = Chat
        fields = [
            "id",
            "other",
            "vendor",
            "influencer",
            "campaign",
            "campaign_title",
            "last_message",
            "unread_count",
            "last_message_at",
            "created_at",
        ]

    @extend_schema_field(ParticipantSerializer)
    def get_other(self, chat):
        return ParticipantSerializer(chat.other(self.context["request"].user)).data

    @extend_schema_field(LastMessageSerializer(allow_null=True))
    def get_last_message(self, chat):
        if getattr(chat, "last_message_id", None) is None:
            return None
        deleted = chat.last_message_deleted is not None
        return {
            "id": chat.last_message_id,
            "sender": chat.last_message_sender,
            "text": "" if deleted else chat.last_message_text,
            "deleted": deleted,
        }


class ChatOpenSerializer(StrictInputMixin, serializers.Serializer):
    other_user = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The vendor or influencer to talk to."
    )
    campaign = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)


class ReadInputSerializer(StrictInputMixin, serializers.Serializer):
    message_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class ReadStateSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    last_read_message_id = serializers.IntegerField(allow_null=True)


class MessageCursorPagination(CursorPagination):
    ordering = "-id"
    page_size = 30


class BackfillQuerySerializer(StrictInputMixin, serializers.Serializer):
    before = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="Only messages older than this message id."
    )
    after = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="Only messages newer than this id (backfill after reconnect).",
    )


@extend_schema(tags=["chat"])
class ChatViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your chats, most recent activity first."""

    queryset = Chat.objects.none()
    serializer_class = ChatSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.chats_for_user(self.request.user)

    def get_object(self):
        return selectors.chat_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=ChatOpenSerializer,
        responses={
            200: ChatSerializer,
            201: ChatSerializer,
            402: OpenApiResponse(InsufficientTokensSerializer, description="Not enough tokens to open the chat."),
        },
        description=(
            "Get or create the chat with another user (about a campaign). A vendor opening a new chat "
            "pays the contact price in tokens (402 when short), unless the influencer is on the campaign."
        ),
    )
    def create(self, request):
        serializer = ChatOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        other = User.objects.filter(pk=data["other_user"], is_active=True).first()
        if other is None:
            raise serializers.ValidationError({"other_user": ["No such user."]})
        campaign = None
        if data.get("campaign"):
            campaign = Campaign.objects.filter(pk=data["campaign"]).first()
            if campaign is None:
                raise serializers.ValidationError({"campaign": ["No such campaign."]})
        chat, created = services.chat_open(actor=request.user, other=other, campaign=campaign)
        body = ChatSerializer(selectors.chat_for_user(request.user, chat.pk), context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        methods=["GET"],
        parameters=[BackfillQuerySerializer],
        responses=MessageSerializer(many=True),
        description="Newest first, cursor-paginated.",
    )
    @extend_schema(methods=["POST"], request=MessageInputSerializer, responses={201: MessageSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=MessageCursorPagination)
    def messages(self, request, pk=None):
        chat = self.get_object()
        if request.method == "POST":
            serializer = MessageInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            message = services.message_send(chat=chat, sender=request.user, text=serializer.validated_data["text"])
            return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
        query = BackfillQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        messages = selectors.messages_of_chat(chat, **query.validated_data)
        page = self.paginate_queryset(messages)
        return self.get_paginated_response(MessageSerializer(page, many=True).data)

    @extend_schema(request=ReadInputSerializer, responses=ReadStateSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        chat = self.get_object()
        serializer = ReadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        state = services.chat_mark_read(
            chat=chat, user=request.user, message_id=serializer.validated_data["message_id"]
        )
        return Response({"user": request.user.pk, "last_read_message_id": state.last_read_message_id})
