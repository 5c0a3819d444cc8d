"""Per-stage speed on the development pages (../shared/bench/dev/pages), one process, warm caches.

    python benchmarks/stage_speed.py [--repeat 3] [--public-pages 150]

Prints pages per second for the boilerplate stage on text dumps and on HTML, the
segment stage, and, as the named baseline for HTML, trafilatura's `extract` alone
(its defaults, comments off as in the stage) on the same pages; ratios are against the boilerplate stage
on text dumps (and against trafilatura for HTML). The best of `--repeat` passes is
kept, so one-off costs (loading stoplists) do not count. The dev HTML pages are
small synthetic ones; the HTML comparison is repeated on the first `--public-pages`
real pages of each public benchmark in ../shared/bench-data.
"""
from __future__ import annotations

import argparse
import gzip
import sys
import time

import trafilatura
from common import SHARED, print_table

from pipeline.boilerplate import BoilerplateStage
from pipeline.config import Config
from pipeline.document import HTML, Document, split_blocks
from pipeline.segment import SegmentStage

PAGES = SHARED / "bench" / "dev" / "pages"
PUBLIC = {name: SHARED / "bench-data" / name / "html" for name in ("scrapinghub", "trafilatura")}
PUBLIC["wcxb dev"] = SHARED / "bench-data" / "wcxb" / "dev" / "html"


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
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--public-pages", type=int, default=150)
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
    traf_rate = best_rate(lambda: htmls, lambda ps: (trafilatura.extract(h, include_comments=False) for h in ps), args.repeat)
    cleaned = [list(boiler.run(text_docs())) for _ in range(1)][0]
    segment = SegmentStage(config.segment)
    seg_rate = best_rate(lambda: [Document(id=d.id, source=d.source, language=d.language, language_score=d.language_score, blocks=[type(b)(b.text, b.label, b.reason, b.rule) for b in d.blocks]) for d in cleaned], segment.run, args.repeat)
    rows = [
        ["boilerplate, text dumps", len(texts), text_rate, 1.0, "-"],
        ["boilerplate, HTML (trafilatura fast + line model + rules)", len(htmls), html_rate, html_rate / text_rate, traf_rate / html_rate],
        ["trafilatura.extract alone, HTML (baseline)", len(htmls), traf_rate, traf_rate / text_rate, 1.0],
        ["segment, text dumps after boilerplate", len(texts), seg_rate, seg_rate / text_rate, "-"],
    ]
    print_table("Stage speed on one core (pages/s, best of repeats)", ["stage", "pages", "pages/s", "x boilerplate text", "time x trafilatura"], rows)
    public_rows = []
    for name, folder in PUBLIC.items():
        pages = [gzip.decompress(p.read_bytes()).decode("utf-8", errors="replace") for p in sorted(folder.glob("*.gz"))[: args.public_pages]]
        if not pages:
            continue
        docs = lambda: [Document(id=str(i), source=f"{i}.html", content_type=HTML, html=h) for i, h in enumerate(pages)]  # noqa: E731
        ours = best_rate(docs, boiler.run, args.repeat)
        theirs = best_rate(lambda: pages, lambda ps: (trafilatura.extract(h, include_comments=False) for h in ps), args.repeat)
        public_rows.append([name, len(pages), f"{1000 / theirs:.1f}", f"{1000 / ours:.1f}", f"{theirs / ours:.2f}"])
    if public_rows:
        print_table("HTML on real pages (ms per page, best of repeats)", ["benchmark", "pages", "trafilatura.extract (baseline)", "boilerplate stage", "time x trafilatura"], public_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
