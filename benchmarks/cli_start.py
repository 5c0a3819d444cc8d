"""How long the command line takes to answer before any work: `--help`, `--version`, a usage error.

    python benchmarks/cli_start.py [--repeat 15]

Each command runs as a fresh process, as a user types it; the named baseline is
`python -c pass` (the interpreter's own start) in the same run. The median of
`--repeat` runs is shown, in milliseconds of wall time, with the time over the
baseline. Target: `pipeline --help` and a usage error well under 0.5 s.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import print_table

BIN = Path(sys.executable).parent
COMMANDS = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "pipeline --help": [str(BIN / "pipeline"), "--help"],
    "pipeline --version": [str(BIN / "pipeline"), "--version"],
    "pipeline run missing/ (usage error)": [str(BIN / "pipeline"), "run", "missing-input-dir/"],
    "pipeline run --set nope.x=1 (usage error)": [str(BIN / "pipeline"), "run", "--set", "nope.x=1"],
}


def median_ms(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    results = {name: median_ms(command, args.repeat) for name, command in COMMANDS.items()}
    base = results["python -c pass (baseline)"]
    rows = [[name, ms, ms - base] for name, ms in results.items()]
    print_table(f"CLI start, median of {args.repeat} runs (ms)", ["command", "wall ms", "over baseline ms"], rows)


if __name__ == "__main__":
    main()
