"""Progress on stderr: a live line with documents/s and time left on a terminal, one line per step otherwise."""
from __future__ import annotations

import sys
import time
from typing import TextIO

QUIET, NORMAL, VERBOSE = 0, 1, 2


class Progress:
    """`start(step, total)`, `advance(n)`, `done()`; `total` may be an estimate or None."""

    def __init__(self, stream: TextIO | None = None, verbosity: int = NORMAL, live: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.verbosity = verbosity
        self.live = self.stream.isatty() if live is None else live
        self.step, self.total, self.count, self.began, self.shown = "", None, 0, 0.0, 0.0

    def start(self, step: str, total: int | None = None) -> None:
        self.step, self.total, self.count = step, total, 0
        self.began = self.shown = time.monotonic()

    def advance(self, n: int = 1, note: str = "") -> None:
        self.count += n
        now = time.monotonic()
        if self.verbosity == QUIET:
            return
        if self.live and now - self.shown >= 0.2:
            self.shown = now
            self.stream.write(f"\r\033[K{self._line(now)}")
            self.stream.flush()
        elif not self.live and self.verbosity >= VERBOSE:
            self.stream.write(f"{self._line(now)}{'  ' + note if note else ''}\n")

    def note(self, message: str) -> None:
        """A line worth saying whatever the step (what the run removed, a warning); not shown with -q."""
        if self.verbosity != QUIET:
            self.stream.write(f"{message}\n")
            self.stream.flush()

    def done(self, note: str = "") -> None:
        if self.verbosity == QUIET:
            return
        elapsed = time.monotonic() - self.began
        rate = self.count / elapsed if elapsed > 0 else 0.0
        line = f"{self.step}: {self.count} in {elapsed:.1f} s ({rate:,.0f}/s){'; ' + note if note else ''}"
        self.stream.write(f"\r\033[K{line}\n" if self.live else f"{line}\n")
        self.stream.flush()

    def _line(self, now: float) -> str:
        elapsed = now - self.began
        rate = self.count / elapsed if elapsed > 0 else 0.0
        if self.total and rate and self.count < self.total:
            left = (self.total - self.count) / rate
            return f"{self.step}: {self.count}/{self.total} ({rate:,.0f}/s, {_duration(left)} left)"
        return f"{self.step}: {self.count} ({rate:,.0f}/s)"


class NoProgress(Progress):
    def __init__(self) -> None:
        super().__init__(verbosity=QUIET, live=False)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
