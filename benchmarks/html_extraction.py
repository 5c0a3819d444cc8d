"""The boilerplate stage on the public HTML extraction benchmarks in ../shared/bench-data.

    python benchmarks/html_extraction.py [-b scrapinghub -b trafilatura -b wcxb-dev] [--jobs 2]

Runs the benchmarks' own scorer (eval_extraction.py) on `extract` below, the
boilerplate stage applied to one HTML page with the default config, and on the
same with `html_model = false` (trafilatura's lines alone), with trafilatura's
`extract` (its defaults, and favor_precision) as the named baselines in the same
run; the scorer prints ms per page for each, the speed comparison.
The shipped line model was trained on these pages: its scores here are
in-sample. The unseen-page scores come from `tools/train_html_model.py`
(cross-validation, or `--holdout BENCH`).
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
_TRAFILATURA_LINES = BoilerplateStage(BoilerplateConfig(html_model=False))


def extract(html: str) -> str:
    """HTML page -> the text the boilerplate stage keeps with the default config (the scorer's callable)."""
    return _run(_STAGE, html)


def extract_trafilatura_lines(html: str) -> str:
    """The same with `boilerplate.html_model = false`: trafilatura's lines (fast mode) decide alone."""
    return _run(_TRAFILATURA_LINES, html)


def _run(stage: BoilerplateStage, html: str) -> str:
    doc = Document(id="page", source="page.html", content_type=HTML, html=html)
    return next(iter(stage.run([doc]))).text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-b", "--bench", action="append", choices=["scrapinghub", "trafilatura", "wcxb-dev"])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    scorer = SHARED / "bench-data" / "eval_extraction.py"
    if not scorer.is_file():
        print(f"no scorer at {scorer}", file=sys.stderr)
        return 1
    env = dict(os.environ, PYTHONPATH=f"{ROOT / 'benchmarks'}{os.pathsep}{ROOT}")
    benches = [arg for bench in args.bench or ["scrapinghub", "trafilatura", "wcxb-dev"] for arg in ("-b", bench)]
    extractors = ["html_extraction:extract", "html_extraction:extract_trafilatura_lines", "trafilatura", "trafilatura-precision"]
    cmd = [sys.executable, str(scorer), *benches, *(arg for e in extractors for arg in ("-e", e)), "--jobs", str(args.jobs)]
    return subprocess.call(cmd, env=env)


if __name__ == "__main__":
    sys.exit(main())
