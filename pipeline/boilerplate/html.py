"""HTML pages: trafilatura and the line model find the content; every other visible line is kept as removed.

The page is read as its visible lines (`dom.page_lines`). trafilatura's
extraction marks the lines it keeps; the line model (`html_model`) then weighs
each line's text, markup and neighbourhood with that mark and decides, so it
can both drop chrome trafilatura kept and restore content it left out; each
page's lines are cut where the expected F1 of what is kept is highest. Lines
not kept carry the reason `boilerplate.html_model` (`boilerplate.repeated` for
a second copy of a kept line; with the model off, `boilerplate.html_extractor`),
in page order, so that HTML cleaning is as auditable as text cleaning. A page
trafilatura keeps whole (or, with the model off, finds nothing in) goes to the
text-dump line classifier instead.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import trafilatura
import trafilatura.utils
from htmldate import find_date
from trafilatura.metadata import extract_title, extract_url
from trafilatura.utils import load_html

from pipeline.boilerplate.dom import ATTRIBUTE_BITS, TAG_BITS, PageLine, page_lines
from pipeline.boilerplate.choice import keep_lines
from pipeline.boilerplate.html_model import PAGE_KINDS, line_features, load_model
from pipeline import language
from pipeline.boilerplate.lines import REPEATED
from pipeline.config import BoilerplateConfig
from pipeline.document import BOILERPLATE, Block
from pipeline.text import word_key, words

EXTRACTOR_REASON = "boilerplate.html_extractor"
MODEL_REASON = "boilerplate.html_model"
REPEAT_REASON = f"boilerplate.{REPEATED}"  # the text-dump classifier's reason for a line repeated on the page
_MAX_PLACES = 64  # places tried per line in the extractor's text (a line of common words only: "more", "share", "1")
HEADLINE_LOOKBACK = 8  # lines above the content searched for its headline
# The adaptive cut never keeps a line scored at or below this: on cross-validated predictions it
# raised WCXB word-F1 from 0.853 (no floor) to 0.856 (0.1 to 0.4 tried; ScrapingHub, trafilatura's set level).
ADAPTIVE_MIN_SCORE = 0.25
COMMENT_REASON = "boilerplate.comment"
ABOVE_REASON = "boilerplate.above_article"
# When trafilatura finds an article of at least this many words, lines it left out more than ABOVE_GAP lines above
# its start are not brought back (teaser lists, captions, tickers); the headline is restored on its own.
ARTICLE_WORDS = 150
ABOVE_GAP = 2
UNKNOWN = PAGE_KINDS[-1]
_LD_TYPE = re.compile(r'"@type"\s*:\s*\[?\s*"([A-Za-z]+)"')
_LD_KINDS = (
    ("forum", {"DiscussionForumPosting", "QAPage", "Question", "SocialMediaPosting"}),
    ("product", {"Product", "ProductGroup", "IndividualProduct"}),
    ("article", {"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
                 "TechArticle", "ScholarlyArticle", "LiveBlogPosting"}),
    ("collection", {"CollectionPage", "ItemList", "SearchResultsPage"}),
)


@dataclass
class Extraction:
    blocks: list[Block]
    title: str | None
    date: str | None
    url: str | None
    extracted: bool  # main content chosen from the markup (else the text-dump classifier is to decide)
    page_type: str | None = None  # `page_kind`, None when the page declares nothing
    language: language.Language = language.UNKNOWN  # of the page's lines


@dataclass
class Page:
    """What the line model sees of a page: its lines and which of them trafilatura kept."""

    lines: list[PageLine]
    extracted: list[bool]
    title: str | None
    date: str | None
    url: str | None
    kind: str = UNKNOWN  # what the page says it is (`page_kind`)


def page_kind(tree) -> str:
    """What the page declares itself to be in its metadata: schema.org types (JSON-LD), else Open Graph's og:type.

    One of PAGE_KINDS. An article's comments are not its content; a forum thread's posts are.
    """
    types: set[str] = set()
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        types.update(_LD_TYPE.findall(script.text or ""))
    for kind, names in _LD_KINDS:
        if types & names:
            return kind
    og = tree.find('.//meta[@property="og:type"]')
    value = (og.get("content") or "").strip().lower() if og is not None else ""
    for kind in ("article", "product", "website"):
        if value.startswith(kind):
            return kind
    return UNKNOWN


def read_page(html: str, url: str | None) -> Page | None:
    """Parse a page into visible lines, metadata, and trafilatura's choice of lines (None: unparseable)."""
    tree = load_html(html)
    _refuse_truncated_parse()
    if tree is None:
        return None
    lines = page_lines(tree)
    # Title, canonical URL and date from trafilatura's and htmldate's metadata functions, before the
    # extraction prunes the tree; its full metadata pass (authors, tags, site name) would double the time.
    kind = page_kind(tree)
    title = extract_title(tree) or None
    page_url = url or extract_url(tree) or None
    date = find_date(tree, extensive_search=False, original_date=True, url=url) or None
    # fast, favor_recall: no fallback extractors and little pruning, the cheapest settings (half the time of
    # trafilatura's default); the line model prunes and restores what those would have.
    result = trafilatura.bare_extraction(
        tree, url=url, fast=True, favor_recall=True, include_comments=False, include_tables=True, include_images=False,
        include_links=False, with_metadata=False,
    )
    kept = (result.text or "") if result is not None else ""
    return Page(lines, covered(lines, kept), title, date, page_url, kind)


def covered(lines: list[PageLine], kept_text: str) -> list[bool]:
    """For each page line, whether the extractor's text holds it, read in the page's order.

    The extractor's words are aligned with the page's lines: each line matched
    to a run of its words, in the same order, no word used twice; of such
    alignments, the one matching the most characters, then the one starting
    latest (a weighted longest increasing subsequence, kept as a frontier of
    best scores by end). So a line the page shows twice (a teaser of the
    article, a hidden copy of its headline) counts once, beside the rest of
    what the extractor took, and a table cell counts where its row was kept.
    Words are `text.words` tokens.
    """
    kept = words(kept_text)
    places: dict[str, list[int]] = defaultdict(list)  # each word's offsets in the extractor's text
    for at, word in enumerate(kept):
        places[word].append(at)
    known = places.__contains__
    ends: list[int] = []  # the frontier: the best alignment ending at or before each of these word offsets...
    scores: list[tuple[int, int]] = []  # ...scores (characters matched, first line), increasing...
    tips: list[int] = []  # ...and its last match, an index into `matches`
    matches: list[tuple[int, int]] = []  # (line, previous match or -1)
    for i, line in enumerate(lines):
        tokens = line.key.split()
        if not tokens or not all(map(known, tokens)):
            continue
        size = len(tokens)
        offset, fewest = 0, places[tokens[0]]
        for j in range(1, size):  # the line's rarest word in the extractor's text (a unique one ends the search)
            if len(fewest) == 1:
                break
            if len(places[tokens[j]]) < len(fewest):
                offset, fewest = j, places[tokens[j]]
        # The places tried: those just after the best alignment so far (it grows in page order) and just before it.
        middle = bisect_left(fewest, offset + ends[-1]) if ends else 0
        found = []
        for at in fewest[max(middle - _MAX_PLACES // 2, 0):middle + _MAX_PLACES // 2]:
            start = at - offset
            if start >= 0 and kept[start:start + size] == tokens:
                k = bisect_right(ends, start) - 1
                chars, first = scores[k] if k >= 0 else (0, i)
                found.append((start + size, (chars + len(line.key), first), tips[k] if k >= 0 else -1))
        for end, score, previous in found:  # every place of a line chains from alignments before the line
            k = bisect_right(ends, end)
            if k and scores[k - 1] >= score:
                continue
            matches.append((i, previous))
            ends.insert(k, end), scores.insert(k, score), tips.insert(k, len(matches) - 1)
            while k + 1 < len(ends) and scores[k + 1] <= score:
                del ends[k + 1], scores[k + 1], tips[k + 1]
    out = [False] * len(lines)
    tip = tips[-1] if tips else -1
    while tip >= 0:
        i, tip = matches[tip]
        out[i] = True
    return out


def extract_html(html: str, url: str | None, config: BoilerplateConfig = BoilerplateConfig()) -> Extraction:
    """The page as blocks: its main content as main blocks, every other visible line as boilerplate.

    `config.html_model` false: trafilatura's lines alone decide; `config.headline`:
    the page's headline above its content stays with it.
    """
    page = read_page(html, url)
    if page is None:
        return Extraction([], None, None, url, False)
    found = language.detect([line.text for line in page.lines])
    # The markup decides, unless trafilatura kept every line (nothing to tell content from chrome by: the
    # model learnt that contrast) or, with the model off, found no article.
    if not all(page.extracted) and (config.html_model or any(page.extracted)):
        if config.html_model:
            scores = load_model(config.html_model_file or None).predict(line_features(page.lines, page.extracted, page.title, page.kind, found.stopwords))
            reasons = choose_lines(page, scores, config)
        else:
            keep = list(page.extracted)
            if config.headline:
                restore_headline(page, keep)
            reasons = [None if k else EXTRACTOR_REASON for k in keep]
        blocks = [Block(line.text) if r is None else Block(line.text, BOILERPLATE, r) for line, r in zip(page.lines, reasons)]
        return Extraction(blocks, page.title, page.date, page.url, True, declared(page), found)
    return Extraction([Block(line.text) for line in page.lines], page.title, page.date, page.url, False, declared(page), found)


def declared(page: Page) -> str | None:
    return None if page.kind == UNKNOWN else page.kind


def choose_lines(page: Page, scores: np.ndarray, config: BoilerplateConfig) -> list[str | None]:
    """Per line, None when it is kept, else the reason it is not.

    Kept: the best cut of the page's lines by score (or those above
    `html_threshold`), less repeats of a kept line, less what trafilatura
    deliberately left out (`keep_out`), plus the headline.
    """
    sizes = np.array([len(line.key.split()) or 1 for line in page.lines], dtype=float)
    keep = keep_lines(scores, sizes, config.html_adaptive, config.html_threshold, ADAPTIVE_MIN_SCORE).tolist()
    repeats = drop_repeats(page, keep, scores) if config.html_drop_repeats else set()
    out = keep_out(page, keep)
    if config.headline:
        restore_headline(page, keep)
    return [None if k else out.get(i) or (REPEAT_REASON if i in repeats else MODEL_REASON) for i, k in enumerate(keep)]


def keep_out(page: Page, keep: list[bool]) -> dict[int, str]:
    """Unkeep what trafilatura left out on purpose; return {line: reason}.

    On a page that declares itself an article, its comment section (trafilatura
    is asked for no comments). And when trafilatura found an article, what lies
    well above its start: teaser lists, tickers and captions, which the model
    cannot tell from a lead. Measured on the three benchmarks' pages with models
    that saw no page of their site: ScrapingHub F1 +0.004 (comments) and +0.007
    (above the article), trafilatura's set -0.002, WCXB unchanged.
    """
    extracted = page.extracted
    dropped: dict[int, str] = {}
    if page.kind == "article":
        comment = ATTRIBUTE_BITS["comment"]
        for i, line in enumerate(page.lines):
            if keep[i] and not extracted[i] and line.attributes & comment:
                dropped[i] = COMMENT_REASON
    first = next((i for i, e in enumerate(extracted) if e), None)
    if first is not None and sum(len(line.key.split()) for line, e in zip(page.lines, extracted) if e) >= ARTICLE_WORDS:
        for i in range(first - ABOVE_GAP):
            if keep[i] and not extracted[i]:
                dropped.setdefault(i, ABOVE_REASON)
    for i in dropped:
        keep[i] = False
    return dropped


def drop_repeats(page: Page, keep: list[bool], scores: np.ndarray) -> set[int]:
    """Unkeep every copy of a kept line but its best-scored one; return the lines dropped.

    Tables of contents, quoted forum posts, a product's name in its gallery and
    its description, hidden schema.org copies of the headline: a page repeats
    what it shows. On WCXB (cross-validated predictions) this raised word-F1
    from 0.856 to 0.862, most on forums and products. Code lines (`pre`,
    `code`) repeat by nature and are left alone.
    """
    copies: dict[str, list[int]] = {}
    code = TAG_BITS["code"]
    for i, line in enumerate(page.lines):
        if keep[i] and line.key and not line.tags & code:
            copies.setdefault(line.key, []).append(i)
    dropped = set()
    for lines in copies.values():
        if len(lines) > 1:
            best = max(lines, key=lambda i: (scores[i], -i))
            dropped.update(i for i in lines if i != best)
    for i in dropped:
        keep[i] = False
    return dropped


def restore_headline(page: Page, keep: list[bool]) -> None:
    """Keep the headline: the nearest line above the first kept one that is the page's title or its h1."""
    title = word_key(page.title or "")
    first = next((i for i, k in enumerate(keep) if k), 0)
    for i in range(first - 1, max(first - HEADLINE_LOOKBACK, 0) - 1, -1):
        line = page.lines[i]
        if line.key and (line.key == title or line.tags & TAG_BITS["h1"]):
            keep[i] = True
            return


class TooDeep(ValueError):
    """The page is nested deeper than the HTML parser reads."""


def _refuse_truncated_parse() -> None:
    """libxml2 stops at 256 levels of nesting and drops the rest silently: say so instead."""
    parser = getattr(trafilatura.utils, "HTML_PARSER", None)
    for entry in getattr(parser, "error_log", ()):
        if "Excessive depth" in entry.message:
            raise TooDeep("HTML is nested more than 256 levels deep; the HTML parser cannot read the page whole")
