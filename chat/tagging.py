"""Message tags: what a message is about, from a fixed list, found by word and phrase rules.

The rules work offline and need no model: per tag, patterns in English, romanised Hindi
("kitna", "rate kya hai", "paisa", "bhej do", "kab tak") and Devanagari ("कितना", "भुगतान",
"कब"). A pattern matches whole words (a Devanagari word's vowel signs count as part of it), so
"rate" matches "rate?" but not "separate". Matching is case-insensitive; a message may get
several tags, or none. ``message_tags(text)`` gives them in the order of ``TAGS``.
"""

import re
import unicodedata

from django.db import models


class Tag(models.TextChoices):
    PRICE = "price", "Price / rate"
    DELIVERABLES = "deliverables", "Deliverables"
    DEADLINE = "deadline", "Deadline"
    SHIPPING = "shipping", "Shipping / product"
    PAYMENT = "payment", "Payment"
    CONTRACT = "contract", "Contract / terms"
    QUESTION = "question", "Question"


TAGS = [tag.value for tag in Tag]

# Letters, digits and the Devanagari block (its vowel signs and virama are not \w to Python).
_WORD = r"[\w\u0900-\u097F]"
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")

# Each entry is a regular expression for a word or phrase; spaces in it match any run of spaces.
RULES: dict[str, list[str]] = {
    Tag.PRICE: [
        # English
        r"prices?",
        r"pricing",
        r"rates?",
        r"rate ?card",
        r"charges?",
        r"fees?",
        r"costs?",
        r"quotes?",
        r"quotation",
        r"budget",
        r"how much",
        r"commercials?",
        r"per (?:post|reel|story|video)",
        r"(?:rs\.?|inr|₹) ?\d[\d,]*",
        r"₹",
        r"\d[\d,]* ?(?:rs|rupees|inr|k)",
        # romanised Hindi
        r"kitn[aei]",
        r"rate kya",
        r"da+m",
        r"ke+mat",
        r"kimat",
        r"kharcha",
        # Devanagari
        r"कितना",
        r"कितने",
        r"कितनी",
        r"दाम",
        r"कीमत",
        r"रेट",
        r"शुल्क",
        r"बजट",
        r"खर्च[ाे]?",
    ],
    Tag.DELIVERABLES: [
        r"deliverables?",
        r"reels?",
        r"posts?",
        r"stor(?:y|ies)",
        r"videos?",
        r"shorts",
        r"content",
        r"carousels?",
        r"unboxing",
        r"scripts?",
        r"drafts?",
        r"captions?",
        r"youtube",
        r"instagram",
        r"insta",
        r"tweets?",
        r"blogs?",
        r"(?:video|reel|post) bana\w*",
        r"bana(?:unga|ungi|ayenge|ake|o|na)",
        r"रील",
        r"पोस्ट",
        r"वीडियो",
        r"स्टोरी",
        r"कंटेंट",
        r"बनाऊंगा",
        r"बनाऊंगी",
    ],
    Tag.DEADLINE: [
        r"deadlines?",
        r"due (?:date|by|on)",
        r"by (?:today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next week)",
        r"(?:until|till) (?:today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
        r"timelines?",
        r"eta",
        r"asap",
        r"urgent(?:ly)?",
        r"go ?live",
        r"launch date",
        r"kab tak",
        r"jaldi",
        r"parso",
        r"tar[ie]+kh",
        r"कब तक",
        r"जल्दी",
        r"परसों",
        r"तारीख",
        r"समय सीमा",
        r"डेडलाइन",
    ],
    Tag.SHIPPING: [
        r"ship(?:s|ped|ping|ment)?",
        r"courier(?:ed)?",
        r"dispatch(?:ed)?",
        r"parcel",
        r"package",
        r"tracking",
        r"awb",
        r"deliver(?:y|ed)",
        r"pin ?code",
        r"(?:delivery|shipping|postal) address",
        r"samples?",
        r"products?",
        r"bhej(?:o|na|dena|do|iye| do| dijiye| denge| dunga| dungi| diya)?",
        r"pahunch\w*",
        r"भेज\w*",
        r"पार्सल",
        r"कूरियर",
        r"डिलीवरी",
        r"पिनकोड",
        r"प्रोडक्ट",
        r"सैंपल",
    ],
    Tag.PAYMENT: [
        r"pay(?:s|ing|ment|ments|out|outs)?",
        r"paid",
        r"invoices?",
        r"upi",
        r"g ?pay",
        r"paytm",
        r"phone ?pe",
        r"neft",
        r"imps",
        r"rtgs",
        r"ifsc",
        r"bank (?:details|account|transfer)",
        r"account (?:number|details)",
        r"advance",
        r"transfer(?:red)?",
        r"refund",
        r"pais[ae]",
        r"bhugtan",
        r"भुगतान",
        r"पैस[ाे]",
        r"पेमेंट",
        r"यूपीआई",
        r"बैंक",
        r"एडवांस",
        r"रुपये",
        r"रुपए",
    ],
    Tag.CONTRACT: [
        r"contracts?",
        r"agreements?",
        r"terms",
        r"t ?& ?c",
        r"t ?and ?c",
        r"nda",
        r"exclusiv(?:e|ity)",
        r"usage rights?",
        r"rights",
        r"clauses?",
        r"sign(?:ed|ing)?",
        r"whitelisting",
        r"shart(?:e|en)?",
        r"anubandh",
        r"kara+r",
        r"अनुबंध",
        r"शर्त\w*",
        r"समझौता",
        r"करार",
        r"कॉन्ट्रैक्ट",
    ],
    Tag.QUESTION: [
        r"what",
        r"when",
        r"where",
        r"why",
        r"how",
        r"who",
        r"which",
        r"(?:can|could|would|will|do|does|did|is|are|shall|should) (?:you|we|i|it|they|this|that|there)",
        r"any update",
        r"kya",
        r"kab",
        r"kaise",
        r"kah[aā]n",
        r"kaun",
        r"kyu+n?",
        r"kyon",
        r"kitn[aei]",
        r"kya hai",
        r"hai na",
        r"क्या",
        r"कब",
        r"कैसे",
        r"कहाँ",
        r"कहां",
        r"कौन",
        r"क्यों",
        r"कितना",
        r"कितने",
        r"कितनी",
    ],
}


def _compile(patterns: list[str]) -> re.Pattern:
    # A space matches any run of spaces; \w also takes Devanagari vowel signs ("भेज\w*": "भेजिए").
    body = "|".join(pattern.replace(" ", r"\s+").replace(r"\w", _WORD) for pattern in patterns)
    return re.compile(rf"(?<!{_WORD})(?:{body})(?!{_WORD})", re.IGNORECASE)


_COMPILED = {tag: _compile(patterns) for tag, patterns in RULES.items()}

# A sentence someone ended with a full stop, "!" or a danda is a statement, whatever words it
# holds ("Tag us when you post!"); question words count only in sentences left unpunctuated,
# as chat often is ("paisa kab milega"). An ellipsis ("kab tak...") ends nothing.
_SENTENCE_END = re.compile(r"(?<=[!।])|(?<=(?<!\.)\.)(?!\.)|\n")
_STATEMENT_END = re.compile(r"(?:[!।]|(?<!\.)\.)\s*$")


def _unpunctuated_sentences(text: str) -> str:
    return "\n".join(part for part in _SENTENCE_END.split(text) if not _STATEMENT_END.search(part))


def normalise(text: str) -> str:
    """One form for matching: NFC (Devanagari typed either way matches), lower case."""
    return unicodedata.normalize("NFC", text or "").casefold()


def message_tags(text: str) -> list[str]:
    """The tags of a message's text, in the order of ``TAGS``. A question mark anywhere (also the
    full-width one) makes it a question; so does a question word in a sentence not ended by a full
    stop, "!" or "।"."""
    text = normalise(text)
    found = {tag for tag, pattern in _COMPILED.items() if tag != Tag.QUESTION and pattern.search(text)}
    if _COMPILED[Tag.QUESTION].search(_unpunctuated_sentences(text)):
        found.add(Tag.QUESTION)
    if "?" in text or "\uff1f" in text:  # also the full-width question mark
        found.add(Tag.QUESTION)
    return [tag for tag in TAGS if tag in found]


def has_devanagari(text: str) -> bool:
    return bool(_DEVANAGARI.search(text or ""))
