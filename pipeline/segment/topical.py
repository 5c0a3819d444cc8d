"""Topical boundaries from word statistics alone, for runs of text with no structural break.

Each segment is scored by the marginal likelihood of its words under a
Dirichlet-multinomial language model of its own (the Dirichlet compound
multinomial of Eisenstein and Barzilay, "Bayesian Unsupervised Topic
Segmentation", EMNLP 2008), plus a cost of log(N) per segment as in Utiyama
and Isahara (ACL 2001); dynamic programming finds the cheapest segmentation.
No training. Adding a word seen f times to a segment of n words costs
log(n + V*prior) - log(f + prior), so each candidate segment is scored
incrementally.
"""
from __future__ import annotations

import math
from collections import Counter


def topic_boundaries(units: list[list[str]], penalty: float = 0.65, prior: float = 0.5, max_units: int = 200) -> list[int]:
    """Indices of the units that start a new topic (never 0), from each unit's content words (stemmed).

    `penalty` scales the per-segment cost log(N): higher gives fewer segments.
    `prior` is the Dirichlet concentration per word: lower favours segments with
    a peaked vocabulary. Segments are at most `max_units` long, which bounds the
    work to O(len(units) * max_units) for very long runs.
    """
    n_units = len(units)
    total = sum(map(len, units))
    if n_units < 2 or total == 0:
        return []
    vocabulary = len({w for unit in units for w in unit})
    segment_cost = penalty * math.log(total)
    # size_cost[n] = sum over m < n of log(m + V*prior); word_gain[f] = log(f + prior)
    size_cost = [0.0]
    for m in range(total):
        size_cost.append(size_cost[-1] + math.log(m + vocabulary * prior))
    word_gain = [math.log(f + prior) for f in range(total + 1)]
    best = [0.0] + [math.inf] * n_units
    back = [0] * (n_units + 1)
    for i in range(n_units):
        counts: Counter[str] = Counter()
        size, gain = 0, 0.0
        for j in range(i, min(n_units, i + max_units)):
            for w in units[j]:
                f = counts[w]
                gain += word_gain[f]
                counts[w] = f + 1
            size += len(units[j])
            cost = best[i] + size_cost[size] - gain + segment_cost
            if cost < best[j + 1]:
                best[j + 1], back[j + 1] = cost, i
    starts, end = [], n_units
    while end > 0:
        end = back[end]
        if end > 0:
            starts.append(end)
    return sorted(starts)
