"""Split a document's kept blocks into candidate segments at structural breaks.

A segment starts at a headline-like line (a short line without closing
punctuation) that follows prose or follows a gap where the boilerplate stage
removed chrome ("Latest", a byline, a share bar). Consecutive headlines stay
together and lead the segment of the prose after them. A run of prose after a
long gap of removed lines also starts a segment.
"""
from __future__ import annotations

import re

from pipeline.document import Block
from pipeline.text import WORD

_SENTENCE_END = re.compile(r"[.!?…:;,][\"'”’»)\]]*$")
HEADLINE_MAX_WORDS = 20


def is_headline(text: str) -> bool:
    """A short line without closing punctuation: a title, not a sentence."""
    return 0 < len(WORD.findall(text)) <= HEADLINE_MAX_WORDS and not _SENTENCE_END.search(text)


def split_segments(blocks: list[Block], min_gap: int) -> list[list[int]]:
    """Segments as lists of block positions (main blocks only), in page order.

    `min_gap` removed lines in a row between kept lines also start a segment.
    """
    segments: list[list[int]] = []
    previous: int | None = None
    for i, block in enumerate(blocks):
        if not block.is_main:
            continue
        if previous is None:
            segments.append([])
        else:
            headline = is_headline(block.text)
            after_headline = is_headline(blocks[previous].text)
            gap = i - previous - 1
            if (headline and not after_headline) or (gap >= min_gap and not after_headline):
                segments.append([])
        segments[-1].append(i)
        previous = i
    return segments
