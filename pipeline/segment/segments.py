"""Split a document's kept blocks into candidate segments at structural breaks.

A segment starts at a headline-like line (a short line without closing
punctuation) that follows prose or follows a gap where the boilerplate stage
removed chrome ("Latest", a byline, a share bar). Consecutive headlines stay
together and lead the segment of the prose after them. A run of prose after a
long gap of removed lines also starts a segment.
"""
from __future__ import annotations

import re

from pipeline.config import SegmentConfig
from pipeline.document import Block
from pipeline.segment.cohesion import content_words
from pipeline.segment.topical import topic_boundaries
from pipeline.text import WORD, detect_language, stems, stopwords, words

_SENTENCE_END = re.compile(r"[.!?…:;,][\"'”’»)\]]*$")
HEADLINE_MAX_WORDS = 20


def is_headline(text: str) -> bool:
    """A short line without closing punctuation: a title, not a sentence."""
    return 0 < len(WORD.findall(text)) <= HEADLINE_MAX_WORDS and not _SENTENCE_END.search(text)


class Segment(list):
    """Block positions of one structural segment; `pieces` split it at changes of topic."""

    pieces: list[list[int]]


def split_segments(
    blocks: list[Block], config: SegmentConfig, language: str | None = None, tokens: list[list[str]] | None = None
) -> list[Segment]:
    """Segments as lists of block positions (main blocks only), in page order.

    Structural breaks make the segments (headlines after prose, `min_gap`
    removed lines in a row); topical boundaries inside each, from its words
    (`topical.topic_boundaries` with `topic_penalty`), make its `pieces`.
    `tokens`, each block's words, may be given when already at hand.
    """
    tokens = tokens or [words(b.text) if b.is_main else [] for b in blocks]
    language = language or detect_language([w for t in tokens for w in t])
    stops = stopwords(language)
    out: list[Segment] = []
    for positions in structural_segments(blocks, config.min_gap):
        units = [stems(content_words(tokens[i], stops), language) for i in positions]
        cuts = [0, *topic_boundaries(units, config.topic_penalty, config.topic_prior), len(positions)]
        segment = Segment(positions)
        segment.pieces = [positions[a:b] for a, b in zip(cuts, cuts[1:])]
        out.append(segment)
    return out


def structural_segments(blocks: list[Block], min_gap: int) -> list[list[int]]:
    """Segments split at structural breaks only."""
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
