"""Outgoing Telegram messages: chat notifications, retries and Telegram's rate limits, permanent
refusals, the synchronous ``telegram_send_now`` used by broadcasts, and the setWebhook command."""

import httpx2
import pytest
from celery import signals
from django.core.management import CommandError, call_command

from accounts.tests.factories import InfluencerFactory, VendorFactory
from campaigns.tests.factories import CampaignFactory
from chat import services
from chat.models import TelegramMessage
from chat.tasks import telegram_deliver
from chat.telegram import TelegramSendError, telegram_account_for, telegram_send_now
from chat.tests.factories import link_telegram, make_chat
from chat.tests.telegram import SECRET, TOKEN, telegram_update

pytestmark = pytest.mark.django_db

IRA_CHAT = 5550001


@pytest.fixture
def retries():
    """The countdowns of the retries Celery schedules (eager mode runs them at once)."""
    countdowns = []

    def record(sender=None, reason=None, **kwargs):
        countdowns.append(reason.when)

    signals.task_retry.connect(record, sender=telegram_deliver, weak=False)
    yield countdowns
    signals.task_retry.disconnect(record, sender=telegram_deliver)


def linked_chat(campaign=None):
    vendor = campaign.vendor if campaign else VendorFactory(business_name="Chai Co")
    chat = make_chat(vendor=vendor, influencer=InfluencerFactory(), campaign=campaign)
    link_telegram(chat.influencer, IRA_CHAT)
    return chat


# --- Chat notifications ---------------------------------------------------------------------------


def test_a_chat_message_to_a_linked_user_sends_one_telegram_message(telegram, on_commit):
    chat = linked_chat(CampaignFactory(title="Diwali Glow", vendor=VendorFactory(business_name="Chai Co")))

    message = on_commit(services.message_send, chat=chat, sender=chat.vendor, text="Can you post on Friday?")

    [sent] = telegram.sent()
    assert sent["chat_id"] == IRA_CHAT
    assert sent["text"] == "Chai Co (Diwali Glow): Can you post on Friday?\n\nReply to this message to answer."
    assert "reply_parameters" not in sent
    outbound = TelegramMessage.objects.get()
    assert (outbound.kind, outbound.status, outbound.attempts) == ("notification", "sent", 1)
    assert (outbound.user, outbound.chat, outbound.message) == (chat.influencer, chat, message)
    assert outbound.telegram_message_id is not None
    assert outbound.sent_at is not None


def test_the_sender_and_unlinked_users_get_nothing(telegram, on_commit):
    chat = linked_chat()
    on_commit(services.message_send, chat=chat, sender=chat.influencer, text="from Telegram's owner")
    unlinked = make_chat()
    on_commit(services.message_send, chat=unlinked, sender=unlinked.vendor, text="nobody linked")
    assert telegram.calls == []
    assert not TelegramMessage.objects.exists()


def test_no_notifications_while_the_bot_is_not_configured(telegram, on_commit, settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    chat = linked_chat()
    on_commit(services.message_send, chat=chat, sender=chat.vendor, text="hello")
    assert telegram.calls == []
    assert not TelegramMessage.objects.exists()


def test_a_rolled_back_message_queues_no_notification(telegram, django_capture_on_commit_callbacks):
    from django.db import transaction

    chat = linked_chat()

    def send_then_fail():
        with transaction.atomic():
            services.message_send(chat=chat, sender=chat.vendor, text="never mind")
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        send_then_fail()
    assert telegram.calls == []
    assert not TelegramMessage.objects.exists()


def test_long_messages_are_cut_to_telegrams_limit(telegram, on_commit):
    chat = linked_chat()
    on_commit(services.message_send, chat=chat, sender=chat.vendor, text="😀" * 4000)
    [sent] = telegram.sent()
    assert len(sent["text"].encode("utf-16-le")) // 2 <= 4096
    assert sent["text"].endswith("…\n\nReply to this message to answer.")


def test_unlinking_before_delivery_stops_the_message(telegram, django_capture_on_commit_callbacks):
    chat = linked_chat()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.message_send(chat=chat, sender=chat.vendor, text="hello")
    telegram_account_for(chat.influencer).delete()
    for callback in queued:
        callback()
    assert telegram.calls == []
    outbound = TelegramMessage.objects.get()
    assert outbound.status == "failed"
    assert "no longer" in outbound.last_error


# --- Retries, rate limits, permanent refusals -----------------------------------------------------


def test_429_is_retried_after_telegrams_retry_after(telegram, on_commit, retries):
    chat = linked_chat()
    telegram.refuse_next(429, "Too Many Requests: retry after 7", retry_after=7)

    on_commit(services.message_send, chat=chat, sender=chat.vendor, text="hello")

    assert len(telegram.sent()) == 2
    assert retries == [7]
    outbound = TelegramMessage.objects.get()
    assert (outbound.status, outbound.attempts, outbound.last_error) == ("sent", 2, "")


def test_blocked_by_the_user_is_failed_at_once_without_retry(telegram, on_commit, retries):
    chat = linked_chat()
    telegram.refuse_next(403, "Forbidden: bot was blocked by the user")

    on_commit(services.message_send, chat=chat, sender=chat.vendor, text="hello")

    assert len(telegram.sent()) == 1
    assert retries == []
    outbound = TelegramMessage.objects.get()
    assert (outbound.status, outbound.attempts) == ("failed", 1)
    assert "bot was blocked by the user" in outbound.last_error
    assert chat.messages.count() == 1  # the chat message itself is never undone


def test_chat_not_found_is_permanent(telegram, on_commit, retries):
    chat = linked_chat()
    telegram.refuse_next(400, "Bad Request: chat not found")
    on_commit(services.message_send, chat=chat, sender=chat.vendor, text="hello")
    assert retries == []
    assert TelegramMessage.objects.get().status == "failed"


def test_transient_failures_back_off_then_fail_after_three_retries(telegram, on_commit, retries):
    chat = linked_chat()
    for _ in range(4):
        telegram.refuse_next(502, "Bad Gateway")

    on_commit(services.message_send, chat=chat, sender=chat.vendor, text="hello")

    assert len(telegram.sent()) == 4
    assert retries == [10, 20, 40]
    outbound = TelegramMessage.objects.get()
    assert (outbound.status, outbound.attempts) == ("failed", 4)
    assert "Bad Gateway" in outbound.last_error


def test_timeouts_and_network_errors_are_retried(telegram, on_commit, retries):
    chat = linked_chat()
    telegram.fail_next(httpx2.ReadTimeout("read timed out"))
    telegram.fail_next(httpx2.ConnectError(f"cannot reach https://telegram.test/bot{TOKEN}/sendMessage"))

    on_commit(services.message_send, chat=chat, sender=chat.vendor, text="hello")

    assert len(retries) == 2
    outbound = TelegramMessage.objects.get()
    assert (outbound.status, outbound.attempts) == ("sent", 3)


def test_errors_never_keep_the_bot_token(telegram, on_commit):
    chat = linked_chat()
    for _ in range(4):
        telegram.fail_next(httpx2.ConnectError(f"cannot reach https://telegram.test/bot{TOKEN}/sendMessage"))
    on_commit(services.message_send, chat=chat, sender=chat.vendor, text="hello")
    outbound = TelegramMessage.objects.get()
    assert outbound.status == "failed"
    assert TOKEN not in outbound.last_error
    assert "<token>" in outbound.last_error


def test_a_delivered_message_is_not_sent_again(telegram, on_commit):
    chat = linked_chat()
    on_commit(services.message_send, chat=chat, sender=chat.vendor, text="hello")
    assert telegram_deliver.delay(TelegramMessage.objects.get().pk).get() == "sent"
    assert len(telegram.sent()) == 1


# --- telegram_send_now (broadcasts) ---------------------------------------------------------------


def test_send_now_sends_and_a_reply_maps_back_to_the_chat(telegram, post_update):
    chat = linked_chat()

    outbound = telegram_send_now(user=chat.influencer, text="  New campaign: apply by Friday  ", chat=chat)

    assert (outbound.status, outbound.kind, outbound.chat) == ("sent", "direct", chat)
    assert telegram.sent() == [
        {"chat_id": IRA_CHAT, "text": "New campaign: apply by Friday", "link_preview_options": {"is_disabled": True}}
    ]
    post_update(telegram_update("I'm in", chat_id=IRA_CHAT, reply_to=outbound.telegram_message_id))
    assert chat.messages.get().text == "I'm in"


def test_send_now_refuses_permanently_without_link_or_configuration(telegram, settings):
    with pytest.raises(TelegramSendError) as no_link:
        telegram_send_now(user=InfluencerFactory(), text="hi")
    assert no_link.value.permanent
    assert "not linked" in str(no_link.value)

    chat = linked_chat()
    settings.TELEGRAM_BOT_TOKEN = ""
    with pytest.raises(TelegramSendError) as unconfigured:
        telegram_send_now(user=chat.influencer, text="hi")
    assert unconfigured.value.permanent
    assert telegram.calls == []
    assert not TelegramMessage.objects.exists()


def test_send_now_marks_failed_and_raises_with_retry_after(telegram):
    chat = linked_chat()
    telegram.refuse_next(429, "Too Many Requests: retry after 5", retry_after=5)
    with pytest.raises(TelegramSendError) as rate_limited:
        telegram_send_now(user=chat.influencer, text="hi")
    assert (rate_limited.value.permanent, rate_limited.value.retry_after) == (False, 5)

    telegram.refuse_next(403, "Forbidden: bot was blocked by the user")
    with pytest.raises(TelegramSendError) as blocked:
        telegram_send_now(user=chat.influencer, text="hi")
    assert blocked.value.permanent
    assert "blocked" in str(blocked.value)

    assert list(TelegramMessage.objects.order_by("pk").values_list("status", "attempts")) == [
        ("failed", 1),
        ("failed", 1),
    ]


# --- setWebhook -----------------------------------------------------------------------------------


def test_set_webhook_command_gives_telegram_the_url_and_secret(telegram):
    call_command("telegram_set_webhook", "https://shop.example.com")
    [(method, payload)] = telegram.calls
    assert method == "setWebhook"
    assert payload == {
        "url": "https://shop.example.com/api/v1/bot/telegram/webhook/",
        "secret_token": SECRET,
        "allowed_updates": ["message"],
    }


def test_set_webhook_command_refuses_plain_http_and_reports_telegrams_refusal(telegram, settings):
    with pytest.raises(CommandError, match="https"):
        call_command("telegram_set_webhook", "http://shop.example.com")
    telegram.refuse_next(400, "Bad Request: bad webhook: Failed to resolve host")
    with pytest.raises(CommandError, match="Failed to resolve host"):
        call_command("telegram_set_webhook", "https://nowhere.invalid/hook")
    settings.TELEGRAM_WEBHOOK_SECRET = ""
    with pytest.raises(CommandError, match="TELEGRAM_WEBHOOK_SECRET"):
        call_command("telegram_set_webhook", "https://shop.example.com")
