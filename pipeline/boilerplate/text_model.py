"""The text-dump line model: is a paragraph of a page that reached us as plain text part of its main content?

A text dump has no markup, so what HTML gives for free (navigation blocks,
link lists, teasers, comment threads, footers) has to be read off the text and
its neighbourhood: each paragraph is described by its own shape (length,
sentence punctuation, stopwords, capitals, digits, symbols), the chrome rule
it meets (`lines.line_rule`), its place on the page, the lines around it near
and far, and where it stands relative to the page's longest run of prose.
The model is a gradient-boosted tree ensemble trained on real text dumps by
`tools/train_text_model.py` (cross-validated by site) and stored as arrays in
`text_model.json`; inference needs only numpy.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from itertools import chain
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pipeline.boilerplate import lines as rules
from pipeline.boilerplate.neighbours import character_counts, distance_to_true, runs, shifted, window_mean
from pipeline.boilerplate.trees import TreeEnsemble, load_ensemble

MODEL_PATH = Path(__file__).with_name("text_model.json")
RULES = (None, rules.CODE, rules.LINK, rules.DATE_COUNT, rules.NOTICE, rules.MARKER, rules.PROMPT, rules.NAV,
         rules.BYLINE, rules.TEMPLATE, rules.REPEATED, rules.SHORT, rules.NO_SENTENCE)
_RULE_INDEX = {rule: i for i, rule in enumerate(RULES)}
_MARKER = _RULE_INDEX[rules.MARKER]
RUN_GAP = 3  # paragraphs of other kinds bridged inside a run of prose
_LIST_STARTS = tuple("•·*–—-►▪●>|#")
# A comment's header ("jane says:", "Bob on May 2, 2019 at 4:47 pm said:") and the line that opens a comment section.
_COMMENT_HEADER = re.compile(r"\b(?:says|said|wrote|writes|replied|commented)\s*:?\s*$", re.I)
_COMMENTS_START = re.compile(
    r"^(?:\d[\d,.]*\s+(?:comments?|responses?|replies|reactions|thoughts)\b|\[\s*\d+\s+comments?\s*\]|(?:\d+\s+)?comments?\s*(?:\(\d+\))?$"
    r"|leave a (?:reply|comment)|join the (?:discussion|conversation)|(?:add|post|write) a comment|reader comments|show comments|discussion$)",
    re.I,
)
# Cheap checks first: the word a comment header ends on, and the first word of a comment section's heading.
_COMMENT_VERBS = frozenset("says said wrote writes replied commented".split())
_COMMENTS_FIRST = frozenset("comment comments leave join add post write reader show discussion".split())
COMMENT_MAX_WORDS = 12  # a comment's header or a comment section's heading is a short line
TITLE_MAX_WORDS = 30  # only a line this short can be the page's headline
ANCHOR_MIN_OVERLAP = 0.6  # share of a line's words in the page's first line (its title) for it to be the headline

# The columns, block by block, in the order `unit_features` builds them.
_SHAPE = ["chars", "words", "lines", "repeats", "sentence_end", "clause_end", "stopword_ratio", "code_ratio", "starts_lower",
          "starts_list", "comment_header", "comments_start", "title_overlap", "is_headline", "prose", "rule"]
_SHAPE_COLUMNS = ["log_chars", "log_words", "log_lines", "log_repeats"] + _SHAPE[4:-1] + ["capital_ratio", "digit_ratio", "symbol_ratio"]
_RULE_COLUMNS = [f"rule_{rule or 'none'}" for rule in RULES]
_PAGE_COLUMNS = ["position", "char_position", "page_log_units", "page_log_words", "page_prose_share", "page_log_runs",
                 "in_longest_run", "before_run", "after_run", "log_gap_to_prose", "log_distance_to_run", "markers_between_run",
                 "headline_before_prose", "in_comments", "log_comment_headers_before", "is_anchor", "before_anchor",
                 "log_after_anchor", "in_first_run", "after_first_run"]
# Signals also read off the paragraph just before and after, and averaged over those around it, near and far.
_NEIGHBOUR_SIGNALS = ["log_words", "sentence_end", "rule_none", "prose", "is_headline"]
_CONTEXT_SIGNALS = ["log_words", "sentence_end", "stopword_ratio", "prose", "rule_none", "capital_ratio", "is_headline",
                    "rule_date_count", "comment_header", "log_repeats"]
_REACHES = {"near": 2, "far": 8}
FEATURES = (
    _SHAPE_COLUMNS + _RULE_COLUMNS + _PAGE_COLUMNS
    + [f"{side}_{name}" for side in ("prev", "next") for name in _NEIGHBOUR_SIGNALS]
    + [f"{name}_{reach}" for reach in _REACHES for name in _CONTEXT_SIGNALS]
)
_OWN = _SHAPE_COLUMNS + _RULE_COLUMNS
_NEIGHBOUR_AT = [_OWN.index(name) for name in _NEIGHBOUR_SIGNALS]
_CONTEXT_AT = [_OWN.index(name) for name in _CONTEXT_SIGNALS]


def load_model(path: str | Path | None = None) -> TreeEnsemble:
    """The shipped model, or one trained by the tool and saved at `path`."""
    return load_ensemble(path or MODEL_PATH, FEATURES)


def unit_features(texts: Sequence[str], sizes: Sequence[int], analysis: Sequence[rules.LineFeatures],
                  found: Sequence[str | None], prose: Sequence[bool]) -> np.ndarray:
    """One row of FEATURES per paragraph.

    `texts[i]` is paragraph i (its lines joined by spaces), `sizes[i]` its number
    of lines, `analysis[i]` and `found[i]` its `lines.line_features` and the chrome
    rule it meets on its own (None: none); `prose[i]`: it reads as prose.
    """
    n = len(texts)
    if not n:
        return np.zeros((0, len(FEATURES)))
    repeats = Counter(f.key for f in analysis)
    title = frozenset(analysis[0].tokens)
    values = chain.from_iterable(map(_shape, texts, analysis, sizes, found, prose, (repeats,) * n, (title,) * n))
    shape = np.fromiter(values, float, n * len(_SHAPE)).reshape(n, len(_SHAPE))
    capitals, digits, symbols = character_counts(list(texts))
    chars, words = np.maximum(shape[:, 0], 1), np.maximum(shape[:, 1], 1)
    own = np.column_stack([
        np.log1p(shape[:, 0:2]), np.log(shape[:, 2:4]), shape[:, 4:-1], capitals / words, digits / chars, symbols / chars,
        np.eye(len(RULES))[shape[:, -1].astype(np.int64)],
    ])
    column = dict(zip(_OWN, own.T))
    page = _page_columns(column, shape[:, -1] == _MARKER)
    near = own[:, _NEIGHBOUR_AT]
    context = own[:, _CONTEXT_AT]
    return np.column_stack([own, page, shifted(near, -1), shifted(near, 1)] + [window_mean(context, r) for r in _REACHES.values()])


def _shape(text: str, f: rules.LineFeatures, lines: int, rule: str | None, prose: bool, repeats: Counter, title: frozenset) -> tuple:
    """The _SHAPE of one paragraph."""
    short = f.n_words <= COMMENT_MAX_WORDS and bool(f.tokens)
    return (
        len(text), f.n_words, lines, repeats[f.key], f.sentence_end, text.rstrip(rules._CLOSERS).endswith(rules._CLAUSE_MARKS),
        f.stopword_ratio, f.code_ratio, text[:1].islower(), text.startswith(_LIST_STARTS),
        short and f.tokens[-1] in _COMMENT_VERBS and bool(_COMMENT_HEADER.search(text)),
        short and (f.tokens[0] in _COMMENTS_FIRST or f.tokens[0].isdigit()) and bool(_COMMENTS_START.search(text)),
        sum(t in title for t in f.tokens) / f.n_words if title and 0 < f.n_words <= TITLE_MAX_WORDS else 0.0,
        rules.HEADLINE_MIN_WORDS <= f.n_words <= rules.HEADLINE_MAX_WORDS and not f.sentence_end,
        prose, _RULE_INDEX.get(rule, 0),
    )


def _page_columns(column: dict[str, np.ndarray], markers: np.ndarray) -> np.ndarray:
    """Where each paragraph stands on the page: its position, the page's longest and first runs of prose (and markers
    on the way to them), the headline that repeats the page's title (its first line), a comment section."""
    prose = column["prose"]
    n = len(prose)
    positions = np.arange(n)
    chars, words = np.expm1(column["log_chars"]), np.expm1(column["log_words"])
    found = runs(prose, RUN_GAP)
    first, last, _ = max(found, key=lambda r: (r[2], -r[0])) if found else (n, -1, 0)
    start, end, _ = next((r for r in found if r[2] >= 2), found[0]) if found else (n, -1, 0)
    before, after = positions < first, positions > last
    markers_after = np.cumsum(markers & after)
    markers_before = np.cumsum((markers & before)[::-1])[::-1]
    overlap = np.where(column["log_words"] >= math.log1p(3), column["title_overlap"], 0.0)
    overlap[0] = 0.0  # the title itself
    anchor = int(np.argmax(overlap)) if n > 1 and overlap.max() >= ANCHOR_MIN_OVERLAP else -1
    comment_header = column["comment_header"]
    return np.column_stack([
        positions / max(n - 1, 1),
        (np.cumsum(chars) - chars) / max(chars.sum(), 1),
        np.full(n, math.log1p(n)),
        np.full(n, math.log1p(words.sum())),
        np.full(n, (chars * prose).sum() / max(chars.sum(), 1)),
        np.full(n, math.log1p(len(found))),
        ~before & ~after,
        before,
        after,
        np.log1p(distance_to_true(prose)),
        np.log1p(np.where(before, first - positions, np.where(after, positions - last, 0))),
        np.where(after, markers_after, np.where(before, markers_before, 0)),
        column["is_headline"] * shifted(prose, 1),
        np.cumsum(column["comments_start"]) > 0,
        np.log1p(np.cumsum(comment_header) - comment_header),
        positions == anchor,
        positions < anchor,
        np.log1p(np.maximum(positions - anchor, 0)) if anchor >= 0 else np.zeros(n),
        (positions >= start) & (positions <= end),
        positions > end if end >= 0 else np.zeros(n, dtype=bool),
    ])
