"""Structural cues that another article starts: a marker line before it, or its own article header.

Sites introduce appended articles and teaser lists with short marker lines
("Latest", "Related", "More from ...", "Continue reading") and give each
article a header: a headline, then a byline or date. The boilerplate stage
removes those lines but keeps them in place, so they are read here from the
page's blocks, kept or removed.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.boilerplate.lines import is_dateline, is_marker
from pipeline.document import Block

if TYPE_CHECKING:
    from pipeline.segment.segments import Paragraph

HEADER_GAP = 4  # lines after a headline searched for its byline or date
MARKER_REACH = 10  # removed lines before a paragraph searched for a marker that introduces it
HEADER_REACH = 8  # lines from a segment's start (removed lines before it included) searched for a byline or date


def marker_before(blocks: list[Block], start: int, end: int, reach: int | None = MARKER_REACH) -> int | None:
    """The position of the removed marker line nearest before blocks[end] among blocks[start:end] (at most `reach`
    lines back, None: all), if any."""
    for i in range(end - 1, (start if reach is None else max(start, end - reach)) - 1, -1):
        if not blocks[i].is_main and is_marker(blocks[i].text):
            return i
    return None


def dated_gap(blocks: list[Block], start: int, end: int) -> bool:
    """A removed byline or date among the last HEADER_GAP lines of blocks[start:end], the removed lines before a paragraph."""
    return any(not b.is_main and is_dateline(b.text) for b in blocks[max(start, end - HEADER_GAP) : end])


def dated_start(blocks: list[Block], start: int) -> bool:
    """A removed byline or date among the HEADER_REACH lines from blocks[start]: the header of an article whose headline
    (and standfirst) the boilerplate stage may have removed."""
    return any(not b.is_main and is_dateline(b.text) for b in blocks[start : start + HEADER_REACH])


def has_own_header(blocks: list[Block], paragraphs: list[Paragraph], k: int) -> bool:
    """Paragraph k opens an article: a headline, then within a few lines (a second headline line, a standfirst) a byline or date."""
    if not paragraphs[k].is_headline:
        return False
    after = paragraphs[k].lines[-1] + 1
    for block in blocks[after : after + HEADER_GAP]:
        if is_dateline(block.text):
            return True
        if block.is_main and len(block.text.split()) > 15:
            return False  # the body started: no header
    return False
