"""Domain errors raised by services; the API and the pages turn them into answers."""


class DomainError(Exception):
    """A business rule refused the change. Nothing was written.

    ``errors`` maps field names to messages (as a form would show them) and
    ``extra`` carries machine-readable context, such as the lines that lack stock.
    """

    status_code = 400
    code = "invalid"
    default_detail = "The request could not be carried out."
    headers = None  # extra HTTP headers for the API answer, such as Retry-After

    def __init__(self, detail=None, *, errors=None, **extra):
        self.detail = str(detail or self.default_detail)
        # Errors of list items are keyed by index, as DRF does: {"items": {"1": {"quantity": ["..."]}}}.
        self.errors = {
            field: {str(i): e for i, e in msgs.items()} if isinstance(msgs, dict) else [str(m) for m in _as_list(msgs)]
            for field, msgs in (errors or {}).items()
        }
        self.extra = extra
        super().__init__(self.detail)


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
    default_detail = "The request conflicts with the current state."


def _as_list(messages):
    return messages if isinstance(messages, list | tuple) else [messages]
