"""Smoke test on the labelled near-duplicate sets in ../shared/bench-data/dedup/ndd_docsets (R8, webkb).

    python benchmarks/dedup_ndd.py

Runs the dedup stage alone (the texts are pre-cleaned) with the default config and
prints pair precision, recall and F1 against labels.csv, with datasketch's own
MinHash + MinHashLSH at the same settings as the named baseline.
"""
from __future__ import annotations

import csv
import itertools
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from common import SHARED, print_table

from datasketch import MinHash, MinHashLSH
from pipeline import Config, run
from pipeline.dedup.clusters import components
from pipeline.dedup.minhash import SCHEME, shingles
from pipeline.text import normalize

DATA = SHARED / "bench-data" / "dedup" / "ndd_docsets"


def gold_pairs(subset: str) -> tuple[set, list[str]]:
    with open(DATA / "labels.csv") as f:
        rows = [r for r in csv.DictReader(f) if r["subset"] == subset]
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(r["cluster_id"], []).append(r["file"])
    return {frozenset(p) for g in groups.values() for p in itertools.combinations(g, 2)}, [r["file"] for r in rows]


def pairs_from_clusters(cluster_of: dict[str, str]) -> set:
    groups: dict[str, list[str]] = {}
    for name, cluster in cluster_of.items():
        groups.setdefault(cluster, []).append(name)
    return {frozenset(p) for g in groups.values() for p in itertools.combinations(sorted(g), 2)}


def pipeline_clusters(subset: str, config: Config) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        run([DATA / subset], tmp, config, stages=("dedup",))
        rows = pq.read_table(Path(tmp) / "stages" / "dedup", columns=["source", "cluster_id"]).to_pylist()
    return {r["source"]: r["cluster_id"] for r in rows}


def datasketch_clusters(subset: str, files: list[str], config: Config) -> dict[str, str]:
    c = config.dedup
    lsh = MinHashLSH(threshold=c.threshold, num_perm=c.num_perm)
    sketches, pairs = [], []
    for i, name in enumerate(files):
        m = MinHash(num_perm=c.num_perm, seed=c.seed, scheme=SCHEME)
        m.update_batch(shingles(normalize((DATA / subset / name).read_text(errors="replace")), c.shingle_size))
        for j in lsh.query(m):
            if m.jaccard(sketches[j]) >= c.threshold:
                pairs.append((j, i))
        lsh.insert(i, m)
        sketches.append(m)
    import numpy as np

    labels = components(len(files), np.array(pairs, dtype=np.int64).reshape(-1, 2))
    return {name: str(label) for name, label in zip(files, labels)}


def scores(predicted: set, gold: set) -> tuple[float, float, float]:
    tp = len(predicted & gold)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(gold) if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    if not DATA.is_dir():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    config = Config()
    rows = []
    for subset in ("R8", "webkb"):
        gold, files = gold_pairs(subset)
        for name, clusters in (("pipeline dedup", pipeline_clusters(subset, config)), ("datasketch MinHashLSH (baseline)", datasketch_clusters(subset, files, config))):
            p, r, f1 = scores(pairs_from_clusters(clusters), gold)
            rows.append([subset, name, f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}"])
    d = config.dedup
    print_table(f"ndd_docsets pair scores (threshold {d.threshold}, {d.shingle_size}-word shingles, {d.num_perm} perms)",
                ["subset", "method", "precision", "recall", "F1"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
