"""Rate limits of chat, on DRF's throttles so that the page and the API share one counter."""

from rest_framework.throttling import UserRateThrottle


class SuggestionsThrottle(UserRateThrottle):
    """Reply suggestions per user (each may call Gemini): the ``chat_suggestions`` rate."""

    scope = "chat_suggestions"
