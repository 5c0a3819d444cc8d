"""The base of every per-document step (a map step): `run(docs, stats) -> docs`.

A stage relabels blocks (never deletes them) and may reject a document with a
status and reason. A document that breaks a stage is rejected with status
`error` and the exception as its reason; the run goes on. A stage keeps no
state between documents: the figures go to the `StageStats` its caller passes,
so one stage object can run any number of shards, in any process.
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pipeline.document import EMPTY, ERROR, Document
from pipeline.limits import DocumentTimeout, time_limit


SLOWEST_KEPT = 10


@dataclass
class StageStats:
    """Per stage: documents in and out, what was removed by label and reason, time taken."""

    documents_in: int = 0
    documents_out: int = 0
    statuses: Counter = field(default_factory=Counter)
    blocks_removed: Counter = field(default_factory=Counter)
    chars_removed: Counter = field(default_factory=Counter)
    blocks_by_reason: Counter = field(default_factory=Counter)
    chars_by_reason: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    slowest: list = field(default_factory=list)  # [seconds, source] of the slowest documents, slowest first
    extra: dict = field(default_factory=dict)  # stage-specific figures

    def timed(self, source: str, seconds: float) -> None:
        """Remember a document's time if it is among the SLOWEST_KEPT slowest."""
        self.seconds += seconds
        if len(self.slowest) < SLOWEST_KEPT or seconds > self.slowest[-1][0]:
            self.slowest = sorted(self.slowest + [[round(seconds, 4), source]], key=lambda x: (-x[0], x[1]))[:SLOWEST_KEPT]

    def record(self, doc: Document, was_main: list[bool]) -> None:
        """Count a document after the stage; `was_main` is each block's state before it.

        Blocks the stage created (an HTML page's lines) count as main before it.
        """
        self.documents_in += 1
        self.documents_out += doc.is_kept
        self.statuses[doc.status] += 1
        if len(was_main) < len(doc.blocks):
            was_main = list(was_main) + [True] * (len(doc.blocks) - len(was_main))
        for block, before in zip(doc.blocks, was_main):
            if before and not block.is_main:
                rule = block.rule or "unknown"
                self.blocks_removed[block.label] += 1
                self.chars_removed[block.label] += len(block.text)
                self.blocks_by_reason[rule] += 1
                self.chars_by_reason[rule] += len(block.text)

    def merge(self, other: StageStats) -> None:
        """Add another shard's figures to these."""
        self.documents_in += other.documents_in
        self.documents_out += other.documents_out
        for mine, theirs in (
            (self.statuses, other.statuses),
            (self.blocks_removed, other.blocks_removed),
            (self.chars_removed, other.chars_removed),
            (self.blocks_by_reason, other.blocks_by_reason),
            (self.chars_by_reason, other.chars_by_reason),
        ):
            mine.update(theirs)
        self.seconds += other.seconds
        self.slowest = sorted(self.slowest + other.slowest, key=lambda x: (-x[0], x[1]))[:SLOWEST_KEPT]
        self.extra |= other.extra

    @classmethod
    def from_dict(cls, data: dict) -> StageStats:
        """The inverse of `as_dict` (for per-shard figures saved by an interrupted run)."""
        reasons = data.get("removed_by_reason", {})
        known = {"documents_in", "documents_out", "statuses", "blocks_removed", "chars_removed", "removed_by_reason", "seconds", "slowest"}
        return cls(
            documents_in=data["documents_in"],
            documents_out=data["documents_out"],
            statuses=Counter(data["statuses"]),
            blocks_removed=Counter(data["blocks_removed"]),
            chars_removed=Counter(data["chars_removed"]),
            blocks_by_reason=Counter({r: v["blocks"] for r, v in reasons.items()}),
            chars_by_reason=Counter({r: v["chars"] for r, v in reasons.items()}),
            seconds=data["seconds"],
            slowest=data.get("slowest", []),
            extra={k: v for k, v in data.items() if k not in known},
        )

    def as_dict(self) -> dict:
        return {
            "documents_in": self.documents_in,
            "documents_out": self.documents_out,
            "statuses": dict(sorted(self.statuses.items())),
            "blocks_removed": dict(sorted(self.blocks_removed.items())),
            "chars_removed": dict(sorted(self.chars_removed.items())),
            "removed_by_reason": {
                rule: {"blocks": self.blocks_by_reason[rule], "chars": self.chars_by_reason[rule]}
                for rule in sorted(self.blocks_by_reason)
            },
            "seconds": round(self.seconds, 3),
            "slowest": self.slowest,
        } | self.extra


class Stage:
    """A map step. Subclasses set `name` and implement `process` (or override `run`)."""

    name = "stage"
    seconds_per_document = 0.0  # time limit on one document's work; 0: none

    def params(self) -> dict:
        """The settings that shape this stage's output (written to Parquet metadata)."""
        return {}

    def process(self, doc: Document) -> None:
        """Relabel the blocks of one kept document in place."""
        raise NotImplementedError

    def warm_up(self) -> None:
        """One-off start-up work (models, stoplists, a library's first call), done before the first document so
        that no page's time limit pays for it."""

    def run(self, docs: Iterable[Document], stats: StageStats | None = None) -> Iterator[Document]:
        """Process each kept document and yield every document; `stats` (when given) gets the figures."""
        stats = StageStats() if stats is None else stats
        self.warm_up()
        for doc in docs:
            was_main = [b.is_main for b in doc.blocks]
            if doc.is_kept:
                start = time.perf_counter()
                self.guarded(doc, self.process)
                stats.timed(doc.source, time.perf_counter() - start)
            stats.record(doc, was_main)
            yield doc

    def guarded(self, doc: Document, step) -> None:
        """Apply `step` to a kept document, turning a crash into an `error` rejection."""
        try:
            with time_limit(self.seconds_per_document):
                step(doc)
        except DocumentTimeout as e:
            doc.reject(ERROR, f"{self.name} gave up: {e}")
            return
        except RecursionError:
            doc.reject(ERROR, f"{self.name} failed: the page is nested too deeply to process")
            return
        except Exception as e:  # noqa: BLE001 - one bad page must not stop the run
            doc.reject(ERROR, f"{self.name} failed: {type(e).__name__}: {e}")
            return
        if doc.is_kept and not any(b.is_main for b in doc.blocks):
            doc.reject(EMPTY, f"no main text left after {self.name}")
