"""Peak memory of a whole run as the corpus grows: does it stay flat, and what does each document cost?

    python benchmarks/memory.py [--pages 3000 30000 100000]

Each size is a corpus of generated text dumps (a navigation line, a headline, six
paragraphs of distinct words, a footer; every tenth page a near-copy of an earlier
one), run with `pipeline run` (one worker, default config) in its own process;
the peak resident memory is that process's. The named baseline of the same run
is a run on the five sample pages (imports, models, stoplists: the fixed cost).
"Per added document" is the growth of the peak from the size before, divided by the
documents added, in bytes: what grows with the corpus (dedup's signatures and
clustering, the template counter, the report's per-file counters).
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, print_table

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from pipeline import run
start = time.perf_counter()
stats = run([sys.argv[1]], sys.argv[2])
print(json.dumps({{"seconds": time.perf_counter() - start, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "documents": stats["read"]["documents"]}}))
"""


def corpus(root: Path, pages: int) -> None:
    rng = random.Random(pages)
    vocab = [f"{rng.choice('bcdfghklmnprst')}{rng.choice('aeiou')}{rng.choice('bcdfghklmnprst')}{i}" for i in range(50_000)]
    kept: list[str] = []
    for i in range(pages):
        if i % 10 == 9 and kept:
            text = rng.choice(kept[-50:]).replace(" the ", " a ", 1)
        else:
            body = [" ".join(rng.choices(vocab, k=60)) + "." for _ in range(6)]
            text = "\n".join(["Home | News | Sport | Contact", f"Headline of story {i} about the day"] + body + ["Subscribe to our newsletter"])
            kept.append(text)
        (root / f"p{i:06d}.txt").write_text(text)


def measure(inputs: Path) -> dict:
    with tempfile.TemporaryDirectory() as out:
        proc = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), str(inputs), out], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[3000, 30000, 100000])
    args = parser.parse_args()
    base = measure(ROOT / "raw")
    rows = [["5 sample pages (baseline)", base["documents"], base["peak_mb"], base["seconds"], "-"]]
    before = base
    for pages in sorted(args.pages):
        with tempfile.TemporaryDirectory() as raw:
            corpus(Path(raw), pages)
            got = measure(Path(raw))
        per_doc = (got["peak_mb"] - before["peak_mb"]) * 1024 * 1024 / (got["documents"] - before["documents"])
        rows.append([f"{pages:,} generated pages", got["documents"], got["peak_mb"], got["seconds"], f"{per_doc:,.0f}"])
        before = got
    print_table("Peak memory of a run (one process)", ["corpus", "documents", "peak MB", "seconds", "bytes per added document"], rows)


if __name__ == "__main__":
    main()
