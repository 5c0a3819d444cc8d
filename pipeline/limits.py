"""A per-document time limit: long extraction or classification of one page must not stall a run.

trafilatura has no time limit of its own (its issue #704). The limit uses
SIGALRM, so it interrupts Python code (most of the per-page work) but not a
single long call inside a C library; it applies on the main thread only.
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class DocumentTimeout(Exception):
    """One document took longer than the configured limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise DocumentTimeout inside the block once `seconds` have passed (0: no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise DocumentTimeout(f"took longer than {seconds:g} s (limits.document_seconds)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
