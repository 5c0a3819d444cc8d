"""Segment stage: find the page's own article and label whole other articles and teasers as spillover.

The kept text is read as paragraphs (hard-wrapped lines joined) and split
into segments only where there is evidence that something else starts
(segments.py, cues.py): a marker line before it ("Latest", "Related
articles"), its own headline with a byline or date, a long run of other
content. The page's article is the article-like segment its title names, else
the first one that is not set off by a marker (`_main_segment`). Another
segment is spillover only when structure says it is another article (`_verdict`,
`_judge`). Topic distance never removes text: an article's sections carry no
such cues and stay whole, and so does what follows a "Related" box inside it.
Pages that declare themselves products, forums, collections or websites are
left whole. Spillover is tagged with the nearest configured topic (topics.py).
"""
from __future__ import annotations

from functools import lru_cache

from pipeline.boilerplate.lines import is_dateline
from pipeline.config import SegmentConfig
from pipeline.document import SPILLOVER, Block, Document, split_blocks
from pipeline.segment.segments import STANDFIRST_PARAGRAPHS, Segment, is_headline, page_paragraphs, split_segments
from pipeline.segment.topics import nearest_topic
from pipeline.stage import Stage
from pipeline.language import language_of
from pipeline.text import words

MIN_ARTICLE_PARAGRAPHS = 2
NOT_ARTICLES = frozenset({"product", "forum", "collection", "website"})  # declared page types that are left whole
TITLE_MATCH = 0.6  # share of a headline's words found in the page's title for it to be the title's article
STANDFIRST_OVERLAP = 0.3  # share of a standfirst's content words its article repeats
STANDFIRST_HEADLINE_WORDS = 4  # a headline between a short segment and the article (a byline's name is shorter)
ISLAND_SHARE = 0.25  # an island this much smaller than the article is not part of it

OTHER_ARTICLE = "segment.other_article"  # the rule of every spillover removal


class SegmentStage(Stage):
    name = "segment"

    def __init__(self, config: SegmentConfig) -> None:
        self.config = config

    def params(self) -> dict:
        return {"segment": vars(self.config)}

    def warm_up(self) -> None:
        """A page with an appended article through the stage: the language model, stoplists, stemmer and topic
        keywords load here, not on the first document."""
        _warm_up_libraries()

    def process(self, doc: Document) -> None:
        if doc.html is not None:
            raise ValueError("HTML not extracted: run the boilerplate stage first")
        if doc.page_type in NOT_ARTICLES:
            return  # a product, a forum thread, a listing: its parts are not other articles
        tokens = [w for b in doc.blocks if b.is_main for w in words(b.text)]
        if len(tokens) < self.config.min_main_words:
            return
        stops = language_of(doc).stopwords
        segments = split_segments(doc.blocks, page_paragraphs(doc.blocks, stops))
        if len(segments) < 2:
            return
        # A text dump's first line is usually the page's title; the headline that repeats it further down opens the article.
        title, title_line = (doc.title, -1) if doc.title else (doc.blocks[0].text, 0)
        main = _main_segment(segments, words(title), title_line, self.config)
        for segment, why in zip(segments, _judge(doc.blocks, segments, main, stops)):
            if why:
                topic = nearest_topic(segment.text, self.config.topics, self.config.min_topic_hits)
                for i in segment.lines:
                    doc.blocks[i].remove(SPILLOVER, OTHER_ARTICLE, f"{why}; topic={topic}", topic)


def _judge(blocks: list[Block], segments: list[Segment], main: int, stops: frozenset[str]) -> list[str | None]:
    """Per segment, why it is another article (what the rule saw), or None (the article itself, and whatever continues it)."""
    reasons: list[str | None] = []
    spilled = False  # the segment before was spillover set off by its own marker
    article_words = len(words(segments[main].text))
    for k, segment in enumerate(segments):
        reason = None if k == main else _verdict(segment, k < main, spilled, k == len(segments) - 1)
        if reason is None and k > main and segment.island and len(words(segment.text)) < ISLAND_SHARE * article_words:
            reason = "a small island of text after a long run of other content"
        if reason and k == main - 1 and _introduces(blocks, segment, segments[main], stops):
            reason = None  # the article's own headline and standfirst, split from it by the byline
        spilled = reason is not None and segment.marker is not None
        reasons.append(reason)
    return reasons


def _verdict(segment: Segment, before: bool, after_spillover: bool, last: bool) -> str | None:
    """Why a segment other than the page's article is spillover, or None.

    Another article, before or after the page's own: set off by a marker and
    opening with its own header (headline with byline or date), or made of
    teasers (headlines with short snippets), or a teaser's snippet ending the
    page. After the article, a segment that follows such spillover carries on
    the appended block when it has a header, teasers, or its own marker and a
    headline. One cue alone is no evidence: on real pages a marker alone is
    mostly a "Related" box inside the article, which goes on after it.
    """
    if segment.header:
        shape = "opens with its own headline and byline"
    elif segment.teasers:
        shape = "is a list of teasers"
    elif last and segment.is_snippet:
        shape = "is a teaser's snippet ending the page"
    elif after_spillover and segment.marker and segment.paragraphs[0].is_headline:
        shape = "opens with a headline"
    else:
        return None
    if segment.marker:
        return f"set off by '{segment.marker}' and {shape}"
    if after_spillover and not before:
        return f"follows another article and {shape}"
    return None


def _introduces(blocks: list[Block], segment: Segment, article: Segment, stops: frozenset[str]) -> bool:
    """A short segment right before the article that shares its vocabulary, with no headline between them: a
    standfirst, not a teaser of another story on the same subject."""
    if len(segment.paragraphs) > STANDFIRST_PARAGRAPHS:
        return False
    between = blocks[segment.paragraphs[-1].lines[-1] + 1 : article.paragraphs[0].lines[0]]
    if any(is_headline(b.text) and len(words(b.text)) >= STANDFIRST_HEADLINE_WORDS and not is_dateline(b.text) for b in between):
        return False
    own = {w for w in words(segment.text) if len(w) > 2 and not w.isdigit() and w not in stops}
    theirs = set(words(article.text))
    return bool(own) and len(own & theirs) >= STANDFIRST_OVERLAP * len(own)


def _main_segment(segments: list[Segment], title: list[str], title_line: int, config: SegmentConfig) -> int:
    """The page's own article.

    The article-like segment (`min_article_words`, two paragraphs) whose opening
    headline the page's title repeats (the title's own line, `title_line`,
    aside); else the first article-like one not set off by a marker (sites
    append whole articles after the page's own, which may be short, and put
    teasers before it); else the first article-like one; else the largest.
    """
    sizes = [len(words(s.text)) for s in segments]
    article = [k for k, s in enumerate(segments) if sizes[k] >= config.min_article_words and s.body_paragraphs >= MIN_ARTICLE_PARAGRAPHS]
    names = set(title)
    for k in article:
        first = segments[k].paragraphs[0]
        if title_line in first.lines and len(segments[k].paragraphs) > 1:
            first = segments[k].paragraphs[1]
        heading = words(first.text) if first.is_headline else []
        if len(heading) >= 3 and sum(w in names for w in heading) >= TITLE_MATCH * len(heading):
            return k
    # Set off: by a marker, behind a long run of other content (an island), or right after a marked headline or
    # standfirst it was split from by a byline.
    set_off = [bool(s.marker) or s.island or (k > 0 and bool(segments[k - 1].marker) and len(segments[k - 1].paragraphs) <= STANDFIRST_PARAGRAPHS)
               for k, s in enumerate(segments)]
    unmarked = [k for k in article if not set_off[k]]
    if unmarked:
        return unmarked[0]
    if article:
        return article[0]
    return max(range(len(segments)), key=lambda k: sizes[k])


@lru_cache(maxsize=1)
def _warm_up_libraries() -> None:
    article = " ".join(f"The council met on day {i} to approve the budget for schools and roads in the city." for i in range(8))
    other = " ".join(f"Storm number {i} flooded the coast and rescue teams reached the injured victims." for i in range(8))
    text = f"Council approves the budget\n{article}\n{article}\nLatest\nStorm floods the coast\nBy Jane Doe\n{other}\n{other}"
    SegmentStage(SegmentConfig()).process(Document(id="warm-up", source="warm-up.txt", blocks=split_blocks(text)))
