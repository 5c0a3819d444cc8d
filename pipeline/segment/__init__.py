"""Segment stage: find the page's own article and label off-topic segments as spillover."""
from __future__ import annotations

from pipeline.config import SegmentConfig
from pipeline.document import SPILLOVER, Document
from pipeline.segment.cohesion import content_words, cosine, tfidf_vectors
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
            if similarity < self.config.threshold:
                for i in segment:
                    doc.blocks[i].remove(SPILLOVER, f"segment.off_topic: similarity {similarity:.3f} to the main article")


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
