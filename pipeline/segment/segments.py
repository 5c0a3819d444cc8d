"""A page's kept text as paragraphs, and the paragraphs as segments split where another article may start.

Paragraphs: runs of adjacent kept lines joined where a line was hard-wrapped
(`pipeline.paragraphs`). A new segment starts only with evidence that
something else may begin there: a marker line ("Latest", "Related articles",
"Selected Articles") in the removed lines just before it; its own article
header, a headline followed within a few lines by a byline or date, or a byline
or date just before it (the boilerplate stage removed its headline); or a long
run of removed lines with a marker in it (an island). Subheadings of an
article have none of these, so an article's sections stay in one segment. A
segment after a marker also has a header when a byline or date follows the
marker closely (the boilerplate stage may have removed the headline and
standfirst it belongs to). `teaser_list` tells a list of other articles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.document import Block
from pipeline.paragraphs import paragraphs
from pipeline.segment.cues import dated_gap, dated_start, has_own_header, marker_before
from pipeline.text import WORD

_SENTENCE_END = re.compile(r"[.!?…:;,][\"'”’»)\]]*$")
HEADLINE_MAX_WORDS = 20
TEASER_MAX_WORDS = 120  # a teaser's snippet is a sentence or two
TEASER_SNIPPET_PARAGRAPHS = 2  # paragraphs of snippet under one teaser's headline
TEASER_MAX_PARAGRAPHS = 12  # a longer run of headlines and paragraphs is a page's own list, not teasers
ISLAND_GAP = 10  # removed lines between kept paragraphs that make a long run of other content
STANDFIRST_PARAGRAPHS = 2  # a headline and a standfirst: what may come before an article's byline


def is_headline(text: str) -> bool:
    """A short line without closing punctuation: a title, not a sentence."""
    return 0 < len(WORD.findall(text)) <= HEADLINE_MAX_WORDS and not _SENTENCE_END.search(text)


@dataclass
class Paragraph:
    lines: list[int]  # block positions
    text: str

    @property
    def is_headline(self) -> bool:
        return is_headline(self.text)


@dataclass
class Segment:
    opening: int  # the block it opens at: the line after its marker, else its first kept line
    marker: str | None = None  # the marker line just before the segment
    header: bool = False  # opens with its own headline and a byline or date (or follows a removed one)
    island: bool = False  # after a long run of removed lines holding a marker
    teasers: bool = False  # a list of teasers (`teaser_list`)
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def lines(self) -> list[int]:
        return [i for p in self.paragraphs for i in p.lines]

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.paragraphs)

    @property
    def body_paragraphs(self) -> int:
        return sum(not p.is_headline for p in self.paragraphs)

    @property
    def is_snippet(self) -> bool:
        """A paragraph or two of at most a few sentences: a teaser whose headline was removed."""
        return len(self.paragraphs) <= TEASER_SNIPPET_PARAGRAPHS and sum(len(WORD.findall(p.text)) for p in self.paragraphs) <= TEASER_MAX_WORDS



def teaser_list(blocks: list[Block], segment: Segment) -> bool:
    """A few headlines, each with at most a short snippet of a paragraph or two: a list of other articles.

    Headlines the boilerplate stage removed count too: a teaser's snippet often stays where its headline went.
    """
    if not 2 <= len(segment.paragraphs) <= TEASER_MAX_PARAGRAPHS:
        return False  # a lone headline may be a link or a button
    kept = {p.lines[0]: p for p in segment.paragraphs}
    snippet = None  # snippet paragraphs since the last headline (None: no headline yet)
    for i in range(segment.opening, segment.paragraphs[-1].lines[-1] + 1):
        paragraph = kept.get(i)
        if paragraph is None:
            if not blocks[i].is_main and is_headline(blocks[i].text):
                snippet = 0  # a removed headline
            continue
        if paragraph.is_headline:
            snippet = 0
        elif snippet is None or snippet == TEASER_SNIPPET_PARAGRAPHS or len(WORD.findall(paragraph.text)) > TEASER_MAX_WORDS:
            return False
        else:
            snippet += 1
    return True


def page_paragraphs(blocks: list[Block], stops: frozenset[str] = frozenset()) -> list[Paragraph]:
    """The kept text as paragraphs: runs of adjacent kept lines, hard-wrapped lines joined."""
    out: list[Paragraph] = []
    run: list[int] = []
    for i in range(len(blocks) + 1):
        if i < len(blocks) and blocks[i].is_main:
            run.append(i)
            continue
        if run:
            texts = [blocks[j].text for j in run]
            out += [Paragraph([run[k] for k in group], " ".join(texts[k] for k in group)) for group in paragraphs(texts, stops)]
            run = []
    return out


def split_segments(blocks: list[Block], found: list[Paragraph]) -> list[Segment]:
    """The paragraphs in segments, a new one where a marker or an article header says something else starts."""
    segments: list[Segment] = []
    previous: Paragraph | None = None
    for k, paragraph in enumerate(found):
        start = previous is None
        gap = 0 if start else previous.lines[-1] + 1
        marker = marker_before(blocks, gap, paragraph.lines[0])
        # Far from the text before it, behind a long run of removed lines with a marker in it: an island of other content.
        island = not start and paragraph.lines[0] - gap >= ISLAND_GAP and marker_before(blocks, gap, paragraph.lines[0], None) is not None
        # An article header: its headline and byline, or a byline or date before it (its headline removed as chrome).
        header = (previous is None or not previous.is_headline) and (
            has_own_header(blocks, found, k) or dated_gap(blocks, gap, paragraph.lines[0])
        )
        if start or marker is not None or header or island:
            # A removed headline and byline may follow the marker: the segment opens right after it.
            opening = paragraph.lines[0] if marker is None else marker + 1
            segments.append(Segment(opening, None if marker is None else blocks[marker].text, header or dated_start(blocks, opening), island))
        segments[-1].paragraphs.append(paragraph)
        previous = paragraph
    for segment in segments:
        segment.teasers = teaser_list(blocks, segment)
    return segments
