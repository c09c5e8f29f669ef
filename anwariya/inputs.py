"""Input no handler may see, refused in one place for every surface, with the field named.

- JSON nested deeper than ``MAX_JSON_DEPTH``: Python's parser recurses, so deep enough
  nesting is a ``RecursionError`` (a 500) in the parser or in whatever walks the data next.
- Text with a NUL character (PostgreSQL cannot store one, nor compare with one) or a lone
  surrogate (it cannot be encoded as UTF-8, so it cannot be stored or sent back).

The API's parsers (``anwariya.api.parsers``), the middleware for query strings and page forms
(``anwariya.middleware``), the websocket consumers and the sales import all call these
functions, so every surface refuses the same input with the same message.
"""

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework.settings import api_settings
from rest_framework.utils.json import strict_constant
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from anwariya.errors import DomainError

MAX_JSON_DEPTH = 32  # levels of arrays and objects; real requests (Telegram's included) use under 10
MAX_REPORTED = 20  # a body that is bad throughout is not listed to the last string
NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY

_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")


class MalformedJSON(DomainError):
    """Not JSON at all, or nested too deep to be read safely."""

    code = "parse_error"
    default_detail = "The body is not valid JSON."

    def __init__(self, detail=None):
        detail = detail or self.default_detail
        super().__init__(detail, errors={NON_FIELD: [detail]})


class BadText(DomainError):
    """A string holds a character that cannot be stored: ``errors`` names where it is."""

    code = "invalid"


def text_problem(text: str) -> str | None:
    """The message for a string that cannot be stored, or None when it is fine."""
    found = _BAD_CHARACTER.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return str(ProhibitNullCharactersValidator.message)
    return str(ProhibitSurrogateCharactersValidator.message).format(code_point=ord(found.group()))


def json_loads(text: str, *, max_depth: int = MAX_JSON_DEPTH, check_text: bool = True):
    """Parse JSON sent from outside: ``MalformedJSON`` if it is not JSON or is nested deeper than
    ``max_depth``, ``BadText`` naming the field if a string (or a key) holds NUL or a lone surrogate
    (unless ``check_text`` is off). NaN and Infinity are refused, as they are not JSON."""
    try:
        data = json.loads(text, parse_constant=strict_constant)
    except RecursionError:
        raise MalformedJSON(_too_deep(max_depth)) from None
    except ValueError as error:  # JSONDecodeError, and an integer with too many digits
        raise MalformedJSON(f"The body is not valid JSON: {error}") from None
    if _may_be_bad(text, max_depth):
        check_data(data, max_depth=max_depth, check_text=check_text)
    return data


def check_data(data, *, max_depth: int = MAX_JSON_DEPTH, check_text: bool = True) -> None:
    """Refuse parsed data (dicts, lists, strings) nested deeper than ``max_depth`` or holding a
    string that cannot be stored. Walks without recursion, so any depth is safe to check."""
    problems = []
    stack = [((), data, 0)]
    while stack and len(problems) < MAX_REPORTED:
        path, value, depth = stack.pop()
        if check_text and path and isinstance(path[-1], str) and (message := text_problem(path[-1])):
            problems.append(((*path[:-1], _printable(path[-1])), message))
            continue
        if isinstance(value, str):
            if check_text and (message := text_problem(value)):
                problems.append((path, message))
            continue
        if isinstance(value, dict):
            children = list(value.items())
        elif isinstance(value, list | tuple):
            children = list(enumerate(value))
        else:
            continue
        if depth >= max_depth:
            raise MalformedJSON(_too_deep(max_depth))
        stack.extend(((*path, key), child, depth + 1) for key, child in reversed(children))
    if problems:
        raise _bad_text(problems)


def check_form(data) -> None:
    """Refuse form data (a ``QueryDict``: a query string or a posted form) holding a field name
    or a value that cannot be stored. The error names the field."""
    problems = []
    for name, values in data.lists():
        if message := text_problem(name):
            problems.append(((_printable(name),), message))
            continue
        for value in values:
            if isinstance(value, str) and (message := text_problem(value)):
                problems.append(((name,), message))
                break
    if problems:
        raise _bad_text(problems[:MAX_REPORTED])


def _may_be_bad(text: str, max_depth: int) -> bool:
    """Whether the data parsed from ``text`` needs walking. A stored-unsafe character can only
    come from a ``\\u`` escape (raw control characters are not valid JSON), and data cannot be
    deeper than the number of brackets."""
    return "\\u" in text or _BAD_CHARACTER.search(text) is not None or text.count("[") + text.count("{") > max_depth


def _too_deep(max_depth):
    return f"The JSON is nested deeper than {max_depth} levels."


def _printable(name: str) -> str:
    """A field name that can be shown and sent back: the bad characters replaced."""
    return _BAD_CHARACTER.sub("\ufffd", name)


def _bad_text(problems) -> BadText:
    """One error for every bad string: ``errors`` nested as the data is (list items by index)."""
    errors: dict = {}
    for path, message in problems:
        if not path:
            errors.setdefault(NON_FIELD, []).append(message)
            continue
        *parents, last = (str(part) for part in path)
        node = errors
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            node.setdefault(last, []).append(message)
    path, message = problems[0]
    where = ".".join(str(part) for part in path)
    return BadText(f"{where}: {message}" if where else message, errors=errors)


def as_decimal(value: Any) -> Decimal | None:
    """``value`` read as a finite number (a number, or its text), else None: for code that takes
    loosely typed input (a service called with form or JSON values, a model's JSON answer)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None
