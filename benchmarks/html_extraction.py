"""The boilerplate stage on the public HTML extraction benchmarks in ../shared/bench-data.

    python benchmarks/html_extraction.py [-b scrapinghub|trafilatura|wcxb-dev|all] [--jobs 2]

Runs the benchmark's own scorer (eval_extraction.py) on `extract` below, which is the
boilerplate stage applied to one HTML page (default config, and without the page's
headline, which these benchmarks' gold leaves out), with trafilatura (favor_precision)
as the named baseline in the same run.
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
_NO_HEADLINE = BoilerplateStage(BoilerplateConfig(html_headline=False))


def extract(html: str) -> str:
    """HTML page -> the text the boilerplate stage keeps with the default config (the scorer's callable)."""
    return _run(_STAGE, html)


def extract_without_headline(html: str) -> str:
    """The same with `boilerplate.html_headline = false` (these benchmarks' gold has no headline)."""
    return _run(_NO_HEADLINE, html)


def _run(stage: BoilerplateStage, html: str) -> str:
    doc = Document(id="page", source="page.html", content_type=HTML, html=html)
    return next(iter(stage.run([doc]))).text


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
    cmd = [sys.executable, str(scorer), "-b", args.bench, "-e", "html_extraction:extract",
           "-e", "html_extraction:extract_without_headline", "-e", "trafilatura-precision", "--jobs", str(args.jobs)]
    return subprocess.call(cmd, env=env)


if __name__ == "__main__":
    sys.exit(main())
