"""Reply suggestions: three short replies to the other participant's last message, for the user
to pick (it fills the message box; nothing is ever sent by itself).

With ``GEMINI_API_KEY`` set, Gemini is asked through google-genai (``anwariya.gemini``), with
``GEMINI_TIMEOUT_SECONDS``; the prompt holds only this chat's recent messages (as "me" and
"them", without names), which side "me" is, and the campaign's brief (title, description, deliverables, dates; never
its budget). Without a key, or on any failure or malformed answer, rules pick replies from the
last message's tags, in Hindi when it was written in Devanagari. Answers are cached for
``CHAT_SUGGESTIONS_CACHE_SECONDS`` per chat, user, replied message (and its edit), newest
message, mode and model.
"""

import json
import logging

from django.conf import settings
from django.core.cache import cache
from google.genai import types as genai_types

from anwariya import gemini
from anwariya.errors import Conflict
from chat import selectors
from chat.tagging import Tag, has_devanagari

logger = logging.getLogger(__name__)

COUNT = 3
MAX_LENGTH = 200
RECENT = 12  # messages of context
CACHE_VERSION = "v2"  # v2: the rules depend on who replies
FALLBACK_CACHE_SECONDS = 300  # a failed call is tried again after this, not after the full period


class NothingToReplyTo(Conflict):
    default_detail = "There is no message from the other side to reply to yet."


SYSTEM_INSTRUCTION = f"""You help a person reply in a chat between a vendor (a small brand) and an \
influencer about an influencer-marketing collaboration. Write exactly {COUNT} short, polite, different \
replies (each at most {MAX_LENGTH} characters) that "me" (the side the "me" field names: \
the vendor or the influencer) could send to the last message from "them". \
Reply in the language and script of that message (English, Hindi, or romanised Hindi mixed with English). \
Use only what the conversation and the campaign brief say; never invent prices, dates or promises; \
where a number is needed, ask or leave it for the person to fill in."""

SUGGESTIONS_SCHEMA = genai_types.Schema(
    type=genai_types.Type.ARRAY,
    min_items=COUNT,
    max_items=COUNT,
    items=genai_types.Schema(type=genai_types.Type.STRING, max_length=MAX_LENGTH),
)


def suggestions_for(*, chat, user) -> dict:
    """``{"source": "gemini"|"rules", "suggestions": [3 texts], "message": id, "cached",
    "fallback_reason"}``. Raises ``NothingToReplyTo`` (409) while the other side wrote nothing."""
    replied = selectors.last_message_from_other(chat, user)
    if replied is None:
        raise NothingToReplyTo(errors={"message": ["The other side has not written yet."]})
    recent = selectors.recent_messages(chat, limit=RECENT)
    api_key, model = settings.GEMINI_API_KEY, settings.GEMINI_MODEL
    mode = "gemini" if api_key else "rules"
    side = VENDOR if user.pk == chat.vendor_id else INFLUENCER
    edited = replied.edited_at.timestamp() if replied.edited_at else 0
    newest = recent[-1].pk if recent else replied.pk
    key = (
        f"chat:suggestions:{CACHE_VERSION}:{chat.pk}:{user.pk}:{replied.pk}:{edited}:{newest}:"
        f"{mode}:{model if api_key else '-'}"
    )
    cached = _cache_get(key)
    if cached is not None:
        return {**cached, "cached": True}

    seconds = settings.CHAT_SUGGESTIONS_CACHE_SECONDS
    if not api_key:
        result = _result("rules", rule_suggestions(replied, side=side), replied, reason="no GEMINI_API_KEY")
    else:
        try:
            texts = gemini_suggestions(chat=chat, user=user, recent=recent, api_key=api_key, model=model)
        except gemini.GeminiUnavailable as exc:
            logger.warning("Reply suggestions for chat %s fell back to rules: %s", chat.pk, exc.reason)
            result = _result("rules", rule_suggestions(replied, side=side), replied, reason=exc.reason)
            seconds = min(seconds, FALLBACK_CACHE_SECONDS)
        else:
            result = _result("gemini", texts, replied, reason=None)
    _cache_set(key, result, seconds)
    return result


def _result(source, suggestions, replied, *, reason):
    return {
        "source": source,
        "suggestions": suggestions,
        "message": replied.pk,
        "cached": False,
        "fallback_reason": reason,
    }


# --- Gemini ------------------------------------------------------------------------------------


def campaign_brief(campaign) -> dict | None:
    if campaign is None:
        return None
    return {
        "title": campaign.title,
        "description": campaign.description,
        "deliverables": campaign.deliverables,
        "start_date": campaign.start_date.isoformat(),
        "end_date": campaign.end_date.isoformat(),
    }


def build_prompt(*, chat, user, recent) -> str:
    """What Gemini reads: the campaign brief and the recent messages, and nothing else."""
    conversation = [
        {"from": "me" if message.sender_id == user.pk else "them", "text": message.text} for message in recent
    ]
    me = VENDOR if user.pk == chat.vendor_id else INFLUENCER
    facts = {"me": me, "campaign_brief": campaign_brief(chat.campaign), "messages_oldest_first": conversation}
    return "The chat so far (JSON):\n" + json.dumps(facts, ensure_ascii=False, separators=(",", ":"))


def gemini_suggestions(*, chat, user, recent, api_key, model) -> list[str]:
    prompt = build_prompt(chat=chat, user=user, recent=recent)
    client = None
    try:
        client = gemini.make_client(api_key, settings.GEMINI_TIMEOUT_SECONDS)
        text = gemini.generate_json(
            client,
            model=model,
            prompt=prompt,
            system_instruction=SYSTEM_INSTRUCTION,
            response_schema=SUGGESTIONS_SCHEMA,
            temperature=0.7,
        )
    except gemini.GeminiUnavailable:
        raise
    except Exception as exc:  # making the client failed
        raise gemini.GeminiUnavailable(f"Gemini call failed ({type(exc).__name__})") from exc
    finally:
        if client is not None:
            client.close()
    return parse_suggestions(text)


def parse_suggestions(text: str) -> list[str]:
    """Exactly three non-empty texts, each on one line and clipped to ``MAX_LENGTH``; anything
    else raises ``GeminiUnavailable``."""
    try:
        items = json.loads(text)
    except ValueError as exc:
        raise gemini.GeminiUnavailable("malformed answer") from exc
    if not isinstance(items, list) or len(items) != COUNT:
        count = len(items) if isinstance(items, list) else type(items).__name__
        raise gemini.GeminiUnavailable(f"wrong shape: expected {COUNT} suggestions, got {count}")
    suggestions = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise gemini.GeminiUnavailable("wrong shape: a suggestion is not a text")
        item = " ".join(item.split())
        suggestions.append(item if len(item) <= MAX_LENGTH else item[: MAX_LENGTH - 1].rstrip() + "…")
    return suggestions


# --- Rules -------------------------------------------------------------------------------------

# Per tag: replies in English and in Hindi (for a message written in Devanagari), each said by
# either side (ANY) or only by the vendor or only by the influencer: a vendor does not send "a
# draft for approval", an influencer does not ask for "the delivery address". The tags of the
# replied message pick them in this order; general replies fill up to three.
ANY, VENDOR, INFLUENCER = "any", "vendor", "influencer"
REPLIES = {
    Tag.PRICE: [
        (INFLUENCER, "Thanks for asking! Let me share the rate card for this.", "पूछने के लिए धन्यवाद! मैं रेट कार्ड भेजता हूँ।"),
        (INFLUENCER, "Could you tell me your budget for this?", "आपका बजट कितना है, बता सकते हैं?"),
        (VENDOR, "Could you share your rate card for this?", "क्या आप इसके लिए अपना रेट कार्ड भेज सकते हैं?"),
    ],
    Tag.DELIVERABLES: [
        (
            ANY,
            "Sure, let's confirm the deliverables: how many reels and stories?",
            "ठीक है, डिलीवरेबल्स तय कर लेते हैं: कितनी रील और स्टोरी?",
        ),
        (INFLUENCER, "I'll share a draft for approval first.", "मैं पहले ड्राफ्ट भेजूँगा, आप मंज़ूर कर दीजिए।"),
        (VENDOR, "Please share a draft for approval before you post.", "पोस्ट करने से पहले ड्राफ्ट मंज़ूरी के लिए भेज दीजिए।"),
    ],
    Tag.DEADLINE: [
        (ANY, "Noted. Which date works best for you?", "ठीक है। आपके लिए कौन-सी तारीख ठीक रहेगी?"),
        (INFLUENCER, "I can have it ready by the agreed date.", "तय तारीख तक हो जाएगा।"),
    ],
    Tag.SHIPPING: [
        (VENDOR, "Please share the delivery address and pincode.", "कृपया डिलीवरी का पता और पिनकोड भेज दीजिए।"),
        (INFLUENCER, "I'll share my delivery address and pincode.", "मैं डिलीवरी का पता और पिनकोड भेज देता हूँ।"),
        (INFLUENCER, "Could you send the tracking number once it ships?", "भेजने के बाद ट्रैकिंग नंबर भेज दीजिए।"),
    ],
    Tag.PAYMENT: [
        (VENDOR, "Thanks, I'll check and confirm the payment.", "धन्यवाद, मैं भुगतान देखकर बताता हूँ।"),
        (VENDOR, "Could you share the invoice and payment details?", "इनवॉइस और भुगतान की जानकारी भेज दीजिए।"),
        (INFLUENCER, "I'll send my invoice and payment details.", "मैं इनवॉइस और भुगतान की जानकारी भेज देता हूँ।"),
        (INFLUENCER, "Could you confirm when the payment will be made?", "भुगतान कब तक होगा, बता दीजिए।"),
    ],
    Tag.CONTRACT: [
        (ANY, "Sure, please send the contract and I'll review the terms.", "ठीक है, अनुबंध भेज दीजिए, मैं शर्तें देख लूँगा।"),
        (ANY, "Let's go through the terms once together.", "एक बार शर्तें साथ में देख लेते हैं।"),
    ],
    Tag.QUESTION: [
        (ANY, "Good question, let me check and get back to you.", "अच्छा सवाल है, मैं देखकर बताता हूँ।"),
        (ANY, "Yes, that works for me.", "हाँ, यह मेरे लिए ठीक है।"),
    ],
}
GENERAL = (
    ["Thanks for your message!", "Sounds good to me.", "Let me get back to you on this shortly."],
    ["आपके संदेश के लिए धन्यवाद!", "ठीक है, मुझे मंज़ूर है।", "मैं जल्दी ही बताता हूँ।"],
)


def rule_suggestions(replied, *, side) -> list[str]:
    """Three replies from the replied message's tags that ``side`` (``VENDOR`` or ``INFLUENCER``,
    who is replying) would say; the same message gives the same replies."""
    hindi = 1 if (replied.language == "hi" or has_devanagari(replied.text)) else 0
    per_tag = [[texts[hindi] for by, *texts in REPLIES.get(tag, []) if by in (ANY, side)] for tag in replied.tags]
    picked = []
    for replies in per_tag:
        for reply in replies:
            if reply not in picked:
                picked.append(reply)
                break  # one reply per tag first, so several topics all get one
    for replies in per_tag:
        for reply in replies:
            if reply not in picked:
                picked.append(reply)
    for reply in GENERAL[hindi]:
        if reply not in picked:
            picked.append(reply)
    return picked[:COUNT]


# The cache only saves work: if it is down, suggestions are still made.
def _cache_get(key):
    try:
        return cache.get(key)
    except Exception:  # any cache backend failure
        logger.warning("suggestions cache read failed", exc_info=True)
        return None


def _cache_set(key, value, seconds):
    try:
        cache.set(key, value, seconds)
    except Exception:  # any cache backend failure
        logger.warning("suggestions cache write failed", exc_info=True)
