"""The boilerplate stage on the public HTML extraction benchmarks in ../shared/bench-data.

    python benchmarks/html_extraction.py [-b scrapinghub|trafilatura|wcxb-dev|all] [--jobs 2]

Runs the benchmark's own scorer (eval_extraction.py) on `extract` below, which is the
boilerplate stage applied to one HTML page, with trafilatura (favor_precision) as the
named baseline in the same run.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

from common import ROOT, SHARED

from pipeline.boilerplate import BoilerplateStage
from pipeline.config import BoilerplateConfig
from pipeline.document import HTML, Document

_STAGE = BoilerplateStage(BoilerplateConfig())


def extract(html: str) -> str:
    """HTML page -> the text the boilerplate stage keeps (the scorer's callable)."""
    doc = Document(id="page", source="page.html", content_type=HTML, html=html)
    return next(iter(_STAGE.run([doc]))).text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-b", "--bench", default="all")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    scorer = SHARED / "bench-data" / "eval_extraction.py"
    if not scorer.is_file():
        print(f"no scorer at {scorer}", file=sys.stderr)
        return 1
    env = dict(os.environ, PYTHONPATH=f"{ROOT / 'benchmarks'}{os.pathsep}{ROOT}")
    cmd = [sys.executable, str(scorer), "-b", args.bench, "-e", "html_extraction:extract", "-e", "trafilatura-precision", "--jobs", str(args.jobs)]
    return subprocess.call(cmd, env=env)


if __name__ == "__main__":
    sys.exit(main())
