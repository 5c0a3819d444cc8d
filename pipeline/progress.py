"""Progress on stderr: a tqdm bar per step on a terminal (true total, rate, time left), plain lines otherwise.

A step is `start(step, total, unit)`, `advance(n)` as work gets done, `done(note)`.
`total` is None when it is not known in advance (a bar then shows the count and
rate). Off a terminal nothing moves: `done` prints one line per step, and with
`-v` each `advance` that carries a note (a shard) prints one too.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm

QUIET, NORMAL, VERBOSE = 0, 1, 2


class Progress:
    def __init__(self, stream: TextIO | None = None, verbosity: int = NORMAL, live: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.verbosity = verbosity
        self.live = self.stream.isatty() if live is None else live
        self.step, self.total, self.unit, self.count, self.began = "", None, "documents", 0, 0.0
        self.bar: tqdm | None = None

    def start(self, step: str, total: int | None = None, unit: str = "documents") -> None:
        self.step, self.total, self.unit, self.count = step, total, unit, 0
        self.began = time.monotonic()
        if self.live and self.verbosity != QUIET:
            self.bar = tqdm(total=total, desc=step, unit=f" {unit}", file=self.stream, dynamic_ncols=True, mininterval=0.2, leave=False)

    def advance(self, n: int = 1, note: str = "") -> None:
        self.count += n
        if self.bar is not None:
            self.bar.update(n)
        elif note and self.verbosity >= VERBOSE:
            of = f"/{self.total:,}" if self.total else ""
            self._write(f"{self.step}: {self.count:,}{of} {self.unit} ({self._rate():,.0f}/s)  {note}")

    def note(self, message: str) -> None:
        """A line worth saying whatever the step (what the run removed, a warning); not shown with -q."""
        if self.verbosity != QUIET:
            self._write(message)

    def done(self, note: str = "") -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        if self.verbosity == QUIET:
            return
        elapsed = time.monotonic() - self.began
        self._write(f"{self.step}: {self.count:,} {self.unit} in {elapsed:.1f} s ({self._rate():,.0f}/s){'; ' + note if note else ''}")

    def _rate(self) -> float:
        elapsed = time.monotonic() - self.began
        return self.count / elapsed if elapsed > 0 else 0.0

    def _write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        else:
            self.stream.write(line + "\n")
            self.stream.flush()


class NoProgress(Progress):
    def __init__(self) -> None:
        super().__init__(verbosity=QUIET, live=False)
