"""Segment stage: find the page's own article and label off-topic segments as spillover."""
from __future__ import annotations

from pipeline.config import SegmentConfig
from pipeline.document import SPILLOVER, Document
from pipeline.segment.cohesion import content_words, cosine, tfidf_vectors
from pipeline.segment.segments import split_segments
from pipeline.stage import Stage
from pipeline.text import detect_language, stopwords, words


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
        main = _main_segment([len(t) for t in tokens], self.config.main_share)
        for k, segment in enumerate(segments):
            if k == main:
                continue
            similarity = cosine(vectors[k], vectors[main])
            if similarity < self.config.threshold:
                for i in segment:
                    doc.blocks[i].remove(SPILLOVER, f"segment.off_topic: similarity {similarity:.3f} to the main article")


def _main_segment(sizes: list[int], share: float) -> int:
    """The first segment holding at least `share` of the largest segment's words."""
    largest = max(sizes)
    return next(k for k, n in enumerate(sizes) if n >= share * largest)
