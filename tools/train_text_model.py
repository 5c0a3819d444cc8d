"""Train the text-dump line model (pipeline/boilerplate/text_model.json) and report cross-validated scores.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python tools/train_text_model.py [--folds 5] [--write] [--out models/]

Training data: the real text dumps in ../shared/bench-data/textdumps (the
visible text of the ScrapingHub, trafilatura and WCXB dev pages, one block per
line), labelled paragraph by paragraph from the benchmarks' gold (see
tools/training.py). Each page is predicted by the model of the folds its site
is not in (folds grouped by site) and scored with the benchmark's own scorer,
so the printed scores are unseen-site figures. `--write` trains on all pages
and writes the shipped model; `--out DIR` writes one model per fold
(`fold-K.json`, trained without fold K's sites) for benchmarks/real_pages.py.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from training import PARAMS, BENCH_DATA, BENCHES, benchmark_pages, check_export, export, fit, fold_of, headline, labels_and_weights, probabilities, score, write_model

from pipeline.boilerplate.dumps import choose_units, read_units  # noqa: E402
from pipeline.boilerplate.templates import TemplateCounter  # noqa: E402
from pipeline.boilerplate.text_model import FEATURES, MODEL_PATH  # noqa: E402
from pipeline.config import BoilerplateConfig  # noqa: E402
from pipeline.document import Document, split_blocks  # noqa: E402

DUMPS = BENCH_DATA / "textdumps"
DUMP_DIRS = {"scrapinghub": "scrapinghub", "trafilatura": "trafilatura", "wcxb-dev": "wcxb-dev"}
# Fewer trees than the HTML model: 60 scored as 100 or 200 deeper ones under the fixed threshold (CV by site,
# within 0.002 on each benchmark) at a fraction of the inference time, which the text-dump stage's speed needs.
TEXT_PARAMS = dict(PARAMS, max_iter=60, learning_rate=0.25)


def load_pages(config: BoilerplateConfig) -> list[dict]:
    """Every text dump with its paragraphs, features, labels and weights."""
    golds = {(g.bench, g.id): g for g in benchmark_pages()}
    pages = []
    for bench in BENCHES:
        folder = DUMPS / DUMP_DIRS[bench]
        ids = json.loads((folder / "ids.json").read_text())["ids"]
        texts = {name: [b.text for b in split_blocks((folder / "pages" / name).read_text(encoding="utf-8"))] for name in sorted(ids)}
        counter = TemplateCounter()  # as a run over the benchmark's folder would count them
        for name, lines in texts.items():
            counter.add(Document(id=name, source=name, blocks=split_blocks("\n".join(lines))))
        templates = counter.templates(config.template_min_pages)
        for name, lines in texts.items():
            gold = golds[bench, ids[name]]
            units = read_units(lines, config, templates)
            y, w = labels_and_weights(units.texts, gold)
            pages.append({"bench": bench, "id": gold.id, "site": gold.site, "name": name, "units": units, "lines": lines, "y": y, "weight": w})
    return pages


def kept_text(page: dict, scores: np.ndarray, config: BoilerplateConfig) -> str:
    """The page's text as the stage keeps it with this config."""
    reasons = choose_units(page["units"], scores, config)
    return "\n".join(page["lines"][i] for unit, r in zip(page["units"].units, reasons) if r is None for i in unit)


def train(pages: list[dict]):
    return fit([p["units"].features for p in pages], [p["y"] for p in pages], [p["weight"] for p in pages], TEXT_PARAMS)


def cross_validate(pages: list[dict], folds: int, config: BoilerplateConfig, out: Path | None) -> dict[str, float]:
    """Each page predicted by the model trained without its site's fold; each benchmark's own score."""
    scores: dict[tuple[str, str], np.ndarray] = {}
    for fold in range(folds):
        model = train([p for p in pages if fold_of(p["site"], folds) != fold])
        if out:
            data = export(model, FEATURES, TEXT_PARAMS)
            check_export(model, data, FEATURES, [p["units"].features for p in pages[:50]])
            write_model(data, out / f"fold-{fold}.json")
        for p in pages:
            if fold_of(p["site"], folds) == fold:
                scores[p["bench"], p["id"]] = probabilities(model, p["units"].features)
    figures = {}
    for bench in BENCHES:
        texts = {p["id"]: kept_text(p, scores[bench, p["id"]], config) for p in pages if p["bench"] == bench}
        figures[bench] = headline(bench, score(bench, texts, Path("/tmp/text_model_cv"), "text model (CV by site)"))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5, help="0: no cross-validation")
    parser.add_argument("--out", type=Path, help="write each fold's model here as fold-K.json")
    parser.add_argument("--write", action="store_true", help="train on all pages and write text_model.json")
    args = parser.parse_args()
    if not DUMPS.is_dir():
        print(f"no text dumps at {DUMPS}", file=sys.stderr)
        return 1
    config = BoilerplateConfig()
    pages = load_pages(config)
    print(f"{len(pages)} pages, {sum(len(p['y']) for p in pages)} paragraphs, {int(sum((p['weight'] > 0).sum() for p in pages))} labelled", flush=True)
    if args.folds > 1:
        cross_validate(pages, args.folds, config, args.out)
    if args.write:
        model = train(pages)
        data = export(model, FEATURES, TEXT_PARAMS)
        gap = check_export(model, data, FEATURES, [p["units"].features for p in pages[:200]])
        write_model(data, MODEL_PATH)
        print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} KB; inference matches sklearn within {gap:.1e})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
