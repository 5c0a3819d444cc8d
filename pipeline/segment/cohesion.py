"""Lexical cohesion between text segments: sublinear TF-IDF vectors and cosine similarity.

IDF is computed over the segments of one page (smoothed, as in scikit-learn),
so a page's result never depends on what else is in the run. Stopwords are
dropped, as in TextTiling (Hearst, "TextTiling: Segmenting Text into
Multi-paragraph Subtopic Passages", Computational Linguistics 23(1), 1997).
"""
from __future__ import annotations

import math
from collections import Counter

Vector = dict[str, float]


def content_words(tokens: list[str], stops: frozenset[str]) -> list[str]:
    return [t for t in tokens if len(t) > 1 and not t.isdigit() and t not in stops]


def tfidf_vectors(segments: list[list[str]]) -> list[Vector]:
    """One L2-normalized vector per segment (a list of content words)."""
    n = len(segments)
    counts = [Counter(words) for words in segments]
    df = Counter(w for c in counts for w in c)
    idf = {w: math.log((n + 1) / (d + 1)) + 1.0 for w, d in df.items()}
    vectors = []
    for c in counts:
        v = {w: (1.0 + math.log(tf)) * idf[w] for w, tf in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({w: x / norm for w, x in v.items()})
    return vectors


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two L2-normalized vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())
