"""One message: reading it, and its sender editing or deleting it."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from anwariya.api.schema import conflict
from anwariya.api.serializers import StrictInputMixin
from chat import selectors, services
from chat.events import message_payload
from chat.models import Message
from chat.tagging import Tag


class MessageSerializer(serializers.ModelSerializer):
    sender_name = serializers.CharField(
        source="sender.public_name", read_only=True, help_text='"Deleted user" once closed.'
    )
    text = serializers.SerializerMethodField()
    deleted = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField(help_text="What the message is about (none for a deleted one).")
    language = serializers.SerializerMethodField(
        help_text='Detected language code (e.g. "en", "hi"); "und" when too short or unclear; "" when not known.'
    )

    class Meta:
        model = Message
        fields = [
            "id",
            "chat",
            "sender",
            "sender_name",
            "text",
            "created_at",
            "edited_at",
            "deleted",
            "tags",
            "language",
        ]

    def get_text(self, message) -> str:
        return message_payload(message)["text"]

    def get_deleted(self, message) -> bool:
        return message.is_deleted

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Tag.choices)))
    def get_tags(self, message):
        return message_payload(message)["tags"]

    def get_language(self, message) -> str:
        return message_payload(message)["language"]


class MessageInputSerializer(StrictInputMixin, serializers.Serializer):
    text = serializers.CharField(max_length=Message.MAX_LENGTH, help_text="1 to 4000 characters.")


@extend_schema(tags=["chat"])
class MessageViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """One message. Its sender may edit or delete it for 10 minutes."""

    queryset = Message.objects.none()
    serializer_class = MessageSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self):
        return selectors.message_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=MessageInputSerializer,
        responses={200: MessageSerializer, 409: conflict("The message was deleted, or is too old to edit.")},
        description="Edit your message's text. Without `text` nothing changes.",
    )
    def partial_update(self, request, *args, **kwargs):
        serializer = MessageInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        message = self.get_object()
        if "text" in serializer.validated_data:
            message = services.message_edit(message=message, actor=request.user, text=serializer.validated_data["text"])
        return Response(MessageSerializer(message).data)

    @extend_schema(responses={204: None, 409: conflict("The message was deleted already, or is too old to delete.")})
    def destroy(self, request, *args, **kwargs):
        services.message_delete(message=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
