"""What the apps above ``accounts`` add to a user's data export and do when an account closes,
without accounts importing them.

Every app holds some of a user's data, but ``accounts`` sits at the bottom of the import graph
and imports none of them. So each app registers, in its ``AppConfig.ready()``:

- ``register_export_section(name, build, rows=count)``: ``build(user)`` returns the JSON-able
  part of the export under ``sections[name]``, and ``count(user)`` how many rows it holds (what
  decides whether an export is built at once or by a task, ``ACCOUNT_EXPORT_INLINE_MAX_ROWS``);
- ``register_on_close(callback)``: ``callback(user)`` erases or ends what the app keeps of the
  user. It runs inside the transaction that closes the account, before the user row is
  anonymised, in the order of registration: what it writes commits with the closing, and a
  ``DomainError`` it raises (a ``Conflict`` for "finish your broadcasts first") refuses the
  closing and reaches the caller, nothing written.

This module is the whole seam: to see what an export holds and what closing erases, read the
calls to these two functions (``*/apps.py``). ``accounts`` registers its own parts too (the
user's wallet) in ``accounts/apps.py``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accounts.models import User

ExportBuilder = Callable[[User], Any]
RowCounter = Callable[[User], int]
CloseCallback = Callable[[User], object]


@dataclass(frozen=True)
class ExportSection:
    name: str
    build: ExportBuilder
    rows: RowCounter


_export_sections: dict[str, ExportSection] = {}
_close_callbacks: list[CloseCallback] = []


def register_export_section(name: str, build: ExportBuilder, *, rows: RowCounter) -> ExportBuilder:
    """Put ``build(user)`` into every export under ``sections[name]``; ``rows(user)`` counts the
    rows it holds. A name registered again replaces the earlier section. Returns ``build``."""
    _export_sections[name] = ExportSection(name=name, build=build, rows=rows)
    return build


def register_on_close(callback: CloseCallback) -> CloseCallback:
    """Run ``callback(user)`` inside the transaction that closes ``user``'s account. A callback
    registered twice still runs once. Returns the callback."""
    if callback not in _close_callbacks:
        _close_callbacks.append(callback)
    return callback


def export_section_names() -> list[str]:
    return sorted(_export_sections)


def close_callbacks() -> tuple[CloseCallback, ...]:
    """What runs when an account closes, in order."""
    return tuple(_close_callbacks)


def export_rows(user: User) -> int:
    """How many rows an export of ``user`` would hold, counted without building it."""
    return sum(section.rows(user) for section in _export_sections.values())


def export_sections(user: User) -> dict[str, Any]:
    """Every registered section built for ``user``, by name (sorted, so the document is stable)."""
    return {name: _export_sections[name].build(user) for name in sorted(_export_sections)}


def account_closing(user: User) -> None:
    """Run the close callbacks for ``user``. Called by ``accounts.services.account_close`` inside
    its transaction, so that they and the anonymised user commit or roll back together."""
    for callback in tuple(_close_callbacks):
        callback(user)
