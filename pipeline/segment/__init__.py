"""Segment stage: find the page's own article and label the other articles and teasers as spillover.

Segments come from structure (segments.py), the main article is chosen by
shape (`_main_segment`), and every other segment is judged by structural cues
(cues.py) and lexical similarity (cohesion.py); spillover is tagged with the
nearest configured topic (topics.py).
"""
from __future__ import annotations

from pipeline.config import SegmentConfig
from pipeline.document import SPILLOVER, Document
from pipeline.segment.cohesion import content_words, cosine, tfidf_vectors
from pipeline.segment.cues import has_article_header, is_header_of, marker_between
from pipeline.segment.segments import is_headline, split_segments
from pipeline.segment.topics import nearest_topic
from pipeline.stage import Stage
from pipeline.text import detect_language, stopwords, words


MIN_ARTICLE_PARAGRAPHS = 2


class SegmentStage(Stage):
    name = "segment"

    def __init__(self, config: SegmentConfig) -> None:
        super().__init__()
        self.config = config

    def params(self) -> dict:
        return {"segment": vars(self.config)}

    def process(self, doc: Document) -> None:
        if doc.html is not None:
            raise ValueError("HTML not extracted: run the boilerplate stage first")
        block_tokens = [words(b.text) if b.is_main else [] for b in doc.blocks]
        all_tokens = [w for t in block_tokens for w in t]
        if len(all_tokens) < self.config.min_main_words:
            return
        language = detect_language(all_tokens)
        stops = stopwords(language)
        segments = split_segments(doc.blocks, self.config, language, block_tokens)
        if len(segments) < 2:
            return
        tokens = [[w for i in s for w in block_tokens[i]] for s in segments]
        vectors = tfidf_vectors([content_words(ts, stops) for ts in tokens])
        paragraphs = [sum(not is_headline(doc.blocks[i].text) for i in s) for s in segments]
        main = _main_segment([len(t) for t in tokens], paragraphs, self.config)
        if self.config.topic_shift_threshold > 0:
            self._topic_shifts(doc, segments[main], stops)
        header = _header_of(doc, segments, main)
        for k, segment in enumerate(segments):
            if k in (main, header):
                continue
            similarity = cosine(vectors[k], vectors[main])
            reason = self._verdict(doc, segments, k, main, similarity)
            if reason:
                text = " ".join(doc.blocks[i].text for i in segment)
                reason += f"; topic={nearest_topic(text, self.config.topics, self.config.min_topic_hits)}"
                for i in segment:
                    doc.blocks[i].remove(SPILLOVER, reason)

    def _topic_shifts(self, doc: Document, segment, stops: frozenset[str]) -> None:
        """Inside the main article's run of text, a later piece on a clearly different topic is spillover.

        Only pieces after the first, and only below `topic_shift_threshold` of
        similarity to the rest of the article: an article's own sub-topics share
        its names and terms, an article run on without a break does not.
        """
        pieces = segment.pieces
        if len(pieces) < 2:
            return
        bags = [content_words(words(" ".join(doc.blocks[i].text for i in p)), stops) for p in pieces]
        for k in range(1, len(pieces)):
            rest = [w for j, bag in enumerate(bags) if j != k for w in bag]
            piece_vector, rest_vector = tfidf_vectors([bags[k], rest])
            similarity = cosine(piece_vector, rest_vector)
            if similarity < self.config.topic_shift_threshold:
                text = " ".join(doc.blocks[i].text for i in pieces[k])
                topic = nearest_topic(text, self.config.topics, self.config.min_topic_hits)
                for i in pieces[k]:
                    doc.blocks[i].remove(SPILLOVER, f"segment.topic_shift: similarity {similarity:.3f} to the rest of the article; topic={topic}")

    def _verdict(self, doc: Document, segments: list[list[int]], k: int, main: int, similarity: float) -> str | None:
        """Why segment k is spillover, or None.

        Structural cues come first: a teaser set off before the article by a marker
        ("Most read", "Top stories") is never part of it; after the article, a marker
        ("Latest") together with the segment's own headline and byline marks another
        article whatever its topic, and either cue alone does below `related_threshold`.
        Otherwise a segment is spillover below `threshold` of lexical similarity.
        """
        # Before the article, any marker on the way in counts ("Most read" above a list of teasers);
        # after it, a marker between the article and the segment.
        lo, hi = (0, segments[main][0]) if k < main else (segments[main][-1] + 1, segments[k][0])
        marker = marker_between(doc.blocks, lo, hi)
        header = k > main and is_headline(doc.blocks[segments[k][0]].text) and has_article_header(doc.blocks, segments[k])
        cues = ([f"set off by '{marker}'"] if marker else []) + (["opens with its own headline and byline"] if header else [])
        detail = f"similarity {similarity:.3f} to the main article"
        if cues and (k < main or len(cues) == 2 or similarity < self.config.related_threshold):
            return f"segment.other_article: {' and '.join(cues)}; {detail}"
        if similarity < self.config.threshold:
            return f"segment.off_topic: {detail}"
        return None


def _main_segment(sizes: list[int], paragraphs: list[int], config: SegmentConfig) -> int:
    """The page's own article: the first article-like segment, or else the first of most words.

    Sites append whole articles after the page's own one (which may be short or
    truncated) and put teasers of a headline and a snippet before it, so the
    first segment with several paragraphs and `min_article_words` wins; a page of
    teasers only falls back to `main_share` of the largest segment.
    """
    largest = max(sizes)
    return next(
        (k for k, (n, p) in enumerate(zip(sizes, paragraphs)) if p >= MIN_ARTICLE_PARAGRAPHS and n >= config.min_article_words),
        next(k for k, n in enumerate(sizes) if n >= config.main_share * largest),
    )


def _header_of(doc: Document, segments: list, main: int) -> int | None:
    """The segment before the article when it is the article's headline and standfirst, split off by a byline."""
    if main == 0 or is_headline(doc.blocks[segments[main][0]].text):
        return None
    before = segments[main - 1]
    if is_headline(doc.blocks[before[0]].text) and is_header_of(doc.blocks, before, segments[main]):
        return main - 1
    return None
