"""Containment search at scale: the candidate pairs each containment banding lets through, and what it finds.

    python benchmarks/containment_scale.py [--min-sizes 0.15,0.3,0.5,0.7]

`dedup.containment_min_size` sets the smallest copy searched for, so the floor Jaccard of
the containment banding, so its bands and rows. For each value, and with containment off:
- cost: the share of pairs of unrelated real pages (estimated Jaccard under 0.1) that become
  candidates, on the cleaned text of the 2,668 text dumps of ../shared/bench-data/textdumps
  (after boilerplate and segment). Counted on the sample, and expected from every such
  pair's estimated Jaccard (the mean of 1 - (1 - J^r)^b), which reaches below the sample's
  resolution; then what that rate means for 10^9 documents (candidates per document);
- finds: pair precision, recall and F1 on ../shared/bench-data/dedup (R8, webkb) and, with
  the full pipeline, on the dev set's near-duplicate groups (score.py), with recall by kind.
The current default is the named baseline.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from common import SHARED, print_table
from dedup_ndd import gold_pairs, pairs_from_clusters, pipeline_clusters, scores
from quality import predictions

from pipeline import Config, run
from pipeline.dedup import DedupStage
from pipeline.dedup.lsh import candidate_pairs
from pipeline.dedup.scale import containment_floor
from pipeline.text import normalize

DUMPS = SHARED / "bench-data" / "textdumps"
DEV = SHARED / "bench" / "dev"
CORPUS = 10**9
UNRELATED = 0.1  # pairs estimated below this Jaccard are no copies under any setting measured: every candidate among them is waste


def cleaned_texts(tmp: Path) -> list[str]:
    pages = [DUMPS / name / "pages" for name in ("scrapinghub", "trafilatura", "wcxb-dev")]
    out = tmp / "dumps"
    run(pages, out, Config(), stages=("boilerplate", "segment"))
    texts = pq.read_table(out / "documents", columns=["text"])["text"].to_pylist()
    return [t for t in (normalize(x) for x in texts) if t]


def jaccard_histogram(signatures: np.ndarray) -> np.ndarray:
    """How many pairs have each estimated Jaccard k / num_perm (k = 0 .. num_perm)."""
    n, num_perm = signatures.shape
    counts = np.zeros(num_perm + 1, dtype=np.int64)
    for lo in range(0, n, 128):
        block = signatures[lo : lo + 128]
        same = (block[:, None, :] == signatures[None, :, :]).sum(axis=2)
        upper = np.arange(n)[None, :] > np.arange(lo, lo + len(block))[:, None]
        counts += np.bincount(same[upper], minlength=num_perm + 1)
    return counts


def costs(signatures: np.ndarray, histogram: np.ndarray, dedup: DedupStage) -> dict:
    """The share of unrelated pairs (estimated Jaccard under UNRELATED) that are candidates of the Jaccard banding or,
    when on, the containment banding: counted on the sample, and expected from the pairs' Jaccard."""
    found = np.unique(np.concatenate([candidate_pairs(signatures, *b) for b in dedup.bandings]), axis=0)
    num_perm = signatures.shape[1]
    jaccard = (signatures[found[:, 0]] == signatures[found[:, 1]]).mean(axis=1) if len(found) else np.empty(0)
    j = np.arange(num_perm + 1) / num_perm
    unrelated = j < UNRELATED
    miss = np.ones_like(j)
    for b, r in dedup.bandings:
        miss *= (1 - j**r) ** b  # a pair is no candidate when no band of either banding matches
    pairs = histogram[unrelated].sum()
    return {"sample": int((jaccard < UNRELATED).sum()) / pairs, "expected": float(histogram[unrelated] @ (1 - miss[unrelated])) / pairs,
            "pairs": int(pairs)}


def dev_scores(tmp: Path, config: Config, name: str) -> dict:
    out = tmp / f"dev-{name}"
    run([DEV / "pages"], out, config)
    result = tmp / f"dev-{name}.json"
    subprocess.run([sys.executable, str(DEV.parent / "score.py"), "--bench", str(DEV), "--pred", f"{name}={predictions(out, tmp / f'{name}.jsonl')}",
                    "--json", str(result)], check=True, capture_output=True)
    return json.loads(result.read_text())[name]["near_duplicates"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--min-sizes", default="0.15,0.3,0.5,0.7")
    args = parser.parse_args()
    if not DUMPS.is_dir() or not DEV.is_dir():
        print(f"needs {DUMPS} and {DEV}", file=sys.stderr)
        return 1
    default = Config().dedup.containment_min_size
    settings = [("off", {"dedup.containment_threshold": "0"})] + [(size, {"dedup.containment_min_size": size}) for size in args.min_sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        texts = cleaned_texts(tmp)
        signatures, _ = DedupStage(Config().dedup).signer.sign(texts)
        histogram = jaccard_histogram(signatures)
        for name, override in settings:
            config = Config().override(override)
            dedup = DedupStage(config.dedup)
            cost = costs(signatures, histogram, dedup)
            ndd = [scores(pairs_from_clusters(pipeline_clusters(subset, config)), gold_pairs(subset)[0]) for subset in ("R8", "webkb")]
            dev = dev_scores(tmp, config, f"c{name}")
            banding = f"{dedup.containment_bands[0]}x{dedup.containment_bands[1]} (J>={containment_floor(config.dedup):.3f})" if dedup.containment_bands else "-"
            label = f"{name}{' (default, baseline)' if name != 'off' and float(name) == default else ''}"
            rows.append([label, banding, f"{cost['sample']:.2e}", f"{cost['expected']:.2e}", f"{cost['expected'] * CORPUS:,.0f}",
                         f"{ndd[0][1]:.3f}/{ndd[0][2]:.3f}", f"{ndd[1][1]:.3f}/{ndd[1][2]:.3f}",
                         f"{dev['pair_precision']:.3f}/{dev['pair_recall']:.3f}",
                         " ".join(f"{k}={v:.2f}" for k, v in dev["recall_by_kind"].items())])
            print(rows[-1], flush=True)
    print_table(
        f"Containment banding: candidate rate of unrelated pairs on {len(texts):,} cleaned real pages ({cost['pairs']:,} pairs under J {UNRELATED}), "
        f"candidates per document at {CORPUS:.0e} documents, recall and F1 on ndd_docsets, the dev set's near-duplicates",
        ["containment_min_size", "containment banding", "candidate rate (sample)", "rate (expected from J)", "candidates/doc at 1e9",
         "R8 recall/F1", "webkb recall/F1", "dev precision/recall", "dev recall by kind"],
        rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
