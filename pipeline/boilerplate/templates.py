"""Site templates: lines that recur across many different pages of a run are chrome, even when they read like sentences.

A first pass counts, for every line, the distinct pages it occurs on; a page
is identified by its longest line, so copies of one article (re-scrapes,
syndication) count once and their shared text is not mistaken for a template.
Only 64-bit hashes are kept (16 bytes per counted line: line and page), not strings.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

from pipeline.document import Document
from pipeline.text import normalize

MAX_TEMPLATE_WORDS = 80  # longer lines are article paragraphs, not template text


def line_hash(text: str) -> int:
    """A stable 64-bit hash of a line's normalized form."""
    return key_hash(normalize(text))


def key_hash(key: str) -> int:
    """A stable 64-bit hash of an already normalized line."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


class TemplateCounter:
    """Pass 1: `add` every page; then `templates(min_pages)` gives the hashes of recurring lines.

    Counters of parts of the input combine: `merge(other.pairs())` (a distributed count: each worker counts
    its files, the driver merges their distinct (line, page) pairs)."""

    def __init__(self) -> None:
        self._lines: list[np.ndarray] = []
        self._pages: list[np.ndarray] = []

    def add(self, doc: Document) -> None:
        keys = {normalize(b.text) for b in doc.blocks}
        keys.discard("")
        if not keys:
            return
        page = key_hash(max(keys, key=lambda k: (len(k), k)))
        hashes = [key_hash(k) for k in keys if len(k.split()) <= MAX_TEMPLATE_WORDS]
        self._lines.append(np.array(hashes, dtype=np.uint64))
        self._pages.append(np.full(len(hashes), page, dtype=np.uint64))

    def add_all(self, docs: Iterable[Document]) -> None:
        for doc in docs:
            self.add(doc)

    def pairs(self) -> np.ndarray:
        """The distinct (line, page) hash pairs counted so far, [n, 2] uint64, sorted."""
        if not self._lines:
            return np.empty((0, 2), dtype=np.uint64)
        pairs = np.unique(np.stack([np.concatenate(self._lines), np.concatenate(self._pages)], axis=1), axis=0)
        self._lines, self._pages = [pairs[:, 0]], [pairs[:, 1]]  # compacted: the next call starts from the distinct pairs
        return pairs

    def merge(self, pairs: np.ndarray) -> None:
        """Add another counter's `pairs()`."""
        self._lines.append(pairs[:, 0])
        self._pages.append(pairs[:, 1])

    def templates(self, min_pages: int) -> frozenset[int]:
        """Hashes of the lines found on at least `min_pages` distinct pages."""
        if not self._lines or min_pages <= 0:
            return frozenset()
        lines, counts = np.unique(self.pairs()[:, 0], return_counts=True)
        return frozenset(int(h) for h in lines[counts >= min_pages])
