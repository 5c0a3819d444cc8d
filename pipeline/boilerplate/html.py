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
from lxml import etree
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


def extract_html(html: str, url: str | None, favor_precision: bool) -> Extraction:
    """The page as blocks: trafilatura's text as main, the other visible lines as boilerplate."""
    tree = load_html(html)
    _refuse_truncated_parse()
    if tree is None:
        return Extraction([], None, None, url)
    page = split_blocks(visible_text(tree))
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=favor_precision,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=True,
        # htmldate's extensive search calls dateparser, which costs 10x the extraction itself on some pages.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if result is None or not (result.text or "").strip():
        # trafilatura found no article (tiny or unusual pages): leave the page's lines to the line classifier.
        return Extraction(page, getattr(result, "title", None), getattr(result, "date", None), url)
    blocks = align(page, split_blocks(result.text))
    _keep_headline(blocks, result.title)
    return Extraction(
        blocks=blocks,
        title=result.title or None,
        date=result.date or None,
        url=url or result.url or None,
    )


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
