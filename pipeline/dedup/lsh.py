"""Banded LSH over signature arrays: candidate pairs from sorting band keys, no per-document dicts.

Indyk and Motwani (1998); the banding of MinHash signatures and the choice of
bands and rows follow datasketch's `MinHashLSH` (its `_optimal_param`, which
minimizes the weighted false positive and false negative areas). The areas are
integrals of polynomials of degree at most `num_perm`, which Gauss-Legendre
quadrature with `num_perm` nodes gives exactly; datasketch integrates them with
SciPy's `quad`, an import of about 20 MB that every worker process would carry.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

# A band key shared by more documents than this yields a chain of pairs instead of all pairs.
MAX_ALL_PAIRS_RUN = 64
_KEY_MULTIPLIERS = np.random.RandomState(0x5EED).randint(1, 1 << 62, 64, dtype=np.uint64) * np.uint64(2) + np.uint64(1)


@lru_cache(maxsize=64)
def optimal_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) as datasketch's `MinHashLSH` chooses them for this Jaccard threshold (equal weights)."""
    nodes, weights = np.polynomial.legendre.leggauss(max(num_perm, 2))
    below, below_w = _interval(nodes, weights, 0.0, threshold)
    above, above_w = _interval(nodes, weights, threshold, 1.0)
    best, choice = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            false_positive = below_w @ (1 - (1 - below**r) ** b)  # pairs under the threshold that share a band
            false_negative = above_w @ ((1 - above**r) ** b)  # pairs over it that share none
            error = 0.5 * false_positive + 0.5 * false_negative
            if error < best:
                best, choice = error, (b, r)
    return choice


def _interval(nodes: np.ndarray, weights: np.ndarray, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights moved from [-1, 1] to [lo, hi]."""
    half = (hi - lo) / 2
    return lo + half * (nodes + 1), half * weights


def band_key(signatures: np.ndarray, band: int, rows: int) -> np.ndarray:
    """uint64 key per document for one band: a hash of the band's `rows` signature values."""
    key = np.zeros(len(signatures), dtype=np.uint64)
    for r in range(rows):
        key *= np.uint64(0x9E3779B97F4A7C15)
        key += signatures[:, band * rows + r].astype(np.uint64) * _KEY_MULTIPLIERS[r % len(_KEY_MULTIPLIERS)]
        key ^= key >> np.uint64(29)
    return key


def candidate_pairs(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Pairs (i < j) of rows sharing a key in any band, as an int64 array [m, 2], sorted and unique.

    One band at a time, so memory stays at a few arrays of one key per document.
    """
    found = [pairs_in_band(band_key(signatures, band, rows)) for band in range(bands)]
    pairs = np.concatenate(found) if found else np.empty((0, 2), dtype=np.int64)
    return np.unique(pairs, axis=0) if len(pairs) else pairs


def pairs_in_band(column: np.ndarray) -> np.ndarray:
    """Pairs (i < j) of positions in `column` with equal keys: all pairs of a run of at most MAX_ALL_PAIRS_RUN equal
    keys, a chain and a star of a longer one."""
    order = np.argsort(column, kind="stable")
    ordered = column[order]
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return np.empty((0, 2), dtype=np.int64)
    # Runs of equal keys: [start, end) in sorted order.
    edges = np.flatnonzero(np.diff(np.concatenate(([0], same.astype(np.int8), [0]))))
    starts, ends = edges[::2], edges[1::2] + 1
    sizes = ends - starts
    out = []
    small = sizes <= MAX_ALL_PAIRS_RUN
    for size in np.unique(sizes[small]):
        run_starts = starts[small & (sizes == size)]
        i, j = np.triu_indices(size, k=1)
        out.append(np.stack([order[run_starts[:, None] + i], order[run_starts[:, None] + j]], axis=-1).reshape(-1, 2))
    for start, end in zip(starts[~small], ends[~small]):
        members = np.sort(order[start:end])
        out.append(np.stack([members[:-1], members[1:]], axis=1))
        out.append(np.stack([np.full(len(members) - 1, members[0]), members[1:]], axis=1))
    pairs = np.concatenate(out).astype(np.int64)
    return np.sort(pairs, axis=1)
