"""Verifying candidate pairs, clustering them, and choosing each cluster's representative.

Containment follows Broder (1997): C(A in B) = |A ∩ B| / |A|, estimated from
the MinHash Jaccard J and the set sizes as J (|A| + |B|) / ((1 + J) |A|),
so a truncated copy (the first 40% of an article) is found although its
Jaccard with the full article is low.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from pipeline.dedup.minhash import estimate_jaccard

_PAIRS_PER_CHUNK = 1 << 16


@dataclass
class Verified:
    pairs: np.ndarray  # [m, 2] int64, both above a threshold
    jaccard: np.ndarray  # [m] estimated Jaccard


def verify(
    pairs: np.ndarray,
    signatures: np.ndarray,
    sizes: np.ndarray,
    jaccard_threshold: float,
    containment_threshold: float,
    containment_min_size: int = 1,
    slack: float = 0.0,
) -> Verified:
    """Keep the pairs whose estimated Jaccard, or containment of the smaller set, meets its threshold.

    Containment counts only where the smaller set has `containment_min_size`
    elements; `containment_threshold` 0 turns it off. With `slack` k, the
    containment test uses the Jaccard estimate plus k standard errors, for a
    caller that confirms those pairs exactly afterwards.
    """
    keep, jaccards = [], []
    for lo in range(0, len(pairs), _PAIRS_PER_CHUNK):
        chunk = pairs[lo : lo + _PAIRS_PER_CHUNK]
        j = estimate_jaccard(signatures[chunk[:, 0]], signatures[chunk[:, 1]])
        upper = np.minimum(1.0, j + slack * np.sqrt(j * (1 - j) / signatures.shape[1]))
        c = containment(upper, sizes[chunk[:, 0]], sizes[chunk[:, 1]])
        ok = j >= jaccard_threshold
        if containment_threshold > 0:
            big_enough = np.minimum(sizes[chunk[:, 0]], sizes[chunk[:, 1]]) >= containment_min_size
            ok |= (c >= containment_threshold) & big_enough
        keep.append(chunk[ok])
        jaccards.append(j[ok])
    if not keep:
        return Verified(np.empty((0, 2), dtype=np.int64), np.empty(0))
    return Verified(np.concatenate(keep), np.concatenate(jaccards))


def containment(jaccard: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """Estimated |A ∩ B| / min(|A|, |B|), capped at 1."""
    smaller = np.maximum(np.minimum(size_a, size_b), 1)
    estimate = jaccard * (size_a + size_b) / ((1 + jaccard) * smaller)
    return np.minimum(estimate, 1.0)


def components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Cluster label per document: connected components of the pair graph."""
    if n == 0:
        return np.empty(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    return connected_components(graph, directed=False)[1].astype(np.int64)


def representatives(labels: np.ndarray, priority: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """For each document, the index of its cluster's representative.

    The representative has the highest `priority` (for example the clean text
    length); ties go to the smallest id.
    """
    if len(labels) == 0:
        return np.empty(0, dtype=np.int64)
    # Sort by cluster, then priority descending, then id: the first of each cluster wins.
    order = np.lexsort((ids, -priority, labels))
    first = np.ones(len(order), dtype=bool)
    first[1:] = labels[order][1:] != labels[order][:-1]
    winners = order[first]
    winner_of_label = np.empty(int(labels.max()) + 1, dtype=np.int64)
    winner_of_label[labels[winners]] = winners
    return winner_of_label[labels]
