"""Banded LSH over signature arrays: candidate pairs from sorting band keys, no per-document dicts.

Indyk and Motwani (1998); the banding of MinHash signatures and the choice of
bands and rows follow datasketch's `MinHashLSH` (its `_optimal_param`, which
minimizes the weighted false positive and false negative areas).
"""
from __future__ import annotations

import numpy as np
from datasketch.lsh import _optimal_param

# A band key shared by more documents than this yields a chain of pairs instead of all pairs.
MAX_ALL_PAIRS_RUN = 64
_KEY_MULTIPLIERS = np.random.RandomState(0x5EED).randint(1, 1 << 62, 64, dtype=np.uint64) * np.uint64(2) + np.uint64(1)


def optimal_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) from datasketch for this Jaccard threshold."""
    return _optimal_param(threshold, num_perm, 0.5, 0.5)


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
    found = [_pairs_in_band(band_key(signatures, band, rows)) for band in range(bands)]
    pairs = np.concatenate(found) if found else np.empty((0, 2), dtype=np.int64)
    return np.unique(pairs, axis=0) if len(pairs) else pairs


def _pairs_in_band(column: np.ndarray) -> np.ndarray:
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
