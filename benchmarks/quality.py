"""Quality on the labelled development set: run the pipeline on ../shared/bench/dev/pages, print score.py's figures.

    python benchmarks/quality.py [--bench ../shared/bench/dev] [--stages boilerplate,segment,dedup]

Each pipeline variant named in --stages prefixes is scored in the same run, with
`boilerplate` alone as the baseline, so the table shows what every stage adds.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import load_config, run  # noqa: E402
from pipeline.runner import STAGE_ORDER  # noqa: E402

HEADLINE = [
    ("token_bag", "f1"), ("token_bag", "precision"), ("token_bag", "recall"),
]


def predictions(output: Path, target: Path) -> Path:
    """documents/ and rejected/ as one JSONL that score.py reads (rejected rows keep their cluster)."""
    with target.open("w", encoding="utf-8") as out:
        for table in ("documents", "rejected"):
            for row in pq.read_table(output / table, columns=["source", "text", "cluster_id"]).to_pylist():
                out.write(json.dumps(row) + "\n")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "dev")
    parser.add_argument("--config", type=Path, default=ROOT / "config.toml")
    parser.add_argument("--json", type=Path, help="also write score.py's full results here")
    parser.add_argument("--per-page", type=Path, help="per-page figures of the full pipeline (JSONL)")
    args = parser.parse_args()
    score = args.bench.parent / "score.py"
    if not (args.bench / "pages").is_dir() or not score.is_file():
        print(f"no benchmark at {args.bench}: nothing to measure", file=sys.stderr)
        return 1
    config = load_config(args.config)
    with tempfile.TemporaryDirectory() as tmp:
        preds = []
        for n in range(1, len(STAGE_ORDER) + 1):
            stages = STAGE_ORDER[:n]
            out = Path(tmp) / "+".join(stages)
            run([args.bench / "pages"], out, config, stages)
            preds += ["--pred", f"{'+'.join(stages)}={predictions(out, Path(tmp) / (out.name + '.jsonl'))}"]
        cmd = [sys.executable, str(score), "--bench", str(args.bench), *preds]
        if args.json:
            cmd += ["--json", str(args.json)]
        if args.per_page:
            cmd += ["--per-page", str(args.per_page)]
        # score.py labels --per-page rows with the first prediction; put the full pipeline first.
        cmd = cmd[:4] + preds[-2:] + preds[:-2] + cmd[4 + len(preds):]
        return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
