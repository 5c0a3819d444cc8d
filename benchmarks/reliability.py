"""Peak memory and time for a 100 MB page, against a run on the five sample pages (the baseline).

    python benchmarks/reliability.py

Each case runs in its own process, so its peak resident memory is its own. With the
default `limits.max_document_mb` (50) the 100 MB page is rejected without being read;
with the limit raised to 200 it is read and cleaned (a text dump of many lines), under
the per-document time limit.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, print_table

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from pipeline import Config, run
config = Config().override(json.loads(sys.argv[3]))
start = time.perf_counter()
stats = run([sys.argv[1]], sys.argv[2], config)
print(json.dumps({{"seconds": time.perf_counter() - start, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "statuses": stats["output"]["statuses"]}}))
"""


def measure(inputs: Path, overrides: dict) -> dict:
    with tempfile.TemporaryDirectory() as out:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD.format(root=str(ROOT)), str(inputs), out, json.dumps(overrides)],
            capture_output=True, text=True, check=True,
        )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def big_page(path: Path, megabytes: int) -> None:
    line = "The council approved the budget after a long debate about schools, roads and the harbour. " * 4 + "\n"
    with open(path, "w") as f:
        for _ in range(megabytes * 1_000_000 // len(line)):
            f.write(line)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page_dir = Path(tmp) / "big"
        page_dir.mkdir()
        big_page(page_dir / "page.txt", 100)
        cases = [
            ("five sample pages (baseline)", ROOT / "raw", {}),
            ("100 MB page, default limit: rejected unread", page_dir, {}),
            ("100 MB page, limit raised to 200 MB: cleaned", page_dir, {"limits.max_document_mb": 200, "limits.document_seconds": 600}),
        ]
        rows = []
        base = None
        for name, inputs, overrides in cases:
            m = measure(inputs, overrides)
            base = base or m["peak_mb"]
            rows.append([name, m["seconds"], m["peak_mb"], m["peak_mb"] / base, ", ".join(f"{n} {s}" for s, n in m["statuses"].items())])
    print_table("Peak memory of a whole run (separate processes)", ["case", "seconds", "peak MB", "x baseline", "outcome"], rows)


if __name__ == "__main__":
    main()
