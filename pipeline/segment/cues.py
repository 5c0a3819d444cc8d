"""Structural cues that a segment is another article, from what the boilerplate stage removed around it.

Sites introduce appended articles and teaser lists with short marker lines
("Latest", "Related", "More from ...", "Continue reading") and give each
article a header: a headline, then a byline or date. The boilerplate stage
removes those lines but keeps them, with their reasons, in place.
"""
from __future__ import annotations

from pipeline.boilerplate.lines import is_marker
from pipeline.document import Block

_HEADER_REASONS = ("boilerplate.byline", "boilerplate.date_count")
HEADER_GAP = 4


def marker_between(blocks: list[Block], start: int, end: int) -> str | None:
    """The first removed marker line among blocks[start:end], if any."""
    for block in blocks[start:end]:
        if not block.is_main and is_marker(block.text):
            return block.text
    return None


def has_article_header(blocks: list[Block], segment: list[int]) -> bool:
    """The segment opens like an article: a headline, then within a few removed lines a byline or date."""
    first = segment[0]
    stop = segment[1] if len(segment) > 1 else min(len(blocks), first + 1 + HEADER_GAP)
    gap = blocks[first + 1 : min(stop, first + 1 + HEADER_GAP)]
    return bool(gap) and any(not b.is_main and (b.reason or "").startswith(_HEADER_REASONS) for b in gap)


def is_header_of(blocks: list[Block], header: list[int], article: list[int]) -> bool:
    """`header` (a headline, maybe a standfirst) belongs to the `article` right after it, which has no headline of its own.

    Only a byline or date, or a few short lines, stand between them.
    """
    gap = blocks[header[-1] + 1 : article[0]]
    return len(gap) <= HEADER_GAP and all(
        not b.is_main and (b.reason or "").startswith(_HEADER_REASONS + ("boilerplate.short",)) for b in gap
    )
