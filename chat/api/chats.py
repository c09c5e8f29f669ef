"""Your chats: the list (filtered, searched), opening one, its messages (paged, filtered,
searched, and sending), its read marker, archiving it for yourself, and reply suggestions."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from accounts.api.wallet import InsufficientTokensSerializer
from accounts.models import User
from anwariya.api.filters import MAX_ID
from anwariya.api.pagination import CursorPagination
from anwariya.api.schema import conflict
from anwariya.api.serializers import StrictInputMixin
from campaigns.models import Campaign
from chat import selectors, services, suggestions
from chat.api.messages import MessageInputSerializer, MessageSerializer
from chat.filters import SEARCH_MAX_LENGTH, ChatFilter
from chat.models import Chat
from chat.tagging import Tag
from chat.throttles import SuggestionsThrottle


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


class OpenQuestionSerializer(serializers.Serializer):
    message = serializers.IntegerField(help_text="The newest question not answered yet.")
    asked_by = serializers.IntegerField(help_text="Who asked it: the other side answers it.")


class ChatSerializer(serializers.ModelSerializer):
    other = serializers.SerializerMethodField(help_text="The other participant.")
    campaign_title = serializers.CharField(source="campaign.title", allow_null=True, read_only=True)
    last_message = serializers.SerializerMethodField()
    unread_count = serializers.IntegerField(read_only=True, help_text="Messages to you after your read marker.")
    archived = serializers.SerializerMethodField(help_text="Whether you archived it (the other side's view is theirs).")
    archived_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="When you archived it.")
    open_question = serializers.SerializerMethodField(
        help_text="A question one side asked that the other has not written after (null when none)."
    )

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
            "archived",
            "archived_at",
            "open_question",
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

    def get_archived(self, chat) -> bool:
        return chat.archived_at is not None

    @extend_schema_field(OpenQuestionSerializer(allow_null=True))
    def get_open_question(self, chat):
        if chat.open_question_id is None:
            return None
        return {"message": chat.open_question_id, "asked_by": chat.open_question_by}


class SuggestionsSerializer(serializers.Serializer):
    source = serializers.ChoiceField(
        choices=["gemini", "rules"], help_text="gemini when Gemini answered, rules otherwise."
    )
    suggestions = serializers.ListField(
        child=serializers.CharField(max_length=suggestions.MAX_LENGTH),
        min_length=suggestions.COUNT,
        max_length=suggestions.COUNT,
        help_text="Three short replies. Put one in the message box; nothing is sent by itself.",
    )
    message = serializers.IntegerField(help_text="The other side's message they reply to.")
    cached = serializers.BooleanField(help_text="Whether this answer was made earlier for the same messages.")
    fallback_reason = serializers.CharField(
        allow_null=True, help_text="Why the rules answered (no key, timeout, …); null when Gemini did."
    )


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
    tag = serializers.ChoiceField(choices=Tag.choices, required=False, help_text="Only messages with this tag.")
    q = serializers.CharField(
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Search the messages' text (full text on PostgreSQL; every word on other databases).",
    )


@extend_schema(tags=["chat"])
class ChatViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your chats, most recent activity first (without the ones you archived, unless `?archived=true`)."""

    queryset = Chat.objects.none()
    serializer_class = ChatSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ChatFilter
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
        description=(
            "Newest first, cursor-paginated. `?tag=` only messages with that tag, `?q=` a search of the "
            "text (deleted messages never match); both combine with `before`/`after`."
        ),
    )
    @extend_schema(methods=["POST"], request=MessageInputSerializer, responses={201: MessageSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=MessageCursorPagination, filter_backends=[])
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
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request, pk=None):
        chat = self.get_object()
        serializer = ReadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        state = services.chat_mark_read(
            chat=chat, user=request.user, message_id=serializer.validated_data["message_id"]
        )
        return Response({"user": request.user.pk, "last_read_message_id": state.last_read_message_id})

    @extend_schema(
        request=None,
        responses=ChatSerializer,
        description=(
            "Archive the chat for yourself: it leaves your default list (`?archived=true` lists it) and "
            "your unread total. A new message from the other side brings it back. Archiving twice keeps "
            "the first time."
        ),
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def archive(self, request, pk=None):
        services.chat_archive(chat=self.get_object(), user=request.user)
        return Response(ChatSerializer(self.get_object(), context={"request": request}).data)

    @extend_schema(request=None, responses=ChatSerializer, description="Bring an archived chat back to your list.")
    @action(detail=True, methods=["post"], filter_backends=[])
    def unarchive(self, request, pk=None):
        services.chat_unarchive(chat=self.get_object(), user=request.user)
        return Response(ChatSerializer(self.get_object(), context={"request": request}).data)

    @extend_schema(
        request=None,
        responses={
            200: SuggestionsSerializer,
            409: conflict("The other side has not written anything yet (`errors.message`)."),
        },
        description=(
            "Three short replies to the other side's last message: from Gemini when the site has a "
            "`GEMINI_API_KEY` (the prompt holds only this chat's recent messages and the campaign's "
            "brief), from rules otherwise or when Gemini fails; `source` says which. Cached per last "
            "message. Never sent by themselves. Throttled per user (`CHAT_SUGGESTIONS_THROTTLE`)."
        ),
    )
    @action(detail=True, methods=["post"], throttle_classes=[UserRateThrottle, SuggestionsThrottle], filter_backends=[])
    def suggestions(self, request, pk=None):
        return Response(suggestions.suggestions_for(chat=self.get_object(), user=request.user))
