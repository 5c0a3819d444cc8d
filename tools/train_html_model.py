"""Train the HTML line model (pipeline/boilerplate/html_model.json) and report cross-validated scores.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python tools/train_html_model.py [--folds 5] [--write]

Training data: the three public benchmarks in ../shared/bench-data, labelled line
by line: WCXB dev (1,497 pages of seven kinds: articles, forums, products,
listings, collections, services, docs) and ScrapingHub (181 news articles) from
their gold main text, trafilatura's evaluation set (990 pages) from its
snippets that must and must not be found (other lines there are unlabelled).
Every page is scored with the benchmark's own scorer on the prediction of a
model that did not see it (k-fold cross-validation; folds by page id), so the
printed scores are unseen-page figures. `--write` then trains on all pages and
writes the model, after checking that the numpy inference in html_model.py
gives sklearn's probabilities.
"""
from __future__ import annotations

import argparse
import gzip
import json
import pickle
import subprocess
import sys
import zlib
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.boilerplate.html import Page, choose_lines, read_page  # noqa: E402
from pipeline.checkpoint import code_version  # noqa: E402
from pipeline.config import BoilerplateConfig  # noqa: E402
from pipeline.boilerplate.html_model import FEATURES, MODEL_PATH, TreeEnsemble, line_features  # noqa: E402
from pipeline.readers.decode import decode  # noqa: E402
from pipeline.text import WORD, normalize  # noqa: E402

BENCH_DATA = ROOT.parent / "shared" / "bench-data"
BENCH_WEIGHTS: dict[str, float] = {}  # a page's weight per benchmark (default 1)
PARAMS = dict(max_iter=100, learning_rate=0.15, max_depth=6, max_leaf_nodes=31, min_samples_leaf=40, l2_regularization=1.0)


def line_labels(texts: list[str], gold: str) -> list[int]:
    """1 for a line that belongs to the gold main content: a gold line itself, a passage of it, or nearly all its words."""
    gold_lines = {normalize(line) for line in gold.splitlines()}
    gold_key = " " + normalize(gold) + " "
    gold_words = Counter(WORD.findall(gold.lower()))
    labels = []
    for text in texts:
        key = normalize(text)
        words = key.split()
        if not words:
            labels.append(0)
        elif key in gold_lines or (len(words) >= 4 and f" {key} " in gold_key):
            labels.append(1)
        else:
            found = sum(min(n, gold_words[w]) for w, n in Counter(words).items())
            labels.append(int(len(words) >= 8 and found >= 0.8 * len(words)))
    return labels


def snippet_labels(texts: list[str], found: list[str], not_found: list[str]) -> tuple[list[int], list[bool]]:
    """Labels from snippets: a line holding (or held by) a must-find snippet is 1, a must-not-find one 0, others unlabelled."""
    keys = [normalize(t) for t in texts]
    labels, labelled = [0] * len(texts), [False] * len(texts)
    for value, snippets in ((0, not_found), (1, found)):
        for snippet in map(normalize, snippets):
            if not snippet:
                continue
            for i, key in enumerate(keys):
                if key and (snippet in key or (len(key.split()) >= 4 and key in snippet)):
                    labels[i], labelled[i] = value, True
    return labels, labelled


def read_item(item: tuple) -> tuple | None:
    """(benchmark, id, page, gold) for one benchmark page; gold is a text or a (found, not found) pair of snippet lists."""
    bench, page_id, path, gold = item
    data = gzip.decompress(Path(path).read_bytes())
    try:
        page = read_page(decode(data), None)
    except Exception as exc:
        print(f"{bench} {page_id}: {exc}", file=sys.stderr)
        return None
    return (bench, page_id, page, gold) if page is not None else None


def page_rows(bench: str, page_id: str, page: Page, gold) -> dict:
    """Features, labels and weights of one page's lines."""
    texts = [line.text for line in page.lines]
    x = line_features(page.lines, page.extracted, page.title)
    words = np.array([len(t.split()) for t in texts], dtype=float)
    weight = 0.5 * words / max(words.sum(), 1) + 0.5 / max(len(texts), 1)  # the scores are per page: each page weighs 1
    if isinstance(gold, str):
        y = np.array(line_labels(texts, gold))
    else:
        labels, labelled = snippet_labels(texts, *gold)
        y, mask = np.array(labels), np.array(labelled, dtype=float)
        weight = mask / max(mask.sum(), 1)
    return {"bench": bench, "id": page_id, "x": x, "y": y, "weight": weight, "texts": texts, "page": page}


def benchmark_items() -> list[tuple]:
    items = []
    root = BENCH_DATA / "wcxb" / "dev"
    for gold_path in sorted((root / "ground-truth").glob("*.json.gz")):
        page_id = gold_path.name.split(".")[0]
        gold = (json.loads(gzip.decompress(gold_path.read_bytes())).get("ground_truth") or {}).get("main_content") or ""
        items.append(("wcxb-dev", page_id, str(root / "html" / f"{page_id}.html.gz"), gold))
    root = BENCH_DATA / "scrapinghub"
    for page_id, gold in sorted(json.loads((root / "ground-truth.json").read_text(encoding="utf-8")).items()):
        items.append(("scrapinghub", page_id, str(root / "html" / f"{page_id}.html.gz"), gold.get("articleBody") or ""))
    root = BENCH_DATA / "trafilatura"
    for url, entry in sorted(json.loads((root / "evaldata.json").read_text(encoding="utf-8")).items()):
        items.append(("trafilatura", url, str(root / "html" / f"{entry['file']}.gz"), (entry["with"], entry["without"])))
    return items


def load_pages(cache: Path) -> list[dict]:
    """Every benchmark page's rows (see page_rows); parsed pages are cached."""
    if cache.is_file():
        parsed = pickle.loads(cache.read_bytes())
    else:
        with ProcessPoolExecutor(2) as pool:
            parsed = [p for p in pool.map(read_item, benchmark_items(), chunksize=8) if p is not None]
        cache.write_bytes(pickle.dumps(parsed))
    return [page_rows(*p) for p in parsed]


def fit(pages: list[dict]):
    """The boosted-tree classifier on the pages' lines (unlabelled lines have weight 0 and are left out)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.vstack([p["x"] for p in pages])
    y = np.concatenate([p["y"] for p in pages])
    w = np.concatenate([p["weight"] * BENCH_WEIGHTS.get(p["bench"], 1.0) for p in pages])
    keep = w > 0
    return HistGradientBoostingClassifier(**PARAMS, random_state=0).fit(x[keep], y[keep], sample_weight=w[keep])


def _proba(model, x: np.ndarray) -> np.ndarray:
    return model.predict_proba(x)[:, 1] if len(x) else np.zeros(0)


def export(model) -> dict:
    """The fitted sklearn ensemble as padded arrays for TreeEnsemble."""
    trees = [predictors[0].nodes for predictors in model._predictors]
    size = max(len(t) for t in trees)

    def pad(field: str, fill, dtype) -> list:
        out = np.full((len(trees), size), fill, dtype=dtype)
        for i, nodes in enumerate(trees):
            out[i, : len(nodes)] = nodes[field]
        return out.tolist()

    feature = np.array(pad("feature_idx", -1, np.int64))
    leaf = np.array(pad("is_leaf", 1, np.int64)).astype(bool)
    feature[leaf] = -1
    return {
        "features": FEATURES,
        "params": PARAMS,
        "baseline": float(np.ravel(model._baseline_prediction)[0]),
        "depth": int(max(nodes["depth"].max() for nodes in trees)),
        "feature": feature.tolist(),
        "threshold": pad("num_threshold", 0.0, np.float64),
        "left": pad("left", 0, np.int64),
        "right": pad("right", 0, np.int64),
        "value": pad("value", 0.0, np.float64),
    }


def cross_validate(pages: list[dict], folds: int, rules: list[str], out: Path, holdout: str | None = None) -> None:
    """Predict every page with the model of the folds it is not in, and score each benchmark with its own scorer.

    `holdout`: instead, train on the other benchmarks and score this one alone (unseen sites and conventions).
    """
    probabilities: dict[tuple[str, str], np.ndarray] = {}
    if holdout:
        pages = [p for p in pages if p["bench"] != holdout] + [p for p in pages if p["bench"] == holdout]
        fold_of = [int(p["bench"] == holdout) for p in pages]
        folds = 2
    else:
        fold_of = [zlib.crc32(f"{p['bench']} {p['id']}".encode()) % folds for p in pages]
    for fold in range(1 if holdout else 0, folds):
        model = fit([p for p, f in zip(pages, fold_of) if f != fold])
        for p, f in zip(pages, fold_of):
            if f == fold:
                probabilities[p["bench"], p["id"]] = _proba(model, p["x"])
    out.mkdir(parents=True, exist_ok=True)
    for rule in rules:
        config = BoilerplateConfig() if rule == "adaptive" else BoilerplateConfig(html_adaptive=False, html_threshold=float(rule))
        print(f"lines kept: {'adaptive cut' if config.html_adaptive else f'score above {config.html_threshold}'}", flush=True)
        for bench in sorted({b for b, _ in probabilities}):
            texts = {p["id"]: _kept_text(p, probabilities[bench, p["id"]], config) for p in pages if p["bench"] == bench}
            path = out / f"{bench}.json"
            path.write_text(json.dumps(texts))
            subprocess.call([sys.executable, str(BENCH_DATA / "eval_extraction.py"), "-b", bench, "--predictions", str(path)])


def _kept_text(page: dict, probabilities: np.ndarray, config: BoilerplateConfig) -> str:
    """The page's text as the stage keeps it with this config."""
    reasons = choose_lines(page["page"], probabilities, config)
    return "\n".join(t for t, r in zip(page["texts"], reasons) if r is None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5, help="0: no cross-validation")
    parser.add_argument("--cache", type=Path, default=Path(f"/tmp/html_model_pages_{code_version()[:12]}.pkl"),
                        help="parsed pages; the default name changes with the pipeline's code, so no stale parse is reused")
    parser.add_argument("--predictions", type=Path, default=Path("/tmp/html_model_cv"))
    parser.add_argument("--rules", default="adaptive", help="comma-separated line choices to score: adaptive (the default config) or a fixed threshold")
    parser.add_argument("--holdout", choices=["scrapinghub", "trafilatura", "wcxb-dev"], help="train on the other benchmarks, score this one")
    parser.add_argument("--weight", action="append", default=[], metavar="BENCH=W", help="weight of a benchmark's pages")
    parser.add_argument("--write", action="store_true", help="train on all pages and write html_model.json")
    args = parser.parse_args()
    if not (BENCH_DATA / "eval_extraction.py").is_file():
        print(f"no benchmark data at {BENCH_DATA}", file=sys.stderr)
        return 1
    rules = args.rules.split(",")
    if any(rule != "adaptive" and not rule.replace(".", "", 1).isdigit() for rule in rules):
        parser.error("--rules: 'adaptive' or probabilities such as 0.5")
    BENCH_WEIGHTS.update((k, float(v)) for k, v in (w.split("=") for w in args.weight))
    pages = load_pages(args.cache)
    print(f"{len(pages)} pages, {sum(len(p['y']) for p in pages)} lines, {int(sum((p['weight'] > 0).sum() for p in pages))} labelled")
    if args.folds > 1 or args.holdout:
        cross_validate(pages, args.folds, rules, args.predictions, args.holdout)
    if args.write:
        model = fit(pages)
        data = export(model)
        ours = TreeEnsemble.from_dict(data)
        gap = max(np.abs(ours.predict(p["x"]) - _proba(model, p["x"])).max() for p in pages[:200] if len(p["x"]))
        if gap > 1e-6:
            raise SystemExit(f"numpy inference differs from sklearn by {gap}")
        MODEL_PATH.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} KB; inference matches sklearn within {gap:.1e})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
