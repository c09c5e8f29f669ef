"""Archived threads, the open question, ``?tag=`` and ``?q=`` on chats and messages, over the API,
with their query counts."""

import pytest
from django.db import connection

from accounts.tests.factories import InfluencerFactory, VendorFactory
from anwariya.tests.api import api_client, assert_error
from anwariya.tests.schema import assert_matches, operation, parameter
from chat import selectors, services
from chat.tests.factories import make_chat

pytestmark = pytest.mark.django_db

CHATS = "/api/v1/chats/"


def send(chat, sender, text):
    return services.message_send(chat=chat, sender=sender, text=text)


def ids(response):
    assert response.status_code == 200, response.content
    return [chat["id"] for chat in response.json()["results"]]


# --- Archive ----------------------------------------------------------------------------------


def test_archiving_hides_a_chat_for_that_participant_only():
    vendor = VendorFactory()
    kept, archived = make_chat(vendor=vendor), make_chat(vendor=vendor)
    client = api_client(vendor)

    response = client.post(f"{CHATS}{archived.pk}/archive/")
    assert response.status_code == 200
    assert response.json()["archived"] is True
    assert response.json()["archived_at"]
    assert_matches(response, "/api/v1/chats/{id}/archive/", "post")

    assert ids(client.get(CHATS)) == [kept.pk]
    assert ids(client.get(CHATS, {"archived": "true"})) == [archived.pk]
    assert ids(client.get(CHATS, {"archived": "false"})) == [kept.pk]
    # The chat itself is still there for its participant, and the other side sees no change.
    assert client.get(f"{CHATS}{archived.pk}/").json()["archived"] is True
    other_side = api_client(archived.influencer).get(CHATS).json()["results"]
    assert [(c["id"], c["archived"]) for c in other_side] == [(archived.pk, False)]

    response = client.post(f"{CHATS}{archived.pk}/unarchive/")
    assert response.json()["archived"] is False
    assert sorted(ids(client.get(CHATS))) == sorted([kept.pk, archived.pk])
    assert_error(client.get(CHATS, {"archived": "maybe"}), 400, "archived")


def test_archiving_twice_keeps_the_first_time():
    chat = make_chat()
    client = api_client(chat.vendor)
    first = client.post(f"{CHATS}{chat.pk}/archive/").json()["archived_at"]
    assert client.post(f"{CHATS}{chat.pk}/archive/").json()["archived_at"] == first


def test_a_new_message_brings_the_chat_back_for_its_recipient_not_its_sender():
    chat = make_chat()
    vendor, influencer = api_client(chat.vendor), api_client(chat.influencer)
    vendor.post(f"{CHATS}{chat.pk}/archive/")
    influencer.post(f"{CHATS}{chat.pk}/archive/")

    send(chat, chat.influencer, "Are you there?")

    assert ids(vendor.get(CHATS)) == [chat.pk]  # the recipient has it back, with its unread message
    assert vendor.get(CHATS).json()["results"][0]["unread_count"] == 1
    assert ids(influencer.get(CHATS)) == []  # the sender archived it and it stays so
    assert ids(influencer.get(CHATS, {"archived": "true"})) == [chat.pk]


def test_archived_chats_leave_the_unread_total_but_keep_their_count():
    chat = make_chat()
    send(chat, chat.vendor, "one")
    send(chat, chat.vendor, "two")
    assert selectors.unread_total(chat.influencer) == 2
    services.chat_archive(chat=chat, user=chat.influencer)
    assert selectors.unread_total(chat.influencer) == 0
    archived = api_client(chat.influencer).get(CHATS, {"archived": "true"}).json()["results"]
    assert archived[0]["unread_count"] == 2


def test_only_participants_archive():
    chat = make_chat()
    stranger = api_client(VendorFactory())
    assert_error(stranger.post(f"{CHATS}{chat.pk}/archive/"), 404)
    assert_error(stranger.post(f"{CHATS}{chat.pk}/unarchive/"), 404)


# --- The open question ------------------------------------------------------------------------


def open_question(user, chat):
    return api_client(user).get(f"{CHATS}{chat.pk}/").json()["open_question"]


def test_a_question_is_open_until_the_other_side_writes():
    chat = make_chat()
    assert open_question(chat.vendor, chat) is None
    asked = send(chat, chat.vendor, "What is your rate for a reel?")
    assert open_question(chat.vendor, chat) == {"message": asked.pk, "asked_by": chat.vendor.pk}
    assert open_question(chat.influencer, chat) == {"message": asked.pk, "asked_by": chat.vendor.pk}
    # The asker adding more does not close it ...
    send(chat, chat.vendor, "Thanks in advance.")
    assert open_question(chat.influencer, chat)["message"] == asked.pk
    # ... any message from the other side does.
    send(chat, chat.influencer, "5000 per reel.")
    assert open_question(chat.influencer, chat) is None
    # A question back is the influencer's open question.
    back = send(chat, chat.influencer, "kab tak chahiye?")
    assert open_question(chat.vendor, chat) == {"message": back.pk, "asked_by": chat.influencer.pk}


def test_deleted_messages_neither_ask_nor_answer():
    chat = make_chat()
    asked = send(chat, chat.vendor, "Payment kab hoga?")
    reply = send(chat, chat.influencer, "Kal")
    assert open_question(chat.vendor, chat) is None
    services.message_delete(message=reply, actor=chat.influencer)
    assert open_question(chat.vendor, chat)["message"] == asked.pk
    services.message_delete(message=asked, actor=chat.vendor)
    assert open_question(chat.vendor, chat) is None


def test_chat_list_filters_open_questions_and_tags():
    vendor = VendorFactory()
    question, payment, quiet = make_chat(vendor=vendor), make_chat(vendor=vendor), make_chat(vendor=vendor)
    send(question, question.influencer, "Deliverables kya hain?")
    send(payment, payment.influencer, "Payment received, thanks")
    send(quiet, quiet.influencer, "Hello")
    client = api_client(vendor)

    assert ids(client.get(CHATS, {"open_question": "true"})) == [question.pk]
    assert sorted(ids(client.get(CHATS, {"open_question": "false"}))) == sorted([payment.pk, quiet.pk])
    assert ids(client.get(CHATS, {"tag": "payment"})) == [payment.pk]
    assert ids(client.get(CHATS, {"tag": "deliverables", "open_question": "true"})) == [question.pk]
    assert_error(client.get(CHATS, {"tag": "gossip"}), 400, "tag")


# --- Tags and search on messages --------------------------------------------------------------


def test_messages_carry_tags_and_language_and_filter_by_tag():
    chat = make_chat()
    price = send(chat, chat.vendor, "Aapka rate kitna hai?")
    send(chat, chat.influencer, "I will ship it tomorrow")
    client = api_client(chat.influencer)
    url = f"{CHATS}{chat.pk}/messages/"

    response = client.get(url)
    assert_matches(response, "/api/v1/chats/{id}/messages/", "get")
    body = {m["id"]: m for m in response.json()["results"]}
    assert body[price.pk]["tags"] == ["price", "question"]
    assert [m["id"] for m in client.get(url, {"tag": "price"}).json()["results"]] == [price.pk]
    assert client.get(url, {"tag": "contract"}).json()["results"] == []
    assert_error(client.get(url, {"tag": "nope"}), 400, "tag")
    shipped = client.get(url, {"tag": "shipping"}).json()["results"]
    assert [(m["text"], m["language"]) for m in shipped] == [("I will ship it tomorrow", "en")]


def test_search_finds_words_in_any_script_but_never_deleted_messages():
    chat = make_chat()
    send(chat, chat.vendor, "Rate card attached, kitna budget hai?")
    hindi = send(chat, chat.vendor, "भुगतान कल होगा")
    gone = send(chat, chat.vendor, "secret rate")
    services.message_delete(message=gone, actor=chat.vendor)
    client = api_client(chat.influencer)
    url = f"{CHATS}{chat.pk}/messages/"

    def found(query, **extra):
        return [m["text"] for m in client.get(url, {"q": query, **extra}).json()["results"]]

    assert found("rate") == ["Rate card attached, kitna budget hai?"]
    assert found("KITNA budget") == ["Rate card attached, kitna budget hai?"]
    assert found("भुगतान") == [hindi.text]
    assert found("secret") == []
    assert found("rate", tag="payment") == []
    assert found("nothing-like-this") == []


def test_chat_list_search_looks_in_messages_campaign_and_the_other_name():
    vendor = VendorFactory()
    asha = make_chat(vendor=vendor, influencer=InfluencerFactory(display_name="Asha Rao"))
    other = make_chat(vendor=vendor)
    send(other, other.influencer, "The unboxing reel is live")
    send(asha, asha.influencer, "Hello")
    client = api_client(vendor)

    assert ids(client.get(CHATS, {"q": "unboxing"})) == [other.pk]
    assert ids(client.get(CHATS, {"q": "asha"})) == [asha.pk]
    assert ids(client.get(CHATS, {"search": "asha"})) == [asha.pk]  # the other lists' name works too
    # Your own name matches nothing: it is in every chat of yours.
    assert ids(client.get(CHATS, {"q": vendor.display_name})) == []
    # The influencer searches the vendor's chats with them only.
    assert ids(api_client(asha.influencer).get(CHATS, {"q": "unboxing"})) == []


# --- Query counts -----------------------------------------------------------------------------


def test_chat_list_query_count_is_fixed_with_filters(django_assert_num_queries):
    vendor = VendorFactory()
    client = api_client(vendor)

    def fill(count):
        for _ in range(count):
            chat = make_chat(vendor=vendor)
            send(chat, chat.influencer, "Rate kya hai? Payment kab?")

    def queries(**query):
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(CHATS, query).status_code == 200
        return len(captured)

    fill(1)
    few = [queries(), queries(tag="payment", open_question="true", q="rate")]
    fill(12)
    many = [queries(), queries(tag="payment", open_question="true", q="rate")]
    assert many == few
    assert len(client.get(CHATS, {"tag": "payment", "open_question": "true"}).json()["results"]) == 13


def test_messages_list_query_count_is_fixed(django_assert_max_num_queries):
    chat = make_chat()
    client = api_client(chat.vendor)
    for number in range(25):
        send(chat, chat.influencer, f"Payment {number} kab hoga?")
    with django_assert_max_num_queries(6):
        response = client.get(f"{CHATS}{chat.pk}/messages/", {"tag": "payment", "q": "kab"})
    assert len(response.json()["results"]) == 25


def test_the_schema_documents_each_lists_own_parameters():
    def names(path):
        return {p["name"] for p in operation(path, "get").get("parameters", []) if p["in"] == "query"}

    assert names("/api/v1/chats/") >= {"archived", "tag", "open_question", "q", "search", "page", "page_size"}
    messages = names("/api/v1/chats/{id}/messages/")
    assert messages >= {"before", "after", "tag", "q", "cursor"}
    assert not messages & {"archived", "open_question", "search"}  # the chat list's filters are not its
    assert parameter("/api/v1/chats/", "get", "tag")["schema"]["enum"] == [
        "contract",
        "deadline",
        "deliverables",
        "payment",
        "price",
        "question",
        "shipping",
    ]
