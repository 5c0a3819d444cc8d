"""Topical boundaries from word statistics alone, for runs of text with no structural break.

Utiyama and Isahara, "A Statistical Model for Domain-Independent Text
Segmentation", ACL 2001: each segment's words are scored by a Laplace-smoothed
unigram model of that segment, a segmentation costs the sum of those code
lengths plus log(N) per segment, and dynamic programming finds the cheapest
one. No training and no parameters beyond the segment penalty.
"""
from __future__ import annotations

import math
from collections import Counter

def topic_boundaries(units: list[list[str]], penalty: float = 1.0, max_units: int = 200) -> list[int]:
    """Indices of the units that start a new topic (never 0), from each unit's content words (stemmed).

    `penalty` scales the per-segment cost log(N); higher gives fewer segments.
    Segments are at most `max_units` long, which bounds the work to
    O(len(units) * max_units) for very long runs.
    """
    n_units = len(units)
    words = units
    total = sum(map(len, words))
    if n_units < 2 or total == 0:
        return []
    vocabulary = len({w for unit in words for w in unit})
    segment_cost = penalty * math.log(total)
    # spread(f) = f * log(f + 1): a segment's sum over its words of f * log(f + 1), updated as words arrive.
    spread_of = [f * math.log(f + 1) for f in range(total + 2)]
    size_cost = [n * math.log(n + vocabulary) for n in range(total + 1)]
    best = [0.0] + [math.inf] * n_units
    back = [0] * (n_units + 1)
    for i in range(n_units):
        counts: Counter[str] = Counter()
        size, spread = 0, 0.0
        for j in range(i, min(n_units, i + max_units)):
            for w in words[j]:
                f = counts[w]
                spread += spread_of[f + 1] - spread_of[f]
                counts[w] = f + 1
            size += len(words[j])
            cost = best[i] + size_cost[size] - spread + segment_cost
            if cost < best[j + 1]:
                best[j + 1], back[j + 1] = cost, i
    starts, end = [], n_units
    while end > 0:
        end = back[end]
        if end > 0:
            starts.append(end)
    return sorted(starts)
