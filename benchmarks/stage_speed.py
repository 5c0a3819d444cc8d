"""Per-stage speed on the development pages (../shared/bench/dev/pages), one process, warm caches.

    python benchmarks/stage_speed.py [--repeat 2]

Prints pages per second for the boilerplate stage on text dumps and on HTML, the
segment stage, and, as the named baseline for HTML, trafilatura's `extract` alone
with the same options on the same pages; ratios are against the boilerplate stage
on text dumps (and against trafilatura for HTML). The best of `--repeat` passes is
kept, so one-off costs (loading stoplists) do not count.
"""
from __future__ import annotations

import argparse
import sys
import time

import trafilatura
from common import SHARED, print_table

from pipeline.boilerplate import BoilerplateStage
from pipeline.config import Config
from pipeline.document import HTML, Document, split_blocks
from pipeline.segment import SegmentStage

PAGES = SHARED / "bench" / "dev" / "pages"


def best_rate(make_docs, stage_run, repeat: int) -> float:
    best = 0.0
    for _ in range(repeat):
        docs = make_docs()
        start = time.perf_counter()
        for _ in stage_run(docs):
            pass
        best = max(best, len(docs) / (time.perf_counter() - start))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    if not PAGES.is_dir():
        print(f"no pages at {PAGES}", file=sys.stderr)
        return 1
    config = Config()
    texts = [p.read_text(encoding="utf-8") for p in sorted(PAGES.glob("*.txt"))]
    htmls = [p.read_text(encoding="utf-8") for p in sorted(PAGES.glob("*.html"))]

    def text_docs():
        return [Document(id=str(i), source=f"{i}.txt", blocks=split_blocks(t)) for i, t in enumerate(texts)]

    def html_docs():
        return [Document(id=str(i), source=f"{i}.html", content_type=HTML, html=h) for i, h in enumerate(htmls)]

    boiler = BoilerplateStage(config.boilerplate)
    text_rate = best_rate(text_docs, boiler.run, args.repeat)
    html_rate = best_rate(html_docs, boiler.run, args.repeat)
    traf_rate = best_rate(lambda: htmls, lambda pages: (trafilatura.extract(h, favor_precision=True, include_comments=False) for h in pages), args.repeat)
    cleaned = [list(boiler.run(text_docs())) for _ in range(1)][0]
    segment = SegmentStage(config.segment)
    seg_rate = best_rate(lambda: [Document(id=d.id, source=d.source, blocks=[type(b)(b.text, b.label, b.reason) for b in d.blocks]) for d in cleaned], segment.run, args.repeat)
    rows = [
        ["boilerplate, text dumps", len(texts), text_rate, 1.0, "-"],
        ["boilerplate, HTML (trafilatura + alignment + rules)", len(htmls), html_rate, html_rate / text_rate, traf_rate / html_rate],
        ["trafilatura.extract alone, HTML (baseline)", len(htmls), traf_rate, traf_rate / text_rate, 1.0],
        ["segment, text dumps after boilerplate", len(texts), seg_rate, seg_rate / text_rate, "-"],
    ]
    print_table("Stage speed on one core (pages/s, best of repeats)", ["stage", "pages", "pages/s", "x boilerplate text", "time x trafilatura"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
