"""HTML pages: trafilatura finds the article; everything else on the page is kept as removed blocks.

The page's visible text is split into lines at block-level elements; the lines
trafilatura kept become main blocks and the rest boilerplate blocks with the
reason `boilerplate.html_extractor`, aligned in page order, so that HTML
cleaning is as auditable as text cleaning.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

import trafilatura
import trafilatura.utils
from htmldate import find_date
from lxml import etree
from trafilatura.metadata import extract_title, extract_url
from trafilatura.utils import load_html

from pipeline.document import BOILERPLATE, Block, split_blocks
from pipeline.text import normalize

EXTRACTOR_REASON = "boilerplate.html_extractor"

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br dd details dialog div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol option p pre section summary table tbody td tfoot th thead title tr ul".split()
)
_INVISIBLE_TAGS = frozenset("script style noscript template svg head iframe object canvas select".split())


@dataclass
class Extraction:
    blocks: list[Block]
    title: str | None
    date: str | None
    url: str | None


def extract_html(html: str, url: str | None, favor_precision: bool, keep_headline: bool = True) -> Extraction:
    """The page as blocks: trafilatura's text as main, the other visible lines as boilerplate.

    `keep_headline`: the page's headline above the article (trafilatura's text has
    none) is kept with it.
    """
    tree = load_html(html)
    _refuse_truncated_parse()
    if tree is None:
        return Extraction([], None, None, url)
    page = split_blocks(visible_text(tree))
    # Title, canonical URL and date from trafilatura's and htmldate's metadata functions, before the
    # extraction prunes the tree; its full metadata pass (authors, tags, site name) would double the time.
    title = extract_title(tree)
    page_url = url or extract_url(tree)
    date = find_date(tree, extensive_search=False, original_date=True, url=url)
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=favor_precision,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=False,
    )
    if result is None or not (result.text or "").strip():
        # trafilatura found no article (tiny or unusual pages): leave the page's lines to the line classifier.
        return Extraction(page, title, date, page_url)
    blocks = align(page, split_blocks(result.text))
    if keep_headline:
        _keep_headline(blocks, title)
    return Extraction(blocks=blocks, title=title or None, date=date or None, url=page_url or None)


class TooDeep(ValueError):
    """The page is nested deeper than the HTML parser reads."""


def _refuse_truncated_parse() -> None:
    """libxml2 stops at 256 levels of nesting and drops the rest silently: say so instead."""
    parser = getattr(trafilatura.utils, "HTML_PARSER", None)
    for entry in getattr(parser, "error_log", ()):
        if "Excessive depth" in entry.message:
            raise TooDeep("HTML is nested more than 256 levels deep; the HTML parser cannot read the page whole")


def visible_text(tree: etree._Element) -> str:
    """The text a reader sees, one line per block-level element; scripts, styles and comments left out.

    Iterative, so a page nested thousands of levels deep cannot exhaust the stack.
    """
    parts: list[str] = []
    hidden_depth = 0
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if event == "start":
            if tag is None or tag in _INVISIBLE_TAGS:
                hidden_depth += 1
            elif not hidden_depth:
                if tag in _BLOCK_TAGS:
                    parts.append("\n")
                if element.text:
                    parts.append(element.text)
            continue
        if tag is None or tag in _INVISIBLE_TAGS:
            hidden_depth -= 1
        elif not hidden_depth and tag in _BLOCK_TAGS:
            parts.append("\n")
        if not hidden_depth and element.tail and element is not tree:
            parts.append(element.tail)
    return "".join(parts).replace("\xa0", " ")


def align(page: list[Block], kept: list[Block]) -> list[Block]:
    """Merge the extractor's lines (main) with the page's lines it left out (boilerplate), in page order."""
    page_keys = [normalize(b.text) for b in page]
    kept_keys = [normalize(b.text) for b in kept]
    matcher = difflib.SequenceMatcher(None, page_keys, kept_keys, autojunk=False)
    out: list[Block] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            covered = " ".join(kept_keys[j1:j2])
            out.extend(_removed(b for b, key in zip(page[i1:i2], page_keys[i1:i2]) if key not in covered or not key))
        out.extend(kept[j1:j2])
    return out


def _keep_headline(blocks: list[Block], title: str | None) -> None:
    """The page's own headline (its title, shown above the article) belongs to the article."""
    key = normalize(title or "")
    first_main = next((i for i, b in enumerate(blocks) if b.is_main), len(blocks))
    for block in reversed(blocks[:first_main]):
        if key and normalize(block.text) == key:
            block.label, block.reason = "main", None
            return


def _removed(blocks) -> list[Block]:
    return [Block(b.text, BOILERPLATE, EXTRACTOR_REASON) for b in blocks]
