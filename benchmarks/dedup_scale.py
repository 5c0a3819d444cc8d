"""LSH and clustering at scale: 1,000,000 synthetic signatures with planted near-duplicates.

    python benchmarks/dedup_scale.py [--docs 1000000] [--baseline-docs 100000]

Prints time and peak memory for the pipeline's array LSH (both the Jaccard and the
containment banding the dedup stage uses) plus verification and connected components,
whether every planted cluster was found whole, and, as the named baseline in the same
run, datasketch's `MinHashLSH` inserting and querying a slice of the same signatures.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from common import peak_rss_mb, print_table

from pipeline.config import DedupConfig
from pipeline.dedup.scale import containment_floor
from pipeline.dedup.clusters import components, representatives, verify
from pipeline.dedup.lsh import candidate_pairs, optimal_bands
from pipeline.dedup.minhash import as_minhash

NUM_PERM = 128


def planted(n: int, clusters: int, size: int, changed: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random signatures; the first clusters*size rows form clusters whose members differ in `changed` of positions."""
    rng = np.random.default_rng(seed)
    signatures = rng.integers(0, 2**32, size=(n, NUM_PERM), dtype=np.uint32)
    truth = np.arange(n)
    for c in range(clusters):
        rows = np.arange(c * size, (c + 1) * size)
        base = signatures[rows[0]].copy()
        for r in rows[1:]:
            keep = rng.random(NUM_PERM) >= changed
            signatures[r, keep] = base[keep]
        truth[rows] = rows[0]
    return signatures, truth


def ours(signatures: np.ndarray, config: DedupConfig) -> tuple[np.ndarray, dict]:
    timings = {}
    start = time.perf_counter()
    pairs = candidate_pairs(signatures, *optimal_bands(config.threshold, NUM_PERM))
    more = candidate_pairs(signatures, *optimal_bands(containment_floor(config), NUM_PERM))
    pairs = np.unique(np.concatenate([pairs, more]), axis=0)
    timings["lsh"] = time.perf_counter() - start
    sizes = np.full(len(signatures), 500)
    verified = verify(pairs, signatures, sizes, config.threshold, config.containment_threshold, config.containment_min_shingles)
    labels = components(len(signatures), verified.pairs)
    rep = representatives(labels, sizes.astype(float), np.arange(len(signatures)).astype(str).astype(object))
    timings["total"] = time.perf_counter() - start
    timings["pairs"] = len(verified.pairs)
    return rep, timings


def datasketch_baseline(signatures: np.ndarray, threshold: float) -> float:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    start = time.perf_counter()
    for i, row in enumerate(signatures):
        m = as_minhash(row, seed=1)
        lsh.query(m)
        lsh.insert(i, m)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--baseline-docs", type=int, default=100_000)
    parser.add_argument("--clusters", type=int, default=20_000)
    parser.add_argument("--cluster-size", type=int, default=3)
    args = parser.parse_args()
    config = DedupConfig()
    signatures, truth = planted(args.docs, args.clusters, args.cluster_size, changed=0.1)
    before = peak_rss_mb()
    rep, t = ours(signatures, config)
    peak = peak_rss_mb()
    planted_rows = args.clusters * args.cluster_size
    found = int(np.all(rep[:planted_rows] == rep[truth[:planted_rows]]) and len(np.unique(rep[:planted_rows])) == args.clusters)
    false_merges = int(np.sum(rep[planted_rows:] != np.arange(planted_rows, args.docs)))
    base_n = min(args.baseline_docs, args.docs)
    base_s = datasketch_baseline(signatures[:base_n], config.threshold)
    rows = [
        [f"pipeline array LSH + verify + components ({args.docs:,} docs)", t["total"], args.docs / t["total"], 1.0 * (args.docs / t["total"]) / (base_n / base_s), peak, "yes" if found else "NO", false_merges],
        [f"datasketch MinHashLSH insert+query, baseline ({base_n:,} docs)", base_s, base_n / base_s, 1.0, "-", "-", "-"],
    ]
    print_table(
        f"Near-duplicate search on {args.docs:,} signatures x {NUM_PERM} with {args.clusters:,} planted clusters of {args.cluster_size} "
        f"(10% of positions changed); LSH alone {t['lsh']:.1f} s; memory before {before:,.0f} MB",
        ["method", "seconds", "docs/s", "x baseline", "peak MB", "planted found", "false merges"],
        rows,
    )


if __name__ == "__main__":
    main()
