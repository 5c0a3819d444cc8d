"""Boundary quality on Choi's dataset (../shared/bench-data/segmentation/choi), Pk and WindowDiff.

    python benchmarks/segmentation.py [--subset 3-11] [--limit N]

Sentences are the blocks, as the segment stage would see a page of one long
run of text; the segment stage's own split (`split_segments`: structural breaks
and the topical boundaries inside each segment) is scored with eval_seg.py's Pk, against the baselines
of one segment per document and an oracle fixed size (the mean reference segment
length), in the same run.
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import time

import numpy as np
from common import SHARED, print_table

from pipeline.config import SegmentConfig
from pipeline.document import Block
from pipeline.segment.segments import split_segments

DATA = SHARED / "bench-data" / "segmentation"


def load_eval_seg():
    spec = importlib.util.spec_from_file_location("eval_seg", DATA / "eval_seg.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ours(sentences: list[str], config: SegmentConfig) -> list[int]:
    blocks = [Block(s) for s in sentences]
    return [len(piece) for segment in split_segments(blocks, config) for piece in segment.pieces]


def score(ev, docs, segmenter) -> tuple[float, float]:
    pks, wds = [], []
    for sentences, ref in docs:
        pk, wd, probes, _ = ev.pk_wd(ref, segmenter(sentences, ref))
        if probes:
            pks.append(pk / probes)
            wds.append(wd / probes)
    return 100 * float(np.mean(pks)), 100 * float(np.mean(wds))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subset", default="3-11", help="3-11, 3-5, 6-8, 9-11 (the standard test sets)")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    if not (DATA / "choi").is_dir():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    ev = load_eval_seg()
    files = sorted(p for d in ev.CHOI_SUBSETS[args.subset] for p in (DATA / "choi" / d).glob("*.ref"))
    docs = [ev.read_doc(str(p), "choi") for p in files][: args.limit or None]
    config = SegmentConfig()
    start = time.perf_counter()
    pk, wd = score(ev, docs, lambda s, ref: ours(s, config))
    seconds = time.perf_counter() - start
    rows = [
        ["segment stage split (default config)", pk, wd, len(docs) / seconds],
        ["one segment per document (baseline)", *score(ev, docs, lambda s, ref: [len(s)]), "-"],
        ["oracle fixed size (baseline)", *score(ev, docs, lambda s, ref: ev.bounds_to_lens(range(round(len(s) / len(ref)) - 1, len(s) - 1, max(1, round(len(s) / len(ref)))), len(s))), "-"],
    ]
    print_table(f"Choi {args.subset}: {len(docs)} documents, sentences as blocks (Pk and WindowDiff in %, macro over documents)",
                ["method", "Pk", "WindowDiff", "docs/s"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
