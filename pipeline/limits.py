"""A per-document time limit: long extraction or classification of one page must not stall a run.

trafilatura has no time limit of its own (its issue #704). The limit counts the
process's own CPU time (ITIMER_PROF), not the clock: a page that is slow only
because the machine is busy is not rejected, and the verdict does not depend on
what else runs. It interrupts Python code (most of the per-page work) but not a
single long call inside a C library, and applies on the main thread only.
Stages warm up (load their models and stoplists) before the first document, so
one-off start-up work is never charged to a page.
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class DocumentTimeout(Exception):
    """One document took longer than the configured limit."""


@contextmanager
def time_limit(seconds: float, what: str = "took") -> Iterator[None]:
    """Raise DocumentTimeout inside the block once it has used `seconds` of CPU time (0: no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise DocumentTimeout(f"{what} longer than {seconds:g} s of CPU time (limits.document_seconds)")

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
