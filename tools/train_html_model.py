"""Train the HTML line model (pipeline/boilerplate/html_model.json) and report cross-validated scores.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python tools/train_html_model.py [--folds 5] [--write] [--out models/]

Training data: the three public benchmarks in ../shared/bench-data, labelled line
by line (see tools/training.py): WCXB dev (1,497 pages of seven kinds: articles,
forums, products, listings, collections, services, docs) and ScrapingHub (181
news articles) from their gold main text, trafilatura's evaluation set (990
pages) from its snippets that must and must not be found (other lines there are
unlabelled). Every page is scored with the benchmark's own scorer on the
prediction of a model that saw no page of its site (k-fold cross-validation,
folds grouped by site), so the printed scores are unseen-site figures. `--write`
then trains on all pages and writes the model, after checking that the numpy
inference gives sklearn's probabilities; `--out DIR` writes one model per fold
(`fold-K.json`, trained without fold K's sites) for benchmarks/real_pages.py.
"""
from __future__ import annotations

import argparse
import gzip
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from training import PARAMS, BENCH_DATA, BENCHES, Gold, benchmark_pages, check_export, export, fit, fold_of, labels_and_weights, probabilities, score, write_model

from pipeline.boilerplate.html import Page, choose_lines, read_page  # noqa: E402
from pipeline.boilerplate.html_model import FEATURES, MODEL_PATH, line_features  # noqa: E402
from pipeline.checkpoint import code_version  # noqa: E402
from pipeline.config import BoilerplateConfig  # noqa: E402
from pipeline.readers.decode import decode  # noqa: E402


def read_item(gold: Gold) -> tuple[Gold, Page] | None:
    """One benchmark page parsed as the stage reads it (None: unparseable)."""
    try:
        page = read_page(decode(gzip.decompress(gold.html.read_bytes())), None)
    except Exception as exc:
        print(f"{gold.bench} {gold.id}: {exc}", file=sys.stderr)
        return None
    return (gold, page) if page is not None else None


def page_rows(gold: Gold, page: Page) -> dict:
    """Features, labels and weights of one page's lines."""
    texts = [line.text for line in page.lines]
    y, weight = labels_and_weights(texts, gold)
    x = line_features(page.lines, page.extracted, page.title, page.kind)
    return {"bench": gold.bench, "id": gold.id, "site": gold.site, "x": x, "y": y, "weight": weight, "texts": texts, "page": page}


def load_pages(cache: Path) -> list[dict]:
    """Every benchmark page's rows (see page_rows); parsed pages are cached."""
    if cache.is_file():
        parsed = pickle.loads(cache.read_bytes())
    else:
        with ProcessPoolExecutor(2) as pool:
            parsed = [p for p in pool.map(read_item, benchmark_pages(), chunksize=8) if p is not None]
        cache.write_bytes(pickle.dumps(parsed))
    return [page_rows(*p) for p in parsed]


# Deeper trees than the defaults (CV by site: WCXB word F1 +0.003).
HTML_PARAMS = dict(PARAMS, max_iter=200, max_depth=8, max_leaf_nodes=63, min_samples_leaf=20)


def train(pages: list[dict]):
    return fit([p["x"] for p in pages], [p["y"] for p in pages], [p["weight"] for p in pages], HTML_PARAMS)


def cross_validate(pages: list[dict], folds: int, rules: list[str], out: Path | None, holdout: str | None = None) -> None:
    """Predict every page with the model of the folds its site is not in, and score each benchmark with its own scorer.

    `holdout`: instead, train on the other benchmarks and score this one alone (unseen sites and conventions).
    """
    scores: dict[tuple[str, str], np.ndarray] = {}
    if holdout:
        fold_of_page = [int(p["bench"] == holdout) for p in pages]
        todo = [1]
    else:
        fold_of_page = [fold_of(p["site"], folds) for p in pages]
        todo = list(range(folds))
    for fold in todo:
        model = train([p for p, f in zip(pages, fold_of_page) if f != fold])
        if out and not holdout:
            data = export(model, FEATURES, HTML_PARAMS)
            check_export(model, data, FEATURES, [p["x"] for p in pages[:50]])
            write_model(data, out / f"fold-{fold}.json")
        for p, f in zip(pages, fold_of_page):
            if f == fold:
                scores[p["bench"], p["id"]] = probabilities(model, p["x"])
    for rule in rules:
        config = BoilerplateConfig() if rule == "adaptive" else BoilerplateConfig(html_adaptive=False, html_threshold=float(rule))
        name = f"HTML model ({'adaptive cut' if config.html_adaptive else f'above {config.html_threshold}'})"
        for bench in [b for b in BENCHES if any(key[0] == b for key in scores)]:
            texts = {p["id"]: _kept_text(p, scores[bench, p["id"]], config) for p in pages if p["bench"] == bench}
            score(bench, texts, Path("/tmp/html_model_cv"), name)


def _kept_text(page: dict, scores: np.ndarray, config: BoilerplateConfig) -> str:
    """The page's text as the stage keeps it with this config."""
    reasons = choose_lines(page["page"], scores, config)
    return "\n".join(t for t, r in zip(page["texts"], reasons) if r is None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5, help="0: no cross-validation")
    parser.add_argument("--cache", type=Path, default=Path(f"/tmp/html_model_pages_{code_version()[:12]}.pkl"),
                        help="parsed pages; the default name changes with the pipeline's code, so no stale parse is reused")
    parser.add_argument("--out", type=Path, help="write each fold's model here as fold-K.json")
    parser.add_argument("--rules", default="adaptive", help="comma-separated line choices to score: adaptive (the default config) or a fixed threshold")
    parser.add_argument("--holdout", choices=["scrapinghub", "trafilatura", "wcxb-dev"], help="train on the other benchmarks, score this one")
    parser.add_argument("--write", action="store_true", help="train on all pages and write html_model.json")
    args = parser.parse_args()
    if not (BENCH_DATA / "eval_extraction.py").is_file():
        print(f"no benchmark data at {BENCH_DATA}", file=sys.stderr)
        return 1
    rules = args.rules.split(",")
    if any(rule != "adaptive" and not rule.replace(".", "", 1).isdigit() for rule in rules):
        parser.error("--rules: 'adaptive' or probabilities such as 0.5")
    pages = load_pages(args.cache)
    print(f"{len(pages)} pages, {sum(len(p['y']) for p in pages)} lines, {int(sum((p['weight'] > 0).sum() for p in pages))} labelled")
    if args.folds > 1 or args.holdout:
        cross_validate(pages, args.folds, rules, args.out, args.holdout)
    if args.write:
        model = train(pages)
        data = export(model, FEATURES, HTML_PARAMS)
        gap = check_export(model, data, FEATURES, [p["x"] for p in pages[:200]])
        write_model(data, MODEL_PATH)
        print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} KB; inference matches sklearn within {gap:.1e})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
