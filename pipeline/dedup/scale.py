"""How many false candidates a banding makes on unrelated pages, and the containment search narrowed for large runs.

Two pages that are no copies of each other still share a band with probability
1 - prod((1 - J^r)^b) over the bandings (b bands of r rows), J their Jaccard. UNRELATED is
the share of pairs of unrelated real pages at each Jaccard k/128 (the other pairs are at 0),
measured by `benchmarks/containment_scale.py` on the cleaned text of 2,650 real pages (3.5
million pairs). A document of a run of N documents then meets about N times that rate of
false candidates, pairs to verify for nothing. The containment banding dominates it: at the
default `containment_min_size` (0.15, 64 bands of 2 rows) a run of 10^6 documents makes
about 9 a document, one of 10^9 about 9,000, which no cluster verifies; raised to 0.5 (32
bands of 4 rows), 18 at 10^9. So a large run's containment search is narrowed, from the
configured size up in steps of 0.05, until its expected false candidates per document stay
under `dedup.candidates_per_document`.
"""
from __future__ import annotations

from dataclasses import replace

from pipeline.config import DedupConfig
from pipeline.dedup.lsh import optimal_bands

_PAIRS = 3_509_925
_AT = (2023, 108, 39, 25, 19, 13, 16, 11, 6, 8, 10, 7)  # pairs at Jaccard 1/128, 2/128, ...
UNRELATED = {(k + 1) / 128: n / _PAIRS for k, n in enumerate(_AT)}
STEP = 0.05


def false_candidate_rate(bandings: list[tuple[int, int]]) -> float:
    """The expected share of unrelated pairs that share a band of any of `bandings`."""
    rate = 0.0
    for jaccard, share in UNRELATED.items():
        miss = 1.0
        for bands, rows in bandings:
            miss *= (1 - jaccard**rows) ** bands
        rate += share * (1 - miss)
    return rate


def bandings(config: DedupConfig) -> list[tuple[int, int]]:
    """(bands, rows) of the Jaccard banding and, when containment is on, of the containment banding."""
    found = [optimal_bands(config.threshold, config.num_perm)]
    if config.containment_threshold:
        found.append(optimal_bands(containment_floor(config), config.num_perm))
    return found


def containment_floor(config: DedupConfig) -> float:
    """The lowest Jaccard a contained copy of the smallest searched size can have."""
    t, ratio = config.containment_threshold, config.containment_min_size
    return t * ratio / (1 + ratio - t * ratio)


def narrowed(config: DedupConfig, documents: int) -> DedupConfig:
    """`config` for a run of `documents` (the index's included): its containment_min_size raised in steps of STEP
    until the expected false candidates per document stay under `candidates_per_document` (0: as configured)."""
    budget = config.candidates_per_document
    if not budget or not config.containment_threshold:
        return config
    while config.containment_min_size < 1 and false_candidate_rate(bandings(config)) * (documents - 1) > budget:
        config = replace(config, containment_min_size=min(1.0, round(config.containment_min_size + STEP, 2)))
    return config
