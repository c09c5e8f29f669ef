"""A closed account's websockets are refused, with the JWT or the session cookie it had before."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken

from accounts.closing import account_close
from accounts.tests.factories import PASSWORD
from anwariya.asgi import application
from chat.tests.factories import make_chat
from chat.tests.test_consumers import ORIGIN, closed_with, receive

pytestmark = pytest.mark.django_db(transaction=True)


async def open_socket(path, *, token=None, cookie=None):
    headers = [ORIGIN]
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    if token:
        path = f"{path}?token={token}"
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    return communicator


def _session_cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.mark.parametrize("way", ["jwt", "session"])
async def test_a_closed_account_cannot_open_a_chat_socket_with_what_it_had(way):
    chat = await database_sync_to_async(make_chat)()
    influencer = chat.influencer
    credentials = {"token": str(AccessToken.for_user(influencer))}
    if way == "session":
        credentials = {"cookie": await database_sync_to_async(_session_cookie)(influencer)}
    path = f"/ws/chats/{chat.pk}/"

    before = await open_socket(path, **credentials)
    await before.send_json_to({"type": "send", "text": "still here"})
    assert (await receive(before, "message.new"))["message"]["text"] == "still here"
    await before.disconnect()

    await database_sync_to_async(account_close)(user=influencer, password=PASSWORD)
    after = await open_socket(path, **credentials)
    assert await closed_with(after) == 4403
