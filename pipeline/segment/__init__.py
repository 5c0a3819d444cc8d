"""Segment stage: find the page's own article and label off-topic segments as spillover."""
from __future__ import annotations

from pipeline.config import SegmentConfig
from pipeline.document import SPILLOVER, Document
from pipeline.segment.cohesion import content_words, cosine, tfidf_vectors
from pipeline.segment.cues import has_article_header, marker_between
from pipeline.segment.segments import is_headline, split_segments
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
        segments = split_segments(doc.blocks, self.config.min_gap)
        if len(segments) < 2:
            return
        tokens = [words(" ".join(doc.blocks[i].text for i in s)) for s in segments]
        if sum(map(len, tokens)) < self.config.min_main_words:
            return
        stops = stopwords(detect_language([t for ts in tokens for t in ts]))
        vectors = tfidf_vectors([content_words(ts, stops) for ts in tokens])
        paragraphs = [sum(not is_headline(doc.blocks[i].text) for i in s) for s in segments]
        main = _main_segment([len(t) for t in tokens], paragraphs, self.config)
        for k, segment in enumerate(segments):
            if k == main:
                continue
            similarity = cosine(vectors[k], vectors[main])
            reason = self._verdict(doc, segments, k, main, similarity)
            if reason:
                for i in segment:
                    doc.blocks[i].remove(SPILLOVER, reason)

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
