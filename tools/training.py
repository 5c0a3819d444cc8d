"""What the line-model training tools share: the benchmarks' pages and gold, line labels, folds by site, fitting and export.

The three public benchmarks in ../shared/bench-data label the main content of
real pages: WCXB dev and ScrapingHub with the gold text, trafilatura's set with
snippets that must and must not be found. Every page belongs to a site (its
URL's host, without `www.`); cross-validation folds group pages by site, so a
page is always scored by a model that saw no page of its site.
"""
from __future__ import annotations

import gzip
import json
import sys
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATA = ROOT.parent / "shared" / "bench-data"
BENCHES = ("scrapinghub", "trafilatura", "wcxb-dev")
sys.path.insert(0, str(ROOT))

from pipeline.text import WORD, normalize  # noqa: E402

PARAMS = dict(max_iter=100, learning_rate=0.15, max_depth=6, max_leaf_nodes=31, min_samples_leaf=40, l2_regularization=1.0)


@dataclass
class Gold:
    """One benchmark page: where its HTML is, its URL, and its gold (a text, or must-find and must-not-find snippets)."""

    bench: str
    id: str
    html: Path
    url: str
    text: str | None = None
    found: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)

    @property
    def site(self) -> str:
        return site_of(self.url)


def site_of(url: str) -> str:
    """The page's site: its URL's host, lowercased, without a leading `www.`."""
    host = (urlsplit(url).hostname or url).lower()
    return host[4:] if host.startswith("www.") else host


def fold_of(site: str, folds: int) -> int:
    """A site's cross-validation fold: stable across runs and tools (crc32 of the site)."""
    return zlib.crc32(site.encode()) % folds


def benchmark_pages(benches: tuple[str, ...] = BENCHES) -> list[Gold]:
    """Every page of the benchmarks with its gold, in a stable order."""
    pages: list[Gold] = []
    if "wcxb-dev" in benches:
        root = BENCH_DATA / "wcxb" / "dev"
        for path in sorted((root / "ground-truth").glob("*.json.gz")):
            data = json.loads(gzip.decompress(path.read_bytes()))
            page_id = path.name.split(".")[0]
            text = (data.get("ground_truth") or {}).get("main_content") or ""
            pages.append(Gold("wcxb-dev", page_id, root / "html" / f"{page_id}.html.gz", data.get("url") or page_id, text))
    if "scrapinghub" in benches:
        root = BENCH_DATA / "scrapinghub"
        for page_id, gold in sorted(json.loads((root / "ground-truth.json").read_text(encoding="utf-8")).items()):
            pages.append(Gold("scrapinghub", page_id, root / "html" / f"{page_id}.html.gz", gold.get("url") or page_id, gold.get("articleBody") or ""))
    if "trafilatura" in benches:
        root = BENCH_DATA / "trafilatura"
        for url, entry in sorted(json.loads((root / "evaldata.json").read_text(encoding="utf-8")).items()):
            pages.append(Gold("trafilatura", url, root / "html" / f"{entry['file']}.gz", url, None, entry["with"], entry["without"]))
    return pages


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


def labels_and_weights(texts: list[str], gold: Gold) -> tuple[np.ndarray, np.ndarray]:
    """Each line's label and training weight; every page weighs 1 (the benchmarks score per page)."""
    if gold.text is not None:
        words = np.array([len(t.split()) for t in texts], dtype=float)
        weight = 0.5 * words / max(words.sum(), 1) + 0.5 / max(len(texts), 1)
        return np.array(line_labels(texts, gold.text)), weight
    labels, labelled = snippet_labels(texts, gold.found, gold.not_found)
    mask = np.array(labelled, dtype=float)
    return np.array(labels), mask / max(mask.sum(), 1)


def fit(xs: list[np.ndarray], ys: list[np.ndarray], weights: list[np.ndarray], params: dict = PARAMS):
    """The boosted-tree classifier on the pages' lines (unlabelled lines have weight 0 and are left out)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(weights)
    keep = w > 0
    return HistGradientBoostingClassifier(**params, random_state=0).fit(x[keep], y[keep], sample_weight=w[keep])


def probabilities(model, x: np.ndarray) -> np.ndarray:
    return model.predict_proba(x)[:, 1] if len(x) else np.zeros(0)


def export(model, features: list[str], params: dict = PARAMS) -> dict:
    """The fitted sklearn ensemble as padded arrays for `pipeline.boilerplate.trees.TreeEnsemble`."""
    trees = [predictors[0].nodes for predictors in model._predictors]
    size = max(len(t) for t in trees)

    def pad(name: str, fill, dtype) -> list:
        out = np.full((len(trees), size), fill, dtype=dtype)
        for i, nodes in enumerate(trees):
            out[i, : len(nodes)] = nodes[name]
        return out.tolist()

    feature = np.array(pad("feature_idx", -1, np.int64))
    leaf = np.array(pad("is_leaf", 1, np.int64)).astype(bool)
    feature[leaf] = -1
    return {
        "features": list(features),
        "params": params,
        "baseline": float(np.ravel(model._baseline_prediction)[0]),
        "depth": int(max(nodes["depth"].max() for nodes in trees)),
        "feature": feature.tolist(),
        "threshold": pad("num_threshold", 0.0, np.float64),
        "left": pad("left", 0, np.int64),
        "right": pad("right", 0, np.int64),
        "value": pad("value", 0.0, np.float64),
    }


def write_model(data: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")


def check_export(model, data: dict, features: list[str], xs: list[np.ndarray]) -> float:
    """The largest gap between numpy inference and sklearn's probabilities on these rows (raises over 1e-6)."""
    from pipeline.boilerplate.trees import TreeEnsemble

    ours = TreeEnsemble.from_dict(data, features)
    gap = max((np.abs(ours.predict(x) - probabilities(model, x)).max() for x in xs if len(x)), default=0.0)
    if gap > 1e-6:
        raise SystemExit(f"numpy inference differs from sklearn by {gap}")
    return float(gap)


def score(bench: str, texts: dict[str, str], out: Path, name: str) -> dict:
    """Score {page id: kept text} with the benchmark's own scorer (eval_extraction.py); prints its line."""
    sys.path.insert(0, str(BENCH_DATA))
    import eval_extraction as E

    items = E.load_bench(bench, BENCH_DATA, None)
    items = [it for it in items if it["id"] in texts]
    result = E.score(bench, items, texts, 0)
    print(E.fmt(bench, name, result, None, 0), flush=True)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{bench}.json").write_text(json.dumps(texts))
    return result


def headline(bench: str, result: dict) -> float:
    """The benchmark's own headline figure: word F1 (WCXB), snippet F1 (trafilatura), shingle F1 (ScrapingHub)."""
    return (result.get("wcxb") or result.get("snippets") or result["shingle4"])["f1"]
