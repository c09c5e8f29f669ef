import threading

import pytest
from django.utils import timezone


class Clock:
    """What ``django.utils.timezone.now()`` answers: one time for every thread (``set``), or one
    for the calling thread only (``set_for_this_thread``); otherwise the real time."""

    def __init__(self, real_now):
        self._real_now = real_now
        self._shared = None
        self._local = threading.local()

    def now(self):
        return getattr(self._local, "now", None) or self._shared or self._real_now()

    def set(self, when):
        self._shared = when

    def set_for_this_thread(self, when):
        self._local.now = when


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(timezone.now)
    monkeypatch.setattr(timezone, "now", clock.now)
    return clock
