"""Dedup's clustering of 1,000,000 signatures: in the run's process (the baseline), and spread over jobs.

    python benchmarks/dedup_spread.py [--docs 1000000] [--shard-size 10000] [--modes driver,local,ray]

Writes the signatures (with planted near-duplicate clusters) as the shards' sketch parts, then
fits them in a fresh process per mode and prints wall time, the driver's peak memory (the
process that runs the fit, not its workers) and the fit's figures:
- `driver`: `DedupStage.fit`, every signature in the driver: the named baseline;
- `local`: the spread fit (`pipeline.dedup.spread`) on 2 local processes;
- `ray`: the spread fit as tasks on a local Ray with 2 CPUs.
Every mode must give the same verdicts (a hash of all of them is compared). The spread modes
run the components in star rounds (`dedup.spread_above` = 0).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from common import ROOT, print_table
from dedup_scale import NUM_PERM, planted

from pipeline.config import DedupConfig
from pipeline.dedup import DedupStage
from pipeline.dedup.sketch import sketch_schema
from pipeline.dedup.spread import Spread, partition_count
from pipeline.engine import LocalEngine, RayEngine


class SameText:
    """Texts for the containment check: planted copies share their text (the check confirms them)."""

    def __call__(self, wanted: dict[int, tuple[int, int]]) -> dict[int, str]:
        return {key: "one text shared by every planted copy " * 20 for key in wanted}


def write_sketches(folder: Path, docs: int, shard_size: int, clusters: int) -> list[Path]:
    signatures, _ = planted(docs, clusters, 3, changed=0.1)
    rng = np.random.default_rng(1)
    exact = rng.choice(docs, size=docs // 100, replace=False)  # 1% are exact copies of another document
    signatures[exact] = signatures[rng.integers(0, docs, size=len(exact))]
    order = rng.permutation(docs)  # planted copies land in different shards
    signatures = signatures[order]
    parts = []
    for shard, lo in enumerate(range(0, docs, shard_size)):
        block = signatures[lo : lo + shard_size]
        n = len(block)
        ids = [f"{lo + k:012d}" for k in range(n)]
        table = pa.table({"id": ids, "source": [f"s/{i}" for i in ids], "row": np.arange(n, dtype=np.int32), "length": np.full(n, 3000),
                          "key": [hashlib.blake2b(s.tobytes(), digest_size=16).digest() for s in block],
                          "signature": [s.tobytes() for s in block], "shingles": np.full(n, 500), "status": [None] * n, "reason": [None] * n},
                         schema=sketch_schema(NUM_PERM))
        parts.append(folder / f"sketch-{shard:05d}.parquet")
        pq.write_table(table, parts[-1])
    return parts


def fit(mode: str, folder: Path) -> dict:
    """One mode's fit, in this process: its figures, a hash of every verdict, wall time and peak memory."""
    parts = sorted(folder.glob("sketch-*.parquet"))
    dedup = DedupStage(DedupConfig(spread_above=0 if mode != "driver" else 10**12))
    engine = None if mode == "driver" else LocalEngine(2) if mode == "local" else _ray()
    before = peak_rss_mb()
    start = time.perf_counter()
    if mode == "driver":
        labels = dedup.fit([pq.read_table(p) for p in parts], SameText())
    else:
        documents = sum(pq.ParquetFile(p).metadata.num_rows for p in parts)
        labels = dedup.fit_spread(Spread(dedup, folder / f"spread-{mode}", [], parts, partition_count(documents, 0), SameText()), engine)
    seconds = time.perf_counter() - start
    digest = hashlib.sha256()
    clustered = 0
    for shard in range(len(parts)):
        verdicts = labels.of_shard(shard)
        clustered += len(verdicts)
        digest.update(json.dumps(sorted((k, tuple(v.__dict__.values())) for k, v in verdicts.items())).encode())
    return {"mode": mode, "seconds": seconds, "before_mb": before, "peak_mb": peak_rss_mb(), "clustered": clustered, "verdicts": digest.hexdigest()[:12]} | labels.figures


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started (VmHWM: unlike ru_maxrss, not the forking parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _ray() -> RayEngine:
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    return RayEngine(None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--shard-size", type=int, default=10_000)
    parser.add_argument("--modes", default="driver,local,ray")
    parser.add_argument("--fit", help=argparse.SUPPRESS)  # internal: run one mode on FOLDER
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fit:
        print(json.dumps(fit(args.fit, Path(args.folder))))
        return
    with tempfile.TemporaryDirectory(prefix="dedup-spread-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        write_sketches(folder, args.docs, args.shard_size, clusters=args.docs // 50)
        print(f"sketches written in {time.perf_counter() - start:.0f} s", flush=True)
        results = []
        for mode in args.modes.split(","):
            out = subprocess.run([sys.executable, __file__, "--fit", mode, "--folder", tmp], capture_output=True, text=True, cwd=ROOT)
            if out.returncode:
                sys.exit(f"{mode} failed:\n{out.stderr[-3000:]}")
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(results[-1], flush=True)
    base = results[0]
    rows = [[r["mode"] + (" (baseline)" if r is base else ""), round(r["seconds"], 1), round(r["seconds"] / base["seconds"], 2), round(r["before_mb"]), round(r["peak_mb"]),
             r["exact_duplicates"], r["candidate_pairs"], r["verified_pairs"], r["clustered"], "yes" if r["verdicts"] == base["verdicts"] else "NO"]
            for r in results]
    print_table(
        f"Dedup fit of {args.docs:,} signatures x {NUM_PERM} in shards of {args.shard_size:,} ({args.docs // 50:,} planted clusters of 3, 1% exact copies)",
        ["mode", "wall s", "x baseline", "driver MB before", "driver peak MB", "exact dups", "candidate pairs", "verified pairs", "documents clustered", "same verdicts"],
        rows,
    )


if __name__ == "__main__":
    main()
