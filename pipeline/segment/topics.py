"""Tagging a spillover segment with the nearest of the configured topics, so users see what sites append."""
from __future__ import annotations

from collections import Counter

from pipeline.text import normalize

OTHER = "other"


def nearest_topic(text: str, topics: dict[str, list[str]], min_hits: int) -> str:
    """The topic whose keywords occur most often in `text` (at least `min_hits`), else 'other'.

    Keywords are whole words or phrases of the normalized text; ties go to the
    topic listed first.
    """
    tokens = normalize(text).split()
    grams: Counter[tuple[str, ...]] = Counter()
    longest = max((len(k.split()) for keywords in topics.values() for k in keywords), default=1)
    for n in range(1, longest + 1):
        grams.update(zip(*(tokens[i:] for i in range(n))))
    best, best_hits = OTHER, min_hits - 1
    for name, keywords in topics.items():
        hits = sum(grams[tuple(normalize(k).split())] for k in keywords)
        if hits > best_hits:
            best, best_hits = name, hits
    return best
