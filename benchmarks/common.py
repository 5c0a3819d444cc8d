"""Helpers shared by the benchmarks: synthetic documents, timing, peak memory, table printing."""
from __future__ import annotations

import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))


def synthetic_docs(count: int, chars: int = 3000, seed: int = 0) -> list[str]:
    """Normalized English-like documents of about `chars` characters (Zipf-distributed vocabulary)."""
    rng = random.Random(seed)
    vocab = [f"{rng.choice('bcdfghklmnprst')}{rng.choice('aeiou')}{rng.choice('bcdfghklmnprst')}{rng.choice('aeiou')}{i}" for i in range(20000)]
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    docs = []
    for _ in range(count):
        words = rng.choices(vocab, weights, k=chars // 6)
        docs.append(" ".join(words)[:chars].rsplit(" ", 1)[0])
    return docs


def timed(fn, *args, repeat: int = 3):
    """(best seconds over `repeat` runs, last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_table(title: str, header: list[str], rows: list[list[object]]) -> None:
    """Numbers right-aligned, text left-aligned."""
    cells = [header] + [[f"{c:,.1f}" if isinstance(c, float) else str(c) for c in row] for row in rows]
    numeric = [all(isinstance(row[i], (int, float)) or row[i] == "-" for row in rows) for i in range(len(header))]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    print(f"\n{title}")
    for k, row in enumerate(cells):
        print("  " + "  ".join(c.rjust(w) if numeric[i] and k else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if k == 0:
            print("  " + "  ".join("-" * w for w in widths))
