"""A whole local run on 5,000 generated pages with two workers, against a named baseline commit in the same session.

    python benchmarks/local_run.py [--pages 5000] [--baseline ea81b21] [--rounds 2] [--workers 2] [--engine local]
    python benchmarks/local_run.py --ray [--pages 5000] [--rounds 2] [--workers 2]

The pages are the development pages (../shared/bench/dev/pages) copied: in each
copy, the words of every line longer than eight words are shuffled (so copies are
distinct texts while the short chrome lines recur, as site templates do); every
tenth copy is left exact and every tenth plus one changes one word, so dedup has
exact and near-duplicates to find. The baseline is the pipeline at `--baseline`,
checked out with `git worktree` under /tmp; runs alternate baseline, current,
baseline, current... so both see the same machine state. Each run is
`pipeline run PAGES -o OUT --set output.workers=N` in its own process; wall time,
CPU time of the process tree (sampled every 20 ms from /proc, or the children's
times the OS reports, the larger), and peak memory summed over the process tree
(sampled every 20 ms) are reported, best and median over the rounds.
The tables in documents/ and rejected/ are compared between the two (row for row,
all columns), so a faster run that changed the output is caught.

With `--ray` the two are the current code's local run (the baseline, `--workers`
processes) and its `--engine ray` run on a Ray it starts on this machine (all cores);
the driver's own peak memory is reported beside the tree's (Ray's processes, which
the driver starts, are in the tree).
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import ROOT, SHARED, print_table

PAGES = SHARED / "bench" / "dev" / "pages"
LONG_LINE_WORDS = 8


def corpus(root: Path, pages: int) -> None:
    """`pages` generated pages from the development pages (see the module docstring)."""
    sources = sorted(PAGES.iterdir())
    for i in range(pages):
        page = sources[i % len(sources)]
        copy = i // len(sources)
        text = page.read_text(encoding="utf-8")
        if copy % 10 == 1:
            text = text.replace(" the ", " a ", 1)
        elif copy % 10 != 0:
            text = _shuffled(text, random.Random(i), html=page.suffix == ".html")
        (root / f"{copy:03d}_{page.name}").write_text(text, encoding="utf-8")


def _shuffled(text: str, rng: random.Random, html: bool) -> str:
    def shuffle(line: str) -> str:
        words = line.split()
        if len(words) <= LONG_LINE_WORDS:
            return line
        rng.shuffle(words)
        return " ".join(words)

    if html:
        return re.sub(r">([^<]+)<", lambda m: ">" + shuffle(m.group(1)) + "<", text)
    return "\n".join(shuffle(line) for line in text.split("\n"))


def tree_usage(pid: int) -> tuple[int, int, dict[int, float]]:
    """Resident memory of `pid` alone and of it with every process below it, in KiB, and each of those processes'
    CPU seconds so far (by pid)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    cpu: dict[int, float] = {}
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
            cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, IndexError, ValueError):
            continue
    total, todo, tree_cpu = 0, [pid], {}
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        tree_cpu[p] = cpu.get(p, 0.0)
        todo.extend(children.get(p, []))
    return rss.get(pid, 0), total, tree_cpu


def measure(checkout: Path, inputs: Path, output: Path, workers: int, engine: str) -> dict:
    """One `pipeline run` of the code in `checkout`: wall seconds, CPU seconds of the tree, peak tree memory (MB)."""
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "-c", "import sys; from pipeline.cli import main; sys.exit(main())", "run", str(inputs), "-o", str(output), "-q",
               "--set", f"output.workers={workers}"]
    if engine != "local":
        command += ["--engine", engine]
    env = os.environ | {"PYTHONPATH": str(checkout)}
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=checkout, env=env)
    peak = own_peak = 0
    cpu: dict[int, float] = {}  # CPU seconds of every process of the tree, as last seen (Ray's workers are not our children)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, own_peak
        while not done.is_set():
            own, tree, seconds = tree_usage(proc.pid)
            peak, own_peak = max(peak, tree), max(own_peak, own)
            cpu.update(seconds)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    code = proc.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = os.times()
    if code != 0:
        raise SystemExit(f"the run in {checkout} failed with exit status {code}")
    waited = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"wall": wall, "cpu": max(waited, sum(cpu.values())), "peak_mb": peak / 1024, "driver_mb": own_peak / 1024}


def tables(output: Path, removed_fields: set[str] | None = None) -> dict:
    """documents/ and rejected/ as sorted lists of rows (every column), to compare two runs; `removed_fields`: only
    these fields of each removed line (what both versions write: schema 4 added `topic`)."""
    import pyarrow.parquet as pq

    out = {}
    for name in ("documents", "rejected"):
        rows = pq.read_table(output / name).to_pylist()
        if removed_fields is not None:
            for row in rows:
                row["removed"] = [{k: v for k, v in r.items() if k in removed_fields} for r in row["removed"]]
        out[name] = sorted(rows, key=lambda r: r["id"])
    return out


def removed_fields(output: Path) -> set[str]:
    import pyarrow.parquet as pq

    return {f.name for f in pq.read_schema(next((output / "documents").glob("*.parquet"))).field("removed").type.value_type}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--baseline", default="ea81b21", help="the commit to compare against (default: before the dedup redesign)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engine", default="local", help="the current code's engine (the baseline has only local)")
    parser.add_argument("--ray", action="store_true", help="compare the current code's local run (baseline) with its Ray run")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="local_run_"))
    baseline = ROOT if args.ray else work / "baseline"
    engine = "ray" if args.ray else args.engine
    if not args.ray:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(baseline), args.baseline], check=True, capture_output=True)
    try:
        inputs = work / "pages"
        inputs.mkdir()
        corpus(inputs, args.pages)
        runs: dict[str, list[dict]] = {"baseline": [], "current": []}
        for _ in range(args.rounds):
            runs["baseline"].append(measure(baseline, inputs, work / "out-baseline", args.workers, "local"))
            runs["current"].append(measure(ROOT, inputs, work / "out-current", args.workers, engine))
        common = removed_fields(work / "out-baseline") & removed_fields(work / "out-current")
        same = tables(work / "out-baseline", common) == tables(work / "out-current", common)
        base_wall = min(r["wall"] for r in runs["baseline"])
        rows = []
        for name, results in runs.items():
            rows.append([
                ("current (local)" if args.ray else f"{name} ({args.baseline})") if name == "baseline" else f"current ({engine})",
                f"{min(r['wall'] for r in results):.1f}",
                f"{statistics.median(r['wall'] for r in results):.1f}",
                f"{min(r['wall'] for r in results) / base_wall:.2f}x",
                f"{min(r['cpu'] for r in results):.1f}",
                f"{max(r['peak_mb'] for r in results):.0f}",
                f"{max(r['driver_mb'] for r in results):.0f}",
            ])
        print_table(f"{args.pages:,} pages, workers={args.workers}, {args.rounds} alternating rounds",
                    ["run", "best wall s", "median wall s", "vs baseline", "CPU s", "peak tree MB", "peak driver MB"], rows)
        print(f"documents/ and rejected/ equal to the baseline's: {same} (removed lines compared on {', '.join(sorted(common))})")
    finally:
        if not args.ray:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)], check=False, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
