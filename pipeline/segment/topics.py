"""Tagging a spillover segment with the nearest of the configured topics, so users see what sites append.

Keywords and text are compared on English word stems (Snowball), so a keyword
list names a concept once: `crash` matches crashed and crashes, `election`
elections. Text in another language matches nothing and is tagged 'other'.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from pipeline.text import normalize, stemmer

OTHER = "other"
PREFIX = 3  # a stem keeps its word's first letters: words are compared by stem only when these match a keyword's


def nearest_topic(text: str, topics: dict[str, list[str]], min_hits: int) -> str:
    """The topic whose keywords occur most often in `text` (at least `min_hits`), else 'other'.

    Keywords are whole words or phrases of the normalized, stemmed text; ties go
    to the topic listed first.
    """
    keys = _stemmed_keywords(tuple((name, tuple(keywords)) for name, keywords in topics.items()))
    longest = max((len(k) for _, keywords in keys for k in keywords), default=1)
    prefixes = {w[:PREFIX] for _, keywords in keys for k in keywords for w in k}
    # Only a word that begins as some keyword does can stem to it: the others are not stemmed (most of a text).
    tokens = [_english_stemmer()(w) if w[:PREFIX] in prefixes else "" for w in normalize(text).split()]
    grams: Counter[tuple[str, ...]] = Counter()
    for n in range(1, longest + 1):
        grams.update(zip(*(tokens[i:] for i in range(n))))
    best, best_hits = OTHER, min_hits - 1
    for name, keywords in keys:
        hits = sum(grams[k] for k in keywords)
        if hits > best_hits:
            best, best_hits = name, hits
    return best


@lru_cache(maxsize=8)
def _stemmed_keywords(topics: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    """Each topic's keywords as stem tuples, computed once per topic table."""
    return tuple((name, tuple(_stemmed(normalize(k)) for k in keywords)) for name, keywords in topics)


def _stemmed(normalized: str) -> tuple[str, ...]:
    stem = _english_stemmer()
    return tuple(stem(w) for w in normalized.split())


@lru_cache(maxsize=1)
def _english_stemmer():
    return stemmer("English")
