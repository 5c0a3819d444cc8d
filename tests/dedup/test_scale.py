"""A large run's containment search is narrowed to what a cluster can verify; a small run's is as configured."""
from dataclasses import replace

from pipeline.config import DedupConfig
from pipeline.dedup import DedupStage
from pipeline.dedup.scale import bandings, false_candidate_rate, narrowed
from pipeline.document import DUPLICATE, KEPT, Document, split_blocks
from pipeline.stage import StageStats
from tests.dedup.test_stage import _article

BUDGET = DedupConfig().candidates_per_document


def per_document(config: DedupConfig, documents: int) -> float:
    return false_candidate_rate(bandings(config)) * (documents - 1)


def test_the_default_banding_makes_about_nine_false_candidates_a_document_at_a_million():
    assert 5 < per_document(DedupConfig(), 10**6) < 15
    assert per_document(DedupConfig(containment_threshold=0), 10**9) < 1e-6  # the Jaccard banding alone: none


def test_a_large_run_is_narrowed_to_the_first_size_under_the_budget():
    assert narrowed(DedupConfig(), 10**6) == DedupConfig()
    wide = narrowed(DedupConfig(), 10**9)
    assert 0.3 < wide.containment_min_size <= 0.7
    assert per_document(wide, 10**9) <= BUDGET < per_document(replace(wide, containment_min_size=wide.containment_min_size - 0.05), 10**9)
    assert narrowed(DedupConfig(candidates_per_document=0), 10**9) == DedupConfig(candidates_per_document=0)
    assert narrowed(DedupConfig(containment_threshold=0), 10**9).containment_min_size == DedupConfig().containment_min_size


def test_the_stage_searches_the_narrowed_containment_and_says_so():
    full = _article(1)
    truncated = " ".join(full.split()[:160])  # the first 40%
    for budget, status, size in ((20, DUPLICATE, 0.15), (1e-12, KEPT, 0.9)):  # a budget only the narrowest bandings meet
        stats = StageStats()
        docs = [Document(id=name, source=name, blocks=split_blocks(text)) for name, text in (("full", full), ("cut", truncated))]
        out = {d.id: d for d in DedupStage(DedupConfig(candidates_per_document=budget)).run(docs, stats)}
        assert out["cut"].status == status and stats.extra["containment_min_size"] >= size
