"""Gemini through the google-genai SDK, shared by the apps that ask it something (analytics'
insights, chat's reply suggestions): the client with its timeout, and one structured-JSON call
whose every failure becomes ``GeminiUnavailable`` with a short reason safe to show.

Settings: ``GEMINI_API_KEY`` (no key, no call), ``GEMINI_MODEL``, ``GEMINI_TIMEOUT_SECONDS``.
"""

import contextlib
import importlib
from typing import Any

from google import genai
from google.genai import errors as genai_errors
from google.genai import types as genai_types


class GeminiUnavailable(Exception):
    """Gemini gave no usable answer; ``reason`` is short, safe to show, and names no secret."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _timeout_errors() -> tuple[type[BaseException], ...]:
    """The SDK lets its HTTP library's timeouts through unwrapped; it uses httpx2 or httpx,
    whichever is installed, so recognise both."""
    errors: tuple[type[BaseException], ...] = (TimeoutError,)
    for module_name in ("httpx2", "httpx"):
        with contextlib.suppress(ImportError):
            errors += (importlib.import_module(module_name).TimeoutException,)
    return errors


TIMEOUT_ERRORS = _timeout_errors()


def make_client(api_key: str, timeout: float, *, client_args: dict[str, Any] | None = None) -> genai.Client:
    """A Gemini API client whose every request gives up after ``timeout`` seconds.

    ``client_args`` go to the SDK's HTTP client (e.g. a proxy, or the fake transport in tests).
    No retries (the SDK default): a page is waiting, and the rules are the fallback.
    """
    # The SDK takes milliseconds and reads 0 as "no timeout", so never pass 0.
    http_options = genai_types.HttpOptions(timeout=max(int(timeout * 1000), 1), client_args=client_args)
    # vertexai=False: an environment variable must not send the key to another backend.
    return genai.Client(api_key=api_key, vertexai=False, http_options=http_options)


def generate_json(
    client: genai.Client,
    *,
    model: str,
    prompt: str,
    system_instruction: str,
    response_schema: genai_types.Schema,
    temperature: float = 0.4,
) -> str:
    """One ``generateContent`` call that asks for JSON in ``response_schema``; returns the
    answer's text (not yet parsed). Raises ``GeminiUnavailable`` on a timeout, an API error,
    any other failure of the call, or an empty answer (what a safety block looks like)."""
    config = genai_types.GenerateContentConfig(
        system_instruction=system_instruction,
        response_mime_type="application/json",
        response_schema=response_schema,
        temperature=temperature,
    )
    try:
        text = client.models.generate_content(model=model, contents=prompt, config=config).text
    except TIMEOUT_ERRORS as exc:
        raise GeminiUnavailable("timeout") from exc
    except genai_errors.APIError as exc:
        raise GeminiUnavailable(f"Gemini API error {exc.code}") from exc
    except Exception as exc:  # the SDK and its HTTP library raise many types; none may reach a page
        raise GeminiUnavailable(f"Gemini call failed ({type(exc).__name__})") from exc
    if not text or not text.strip():
        raise GeminiUnavailable("empty answer")
    return text
