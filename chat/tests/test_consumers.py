"""Websocket tests with Channels' communicator against the real ASGI app and channel layer.

With ``REDIS_URL`` set (CI's second stage) the same tests run over the Redis channel layer.
"""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken

from accounts.tests.factories import InfluencerFactory, VendorFactory
from anwariya.asgi import application
from anwariya.tests.api import api_client
from chat import services
from chat.tests.factories import make_chat

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://testserver")


def token(user):
    return str(AccessToken.for_user(user))


async def connect(path, user=None, *, subprotocol=False, session_of=None):
    headers = [ORIGIN]
    subprotocols = None
    if session_of is not None:
        cookie = await database_sync_to_async(_session_cookie)(session_of)
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    elif user is not None and subprotocol:
        subprotocols = ["bearer", token(user)]
    elif user is not None:
        path = f"{path}?token={token(user)}"
    communicator = WebsocketCommunicator(application, path, headers=headers, subprotocols=subprotocols)
    connected, chosen = await communicator.connect(timeout=5)
    assert connected
    return communicator, chosen


def _session_cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def receive(communicator, kind, timeout=3):
    """The next event of this ``type``, skipping others (e.g. typing stops)."""
    while True:
        event = await communicator.receive_json_from(timeout=timeout)
        if event.get("type") == kind:
            return event


async def closed_with(communicator):
    """The close code the server sent; the client then hangs up, as a protocol server does, so no
    consumer is left listening on the channel layer when the test's event loop closes."""
    output = await communicator.receive_output(timeout=3)
    assert output["type"] == "websocket.close"
    await communicator.disconnect()
    return output.get("code")


@pytest.fixture
async def chat():
    return await database_sync_to_async(make_chat)()


async def test_both_participants_receive_a_message(chat):
    vendor_socket, _ = await connect(f"/ws/chats/{chat.pk}/", chat.vendor)
    influencer_socket, _ = await connect(f"/ws/chats/{chat.pk}/", chat.influencer)

    await influencer_socket.send_json_to({"type": "send", "text": "  Namaste!  "})
    for socket in (vendor_socket, influencer_socket):
        event = await receive(socket, "message.new")
        assert event["message"]["text"] == "Namaste!"
        assert event["message"]["sender"] == chat.influencer_id
    assert await database_sync_to_async(chat.messages.count)() == 1
    await vendor_socket.disconnect()
    await influencer_socket.disconnect()


async def test_new_and_edited_message_events_carry_tags_and_language(chat):
    socket, _ = await connect(f"/ws/chats/{chat.pk}/", chat.vendor)
    await socket.send_json_to({"type": "send", "text": "भुगतान कब होगा? रेट कितना है?"})
    event = await receive(socket, "message.new")
    assert event["message"]["tags"] == ["price", "payment", "question"]
    assert event["message"]["language"] == "hi"

    message = await database_sync_to_async(chat.messages.get)()
    await database_sync_to_async(services.message_edit)(
        message=message, actor=chat.vendor, text="Please sign the contract by Friday."
    )
    event = await receive(socket, "message.edited")
    assert event["message"]["tags"] == ["deadline", "contract"]
    assert event["message"]["language"] == "en"
    await socket.disconnect()


async def test_anonymous_and_bad_token_are_closed_with_4403(chat):
    anonymous, _ = await connect(f"/ws/chats/{chat.pk}/")
    assert await closed_with(anonymous) == 4403
    bad_token = WebsocketCommunicator(application, f"/ws/chats/{chat.pk}/?token=garbage", headers=[ORIGIN])
    await bad_token.connect()
    assert await closed_with(bad_token) == 4403


async def test_unknown_chat_is_closed_with_4404(chat):
    socket, _ = await connect("/ws/chats/999999/", chat.vendor)
    assert await closed_with(socket) == 4404


@pytest.mark.parametrize("outsider", [VendorFactory, InfluencerFactory])
async def test_a_chat_not_yours_is_closed_as_unknown_with_4404_like_rest(chat, outsider):
    """A third user cannot tell an existing chat from a missing one: REST answers 404 for both."""
    stranger = await database_sync_to_async(outsider)()
    socket, _ = await connect(f"/ws/chats/{chat.pk}/", stranger)
    assert await closed_with(socket) == 4404
    missing, _ = await connect("/ws/chats/999999/", stranger)
    assert await closed_with(missing) == 4404
    rest = await database_sync_to_async(lambda: api_client(stranger).get(f"/api/v1/chats/{chat.pk}/"))()
    assert rest.status_code == 404


async def test_jwt_in_subprotocol_and_session_cookie(chat):
    socket, chosen = await connect(f"/ws/chats/{chat.pk}/", chat.vendor, subprotocol=True)
    assert chosen == "bearer"
    page_socket, _ = await connect(f"/ws/chats/{chat.pk}/", session_of=chat.influencer)
    await socket.send_json_to({"type": "send", "text": "over JWT"})
    assert (await receive(page_socket, "message.new"))["message"]["text"] == "over JWT"
    await socket.disconnect()
    await page_socket.disconnect()


async def test_foreign_origin_is_refused(chat):
    communicator = WebsocketCommunicator(
        application, f"/ws/chats/{chat.pk}/?token={token(chat.vendor)}", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected
    await communicator.disconnect()


async def test_typing_is_broadcast_and_throttled(chat):
    vendor_socket, _ = await connect(f"/ws/chats/{chat.pk}/", chat.vendor)
    influencer_socket, _ = await connect(f"/ws/chats/{chat.pk}/", chat.influencer)
    await vendor_socket.send_json_to({"type": "typing", "state": "start"})
    event = await receive(influencer_socket, "typing")
    assert (event["user"], event["state"]) == (chat.vendor_id, "start")
    await vendor_socket.send_json_to({"type": "typing", "state": "start"})  # too soon: dropped
    await vendor_socket.send_json_to({"type": "typing", "state": "stop"})
    event = await receive(influencer_socket, "typing")
    assert event["state"] == "stop"
    await vendor_socket.disconnect()
    await influencer_socket.disconnect()


async def test_read_receipts(chat):
    message = await database_sync_to_async(services.message_send)(chat=chat, sender=chat.vendor, text="Seen?")
    vendor_socket, _ = await connect(f"/ws/chats/{chat.pk}/", chat.vendor)
    influencer_socket, _ = await connect(f"/ws/chats/{chat.pk}/", chat.influencer)
    await influencer_socket.send_json_to({"type": "read", "message_id": message.pk})
    event = await receive(vendor_socket, "read")
    assert (event["user"], event["message_id"]) == (chat.influencer_id, message.pk)
    await vendor_socket.disconnect()
    await influencer_socket.disconnect()


async def test_rest_post_edit_and_delete_reach_the_socket(chat):
    socket, _ = await connect(f"/ws/chats/{chat.pk}/", chat.influencer)

    def rest_calls():
        client = api_client(chat.vendor)
        message = client.post(f"/api/v1/chats/{chat.pk}/messages/", {"text": "from REST"}).json()
        client.patch(f"/api/v1/messages/{message['id']}/", {"text": "edited"})
        client.delete(f"/api/v1/messages/{message['id']}/")

    await database_sync_to_async(rest_calls)()
    assert (await receive(socket, "message.new"))["message"]["text"] == "from REST"
    assert (await receive(socket, "message.edited"))["message"]["text"] == "edited"
    deleted = (await receive(socket, "message.deleted"))["message"]
    assert (deleted["deleted"], deleted["text"]) == (True, "")
    await socket.disconnect()


async def test_empty_and_too_long_messages_get_an_error_event(chat):
    socket, _ = await connect(f"/ws/chats/{chat.pk}/", chat.vendor)
    await socket.send_json_to({"type": "send", "text": "   "})
    assert "text" in (await receive(socket, "error"))["errors"]
    await socket.send_json_to({"type": "send", "text": "x" * 4001})
    assert "text" in (await receive(socket, "error"))["errors"]
    assert await database_sync_to_async(chat.messages.count)() == 0
    await socket.disconnect()


async def test_notifications_push_unread_totals_and_new_chats():
    vendor = await database_sync_to_async(VendorFactory)()
    influencer = await database_sync_to_async(InfluencerFactory)()
    chat = await database_sync_to_async(make_chat)(vendor=vendor, influencer=influencer)
    socket, _ = await connect("/ws/notifications/", influencer)
    assert (await receive(socket, "unread"))["total"] == 0
    await database_sync_to_async(services.message_send)(chat=chat, sender=vendor, text="ping")
    assert (await receive(socket, "unread"))["total"] == 1
    await socket.disconnect()
    await asyncio.sleep(0)


# --- Frames that are not what the protocol expects: an error event, and the socket stays open ---

NUL_MESSAGE = "Null characters are not allowed."


async def assert_still_open(socket, chat):
    """The socket still works after the error: a real message goes through."""
    await socket.send_json_to({"type": "send", "text": "still here"})
    assert (await receive(socket, "message.new"))["message"]["text"] == "still here"
    assert await database_sync_to_async(chat.messages.count)() == 1


@pytest.mark.parametrize(
    ("frame", "code", "field"),
    [
        ("not json", "parse_error", "non_field_errors"),
        ('{"type": "send", "text": NaN}', "parse_error", "non_field_errors"),
        ('{"type": "send", "text": ' + "[" * 1000 + "]" * 1000 + "}", "parse_error", "non_field_errors"),
        ("[" * 100_000, "parse_error", "non_field_errors"),
        ('{"type": "send", "text": "a\\u0000b"}', "invalid", "text"),
        ('{"type": "send", "text": "a\\ud800b"}', "invalid", "text"),
    ],
    ids=["not-json", "nan", "nested-too-deep", "unclosed-deep", "nul", "lone-surrogate"],
)
async def test_bad_frame_gets_an_error_event_and_the_socket_stays_open(chat, frame, code, field):
    socket, _ = await connect(f"/ws/chats/{chat.pk}/", chat.vendor)
    await socket.send_to(text_data=frame)
    error = await receive(socket, "error")
    assert error["code"] == code
    assert error["errors"][field]
    assert error["detail"]
    await assert_still_open(socket, chat)
    await socket.disconnect()


async def test_nul_frame_names_the_field_with_the_api_message(chat):
    socket, _ = await connect(f"/ws/chats/{chat.pk}/", chat.vendor)
    await socket.send_to(text_data='{"type": "send", "text": "a\\u0000b"}')
    error = await receive(socket, "error")
    assert error == {
        "type": "error",
        "detail": f"text: {NUL_MESSAGE}",
        "code": "invalid",
        "errors": {"text": [NUL_MESSAGE]},
    }
    await socket.disconnect()


async def test_binary_frame_gets_an_error_event_and_the_socket_stays_open(chat):
    socket, _ = await connect(f"/ws/chats/{chat.pk}/", chat.vendor)
    await socket.send_to(bytes_data=b'{"type": "send", "text": "hi"}')
    error = await receive(socket, "error")
    assert error["code"] == "parse_error"
    await assert_still_open(socket, chat)
    await socket.disconnect()


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ([1, 2], "type"),
        ("send", "type"),
        (None, "type"),
        ({"type": ["send"]}, "type"),
        ({"type": "send", "text": [1]}, "text"),
    ],
)
async def test_frame_of_the_wrong_shape_gets_an_error_event_naming_the_field(chat, content, field):
    socket, _ = await connect(f"/ws/chats/{chat.pk}/", chat.vendor)
    await socket.send_json_to(content)
    error = await receive(socket, "error")
    assert (error["code"], list(error["errors"])) == ("invalid", [field])
    await assert_still_open(socket, chat)
    await socket.disconnect()


async def test_message_of_the_longest_allowed_length_is_sent_and_one_more_is_refused(chat):
    socket, _ = await connect(f"/ws/chats/{chat.pk}/", chat.vendor)
    await socket.send_json_to({"type": "send", "text": "x" * 4001})
    error = await receive(socket, "error")
    assert error["errors"] == {"text": ["Ensure this field has no more than 4000 characters."]}
    await socket.send_json_to({"type": "send", "text": "x" * 4000})
    assert len((await receive(socket, "message.new"))["message"]["text"]) == 4000
    await socket.disconnect()


async def test_bad_frame_on_the_notification_socket_gets_an_error_event_and_it_stays_open():
    user = await database_sync_to_async(VendorFactory)()
    socket, _ = await connect("/ws/notifications/", user)
    assert (await receive(socket, "unread"))["total"] == 0
    await socket.send_to(text_data="not json")
    assert (await receive(socket, "error"))["code"] == "parse_error"
    await socket.send_to(text_data='{"x": "\\u0000"}')
    assert (await receive(socket, "error"))["errors"] == {"x": [NUL_MESSAGE]}
    assert await socket.receive_nothing(timeout=0.2)
    await socket.disconnect()
