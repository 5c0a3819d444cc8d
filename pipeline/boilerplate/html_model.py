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

import math
from collections import Counter
from pathlib import Path

import numpy as np

from pipeline.boilerplate.dom import ATTRIBUTE_GROUPS, ENCLOSING, TAG_BITS, PageLine
from pipeline.boilerplate.neighbours import character_counts, distance_to_true, runs, window_mean
from pipeline.boilerplate.trees import TreeEnsemble, load_ensemble
from pipeline.language import detect
from pipeline.text import word_key

MODEL_PATH = Path(__file__).with_name("html_model.json")
WINDOW = 3
# What a page can declare itself to be (html.page_kind); the model weighs comments and lists differently on each.
PAGE_KINDS = ("article", "product", "forum", "collection", "website", "unknown")
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
    + [f"page_{kind}" for kind in PAGE_KINDS]
)


def line_features(lines: list[PageLine], extracted: list[bool], title: str | None, kind: str = "unknown",
                  stops: frozenset[str] | None = None) -> np.ndarray:
    """One row of FEATURES per line; `extracted[i]`: trafilatura kept line i; `kind`: one of PAGE_KINDS."""
    if not lines:
        return np.zeros((0, len(FEATURES)))
    chars = np.array([len(line.text) for line in lines], dtype=float)
    kept = np.array(extracted, dtype=float)
    stops = detect([line.text for line in lines]).stopwords if stops is None else stops
    columns = _text_columns(lines, chars, title, stops) | _extractor_columns(kept, chars) | _markup_columns(lines, kept, chars)
    columns |= {f"page_{k}": np.full(len(lines), float(k == kind)) for k in PAGE_KINDS}
    for name in _CONTEXT_SIGNALS:
        for reach, radius in _REACHES.items():
            columns[f"{name}_{reach}"] = window_mean(columns[name], radius)
    return np.column_stack([columns[name] for name in FEATURES])


def _text_columns(lines: list[PageLine], chars: np.ndarray, title: str | None, stops: frozenset[str]) -> dict[str, np.ndarray]:
    """What each line says and where it stands: length, links, punctuation, stopwords, position, repetition."""
    n = len(lines)
    texts = [line.text for line in lines]
    keys = [line.key for line in lines]
    tokens = [k.split() for k in keys]
    n_words = np.array([len(ts) for ts in tokens], dtype=float)
    safe_words, safe_chars = np.maximum(n_words, 1), np.maximum(chars, 1)
    repeats = Counter(keys)
    title_key = word_key(title or "")
    link_ratio = np.array([line.link_chars for line in lines]) / safe_chars
    capitals, digits, symbols = character_counts(texts)
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
    first, last, run_start, run_end, n_runs = _extracted_span(kept)
    positions = np.arange(n)
    return {
        "extracted": kept,
        "extracted_window": window_mean(kept, WINDOW),
        "extracted_prev": np.concatenate([[0.0], kept[:-1]]),
        "extracted_next": np.concatenate([kept[1:], [0.0]]),
        "log_gap_to_extracted": np.log1p(distance_to_true(kept)),
        "page_extracted_share": np.full(n, (chars * kept).sum() / max(chars.sum(), 1)),
        "before_extracted": (positions < first).astype(float),
        "after_extracted": (positions > last).astype(float),
        "in_longest_run": ((positions >= run_start) & (positions <= run_end)).astype(float),
        "page_log_runs": np.full(n, math.log1p(n_runs)),
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


def _extracted_span(flags: np.ndarray) -> tuple[int, int, int, int, int]:
    """First and last flagged line, the longest run of flagged lines (first, last; a gap of 2 lines bridged), number of runs."""
    found = runs(flags, 2)
    if not found:
        return len(flags), -1, len(flags), -1, 0
    first, last, _ = max(found, key=lambda r: (r[2], -r[0]))
    return found[0][0], found[-1][1], first, last, len(found)


def load_model(path: str | Path | None = None) -> TreeEnsemble:
    """The shipped model, or one trained by the tool and saved at `path`."""
    return load_ensemble(path or MODEL_PATH, FEATURES)
