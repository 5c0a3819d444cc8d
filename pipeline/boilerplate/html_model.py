"""The HTML line model: is a visible line of the page part of its main content?

Each line is described by its text (length, links, punctuation, stopwords),
its markup (enclosing elements, class/id words, depth), its place on the page,
and whether trafilatura's extraction kept it and its neighbours, so the model
can both drop chrome trafilatura kept and restore content it left out (lists,
forum posts, product text). The model is a gradient-boosted tree ensemble
(Friedman, "Greedy function approximation", 2001) trained by
`tools/train_html_model.py` and stored as plain arrays in `html_model.json`;
inference here needs only numpy.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from pipeline.boilerplate.dom import ATTRIBUTE_GROUPS, ENCLOSING, TAG_BITS, PageLine
from pipeline.text import detect_language, stopwords, word_key

MODEL_PATH = Path(__file__).with_name("html_model.json")
LANGUAGE_SAMPLE = 600
WINDOW = 3
# Signals also averaged over the lines around each line, near and far.
_CONTEXT_SIGNALS = ("log_words", "link_ratio", "stopword_ratio", "sentence_end", "extracted")
_REACHES = {"near": 2, "far": 8}
_SENTENCE_END = tuple(".!?…。！？\"'”’»)")

FEATURES = (
    ["log_chars", "log_words", "link_ratio", "sentence_end", "comma_rate", "stopword_ratio", "capital_ratio",
     "digit_ratio", "symbol_ratio", "position", "char_position", "log_repeats", "is_title",
     "extracted", "extracted_window", "extracted_prev", "extracted_next", "log_gap_to_extracted",
     "page_extracted_share", "page_log_lines", "page_log_words", "depth", "depth_vs_extracted",
     "signature_extracted_share", "signature_share_of_extracted", "opener",
     "prev_link_ratio", "next_link_ratio", "prev_log_words", "next_log_words",
     "before_extracted", "after_extracted", "in_longest_run", "page_log_runs", "log_signature_count", "page_comment_share", "after_h1"]
    + [f"{name}_{reach}" for name in _CONTEXT_SIGNALS for reach in _REACHES]
    + [f"in_{name}" for name, _ in ENCLOSING]
    + [f"attr_{name}" for name, _ in ATTRIBUTE_GROUPS]
)


def line_features(lines: list[PageLine], extracted: list[bool], title: str | None) -> np.ndarray:
    """One row of FEATURES per line; `extracted[i]`: trafilatura kept line i."""
    if not lines:
        return np.zeros((0, len(FEATURES)))
    chars = np.array([len(line.text) for line in lines], dtype=float)
    kept = np.array(extracted, dtype=float)
    columns = _text_columns(lines, chars, title) | _extractor_columns(kept, chars) | _markup_columns(lines, kept, chars)
    for name in _CONTEXT_SIGNALS:
        for reach, radius in _REACHES.items():
            columns[f"{name}_{reach}"] = _window_mean(columns[name], radius)
    return np.column_stack([columns[name] for name in FEATURES])


def _text_columns(lines: list[PageLine], chars: np.ndarray, title: str | None) -> dict[str, np.ndarray]:
    """What each line says and where it stands: length, links, punctuation, stopwords, position, repetition."""
    n = len(lines)
    texts = [line.text for line in lines]
    keys = [line.key for line in lines]
    tokens = [k.split() for k in keys]
    stops = stopwords(detect_language([w for ts in tokens for w in ts][:LANGUAGE_SAMPLE]))
    n_words = np.array([len(ts) for ts in tokens], dtype=float)
    safe_words, safe_chars = np.maximum(n_words, 1), np.maximum(chars, 1)
    repeats = Counter(keys)
    title_key = word_key(title or "")
    link_ratio = np.array([line.link_chars for line in lines]) / safe_chars
    capitals, digits, symbols = _character_counts(texts)
    return {
        "log_chars": np.log1p(chars),
        "log_words": np.log1p(n_words),
        "link_ratio": link_ratio,
        "sentence_end": np.array([t.endswith(_SENTENCE_END) for t in texts], dtype=float),
        "comma_rate": np.array([t.count(",") for t in texts]) / safe_words,
        "stopword_ratio": np.array([sum(map(stops.__contains__, ts)) for ts in tokens]) / safe_words,
        "capital_ratio": capitals / safe_words,
        "digit_ratio": digits / safe_chars,
        "symbol_ratio": symbols / safe_chars,
        "position": np.arange(n) / max(n - 1, 1),
        "char_position": (np.cumsum(chars) - chars) / max(chars.sum(), 1),
        "log_repeats": np.log([repeats[k] for k in keys]),
        "is_title": np.array([bool(title_key) and k == title_key for k in keys], dtype=float),
        "page_log_lines": np.full(n, math.log1p(n)),
        "page_log_words": np.full(n, math.log1p(n_words.sum())),
        "prev_link_ratio": np.concatenate([[0.0], link_ratio[:-1]]),
        "next_link_ratio": np.concatenate([link_ratio[1:], [0.0]]),
        "prev_log_words": np.concatenate([[0.0], np.log1p(n_words[:-1])]),
        "next_log_words": np.concatenate([np.log1p(n_words[1:]), [0.0]]),
    }


def _extractor_columns(kept: np.ndarray, chars: np.ndarray) -> dict[str, np.ndarray]:
    """What trafilatura kept around each line: the line itself, its neighbours, the span of its article."""
    n = len(kept)
    first, last, run_start, run_end, runs = _extracted_span(kept)
    positions = np.arange(n)
    return {
        "extracted": kept,
        "extracted_window": _window_mean(kept, WINDOW),
        "extracted_prev": np.concatenate([[0.0], kept[:-1]]),
        "extracted_next": np.concatenate([kept[1:], [0.0]]),
        "log_gap_to_extracted": np.log1p(_distance_to_true(kept)),
        "page_extracted_share": np.full(n, (chars * kept).sum() / max(chars.sum(), 1)),
        "before_extracted": (positions < first).astype(float),
        "after_extracted": (positions > last).astype(float),
        "in_longest_run": ((positions >= run_start) & (positions <= run_end)).astype(float),
        "page_log_runs": np.full(n, math.log1p(runs)),
    }


def _markup_columns(lines: list[PageLine], kept: np.ndarray, chars: np.ndarray) -> dict[str, np.ndarray]:
    """The markup around each line: enclosing elements, class/id words, depth, and how trafilatura treated alike lines."""
    n = len(lines)
    signatures = [(line.tags, line.attributes) for line in lines]
    all_signatures = Counter(signatures)
    kept_signatures = Counter(s for s, k in zip(signatures, kept) if k)
    depth = np.array([line.depth for line in lines], dtype=float)
    kept_depth = depth[kept > 0].mean() if kept.any() else depth.mean()
    tag_bits = np.array([line.tags for line in lines], dtype=np.int64)
    attribute_bits = np.array([line.attributes for line in lines], dtype=np.int64)
    h1 = np.flatnonzero(tag_bits & TAG_BITS["h1"])
    comment = (attribute_bits & 1 << [name for name, _ in ATTRIBUTE_GROUPS].index("comment")) > 0
    columns = {
        "depth": depth,
        "depth_vs_extracted": depth - kept_depth,
        "signature_extracted_share": np.array([kept_signatures[s] / all_signatures[s] for s in signatures]),
        "signature_share_of_extracted": np.array([kept_signatures[s] for s in signatures]) / max(kept.sum(), 1),
        "log_signature_count": np.log([all_signatures[s] for s in signatures]),
        "opener": np.array([line.opener for line in lines], dtype=float),
        "after_h1": (np.arange(n) >= h1[0]).astype(float) if len(h1) else np.zeros(n),
        "page_comment_share": np.full(n, (chars * comment).sum() / max(chars.sum(), 1)),
    }
    tag_flags = ((tag_bits[:, None] >> np.arange(len(ENCLOSING))) & 1).astype(float)
    columns |= {f"in_{name}": tag_flags[:, i] for i, (name, _) in enumerate(ENCLOSING)}
    attribute_flags = ((attribute_bits[:, None] >> np.arange(len(ATTRIBUTE_GROUPS))) & 1).astype(float)
    columns |= {f"attr_{name}": attribute_flags[:, i] for i, (name, _) in enumerate(ATTRIBUTE_GROUPS)}
    return columns


def _character_counts(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per text: capitalized words, digits and punctuation/symbol characters, counted over code points at once.

    Letters are ASCII letters and every code point from U+00C0 up (other scripts);
    capitals are Latin, Greek and Cyrillic upper case; symbols are ASCII punctuation,
    Latin-1 signs and the general punctuation, currency, arrow and shape blocks.
    """
    code = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    upper = ((code >= 65) & (code <= 90)) | ((code >= 0xC0) & (code <= 0xDE) & (code != 0xD7))
    upper |= ((code >= 0x391) & (code <= 0x3A9)) | ((code >= 0x400) & (code <= 0x42F))
    word_char = ((code >= 48) & (code <= 57)) | ((code | 32) >= 97) & ((code | 32) <= 122) | (code >= 0xC0) | (code == 95)
    digit = (code >= 48) & (code <= 57)
    ascii_punct = ((code >= 33) & (code <= 47)) | ((code >= 58) & (code <= 64)) | ((code >= 91) & (code <= 96)) | ((code >= 123) & (code <= 126))
    symbol = ascii_punct | ((code >= 0xA1) & (code <= 0xBF)) | ((code >= 0x2010) & (code <= 0x2BFF))
    word_start = upper & ~np.concatenate([[False], word_char[:-1]])
    starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    return tuple(np.add.reduceat(flags.astype(np.int64), starts).astype(float) for flags in (word_start, digit, symbol))


def _window_mean(values: np.ndarray, radius: int) -> np.ndarray:
    padded = np.concatenate([np.zeros(radius + 1), values, np.zeros(radius)])
    sums = np.cumsum(padded)
    return (sums[2 * radius + 1:] - sums[: -2 * radius - 1]) / (2 * radius + 1)


def _extracted_span(flags: np.ndarray) -> tuple[int, int, int, int, int]:
    """First and last flagged line, the longest run of flagged lines (first, last; a gap of 2 lines bridged), number of runs."""
    idx = np.flatnonzero(flags)
    if not len(idx):
        return len(flags), -1, len(flags), -1, 0
    breaks = np.flatnonzero(np.diff(idx) > 3)
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [len(idx) - 1]])
    longest = int(np.argmax(ends - starts))
    return int(idx[0]), int(idx[-1]), int(idx[starts[longest]]), int(idx[ends[longest]]), len(starts)


def _distance_to_true(flags: np.ndarray) -> np.ndarray:
    """Lines to the nearest flagged line (the page's length when none is flagged)."""
    n = len(flags)
    idx = np.flatnonzero(flags)
    if not len(idx):
        return np.full(n, float(n))
    positions = np.arange(n)
    right = np.searchsorted(idx, positions)
    after = idx[np.minimum(right, len(idx) - 1)]
    before = idx[np.maximum(right - 1, 0)]
    return np.minimum(np.abs(after - positions), np.abs(positions - before)).astype(float)


@dataclass(frozen=True)
class TreeEnsemble:
    """Boosted binary trees, walked all at once: one numpy step per level.

    The nodes of all trees sit in flat arrays (tree t's node i at t * nodes + i);
    a leaf tests feature 0 against +inf and has itself as both children, so
    every walk can take `depth` steps without checking for leaves.
    """

    feature: np.ndarray  # flat: the feature each node tests
    threshold: np.ndarray  # go left when x <= threshold
    children: np.ndarray  # flat node index of the left (2i) and right (2i + 1) child of node i
    value: np.ndarray  # leaf values (already scaled by the learning rate)
    roots: np.ndarray  # flat index of each tree's root
    baseline: float
    depth: int

    @classmethod
    def from_dict(cls, data: dict) -> TreeEnsemble:
        """From the padded (trees, nodes) arrays that tools/train_html_model.py writes; -1 marks a leaf's feature."""
        if data["features"] != FEATURES:
            raise ValueError("html_model.json was trained on other features; retrain it with tools/train_html_model.py")
        feature = np.array(data["feature"], dtype=np.int64)
        trees, nodes = feature.shape
        leaf = feature < 0
        offsets = (np.arange(trees) * nodes)[:, None]
        own = offsets + np.arange(nodes)[None, :]
        left = np.where(leaf, own, offsets + np.array(data["left"], dtype=np.int64))
        right = np.where(leaf, own, offsets + np.array(data["right"], dtype=np.int64))
        return cls(
            feature=np.where(leaf, 0, feature).ravel(),
            threshold=np.where(leaf, np.inf, np.array(data["threshold"], dtype=float)).ravel(),
            children=np.column_stack([left.ravel(), right.ravel()]).ravel(),
            value=np.array(data["value"], dtype=float).ravel(),
            roots=offsets.ravel(),
            baseline=float(data["baseline"]),
            depth=int(data["depth"]),
        )

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability that each row is main content."""
        if not len(x):
            return np.zeros(0)
        x = np.ascontiguousarray(x, dtype=float)
        row_starts = (np.arange(len(x)) * x.shape[1])[:, None]
        flat_x = x.ravel()
        node = np.broadcast_to(self.roots, (len(x), len(self.roots)))
        for _ in range(self.depth):
            right = flat_x[row_starts + self.feature[node]] > self.threshold[node]
            node = self.children[2 * node + right]
        score = self.baseline + self.value[node].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-score))


@lru_cache(maxsize=1)
def default_model() -> TreeEnsemble:
    return TreeEnsemble.from_dict(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
