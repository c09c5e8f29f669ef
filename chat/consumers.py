"""Websockets: one per open chat page (``/ws/chats/<id>/``) and one per user for the nav badge."""

import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.http import Http404

from anwariya import inputs
from anwariya.errors import DomainError
from chat import events, selectors, services
from chat.auth import BEARER

CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
TYPING_INTERVAL = 2.0  # seconds; typing events from one socket more often than this are dropped


class UnknownEvent(DomainError):
    default_detail = 'Unknown event; send "send", "typing" or "read".'


class PushMixin:
    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """Frames are parsed by ``anwariya.inputs``, as API bodies are: one that is not JSON, is
        nested too deep, or holds NUL or a lone surrogate gets an ``error`` event naming the field,
        and the socket stays open (the default decoder raised, closing the socket with 1011)."""
        try:
            if text_data is None:
                raise inputs.MalformedJSON("Send JSON in text frames; binary frames are not read.")
            content = inputs.json_loads(text_data)
        except DomainError as error:
            await self.send_error(error)
            return
        await self.receive_json(content, **kwargs)

    async def send_error(self, error):
        await self.send_json({"type": "error", "detail": error.detail, "code": error.code, "errors": error.errors})

    async def accept_with_protocol(self):
        protocols = [p.strip().lower() for p in self.scope.get("subprotocols", [])]
        await self.accept(subprotocol=BEARER if protocols and protocols[0] == BEARER else None)

    async def push(self, message):
        """Events from the channel layer (see ``chat.events.publish``) go straight to the client."""
        await self.send_json(message["event"])


class ChatConsumer(PushMixin, AsyncJsonWebsocketConsumer):
    """Events out: message.new|edited|deleted, typing, read. Events in: send, typing, read."""

    async def connect(self):
        """Anonymous sockets are closed with 4403. A chat that does not exist and one that is not
        the user's are both closed with 4404, as REST answers 404 for both: the participant rule
        is ``chat.selectors.chat_for_user``'s, and which chat ids exist is nobody else's business."""
        self.user = self.scope.get("user")
        self.chat_id = self.scope["url_route"]["kwargs"]["chat_id"]
        refusal, chat = CLOSE_FORBIDDEN, None
        if self.user and self.user.is_authenticated:
            chat = await self._chat()
            refusal = CLOSE_NOT_FOUND if chat is None else None
        if refusal is not None:
            await self.accept_with_protocol()  # accept first, so the close code reaches the client
            await self.close(code=refusal)
            return
        self.chat = chat
        self.group = events.chat_group(chat.pk)
        self.last_typing = 0.0
        # Join the group before accepting: once the client is told it is connected, it gets
        # every event (a typing start sent by the other side right then was lost before).
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept_with_protocol()

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_send(
                self.group, {"type": "push", "event": {"type": "typing", "user": self.user.pk, "state": "stop"}}
            )
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if not getattr(self, "group", None):
            return
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "send":
            await self._call(services.message_send, chat=self.chat, sender=self.user, text=content.get("text"))
        elif kind == "read":
            await self._call(
                services.chat_mark_read, chat=self.chat, user=self.user, message_id=_int(content.get("message_id"))
            )
        elif kind == "typing":
            await self._typing(content.get("state"))
        else:
            await self.send_error(UnknownEvent(errors={"type": ['Use "send", "typing" or "read".']}))

    async def _typing(self, state):
        state = "stop" if state == "stop" else "start"
        now = time.monotonic()
        if state == "start" and now - self.last_typing < TYPING_INTERVAL:
            return
        self.last_typing = now if state == "start" else 0.0
        await self.channel_layer.group_send(
            self.group, {"type": "push", "event": {"type": "typing", "user": self.user.pk, "state": state}}
        )

    async def _call(self, function, **kwargs):
        """Run a service; its refusal goes back to this socket only, as the API would answer."""
        try:
            await database_sync_to_async(function)(**kwargs)
        except DomainError as error:
            await self.send_error(error)

    @database_sync_to_async
    def _chat(self):
        try:
            return selectors.chat_for_user(self.user, self.chat_id)
        except Http404:
            return None


class NotificationConsumer(PushMixin, AsyncJsonWebsocketConsumer):
    """Per user: ``unread`` totals (on connect and whenever they change) and ``chat.new``."""

    async def connect(self):
        self.user = self.scope.get("user")
        await self.accept_with_protocol()
        if not self.user or not self.user.is_authenticated:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = events.user_group(self.user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_unread()

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def push(self, message):
        event = message["event"]
        if event.get("type") == "unread.changed":
            await self.send_unread()
        else:
            await self.send_json(event)

    async def send_unread(self):
        total = await database_sync_to_async(selectors.unread_total)(self.user)
        await self.send_json({"type": "unread", "total": total})


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
