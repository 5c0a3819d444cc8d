from pipeline.config import DedupConfig
from pipeline.dedup import DedupStage
from pipeline.document import DUPLICATE, KEPT, Document, split_blocks
from pipeline.stage import StageStats

STORY = (
    "The city council approved the new budget on Monday after a long debate about school funding and road repairs. "
    "Council members said the plan would raise spending on schools by five percent while keeping property taxes flat. "
    "The mayor called the vote a fair compromise and promised to publish quarterly reports on how the money is spent. "
    "Opposition members argued that road repairs had been postponed for too long and that the budget ignored transport. "
)
OTHER = (
    "Heavy rain caused rivers to burst their banks overnight, flooding dozens of coastal villages and forcing families out. "
    "Emergency crews used boats to rescue residents while the weather service warned of more storms this weekend. "
)


def _doc(source, text):
    return Document(id=f"id-{source}", source=source, blocks=split_blocks(text))


def _run(*docs, **config):
    stats = StageStats()
    out = {d.source: d for d in DedupStage(DedupConfig(**config)).run(list(docs), stats)}
    return out, stats


def test_exact_and_near_duplicates_cluster_on_the_longest_text():
    edited = STORY.replace("Monday", "Tuesday")
    longer = STORY + "A final vote on the transport plan is expected next month."
    out, stats = _run(_doc("a", STORY), _doc("b", STORY.upper()), _doc("c", edited), _doc("d", longer), _doc("e", OTHER))
    assert out["d"].status == KEPT and out["d"].cluster_id == "id-d" and out["d"].cluster_size == 4
    for s in "abc":
        assert out[s].status == DUPLICATE and out[s].duplicate_of == "id-d" and out[s].cluster_id == "id-d"
        assert "id-d (d)" in out[s].reason
    assert out["e"].status == KEPT and out["e"].cluster_id == "id-e" and out["e"].cluster_size == 1
    assert out["a"].reason.startswith("near-duplicate of id-d (d), estimated Jaccard")
    assert out["b"].reason.startswith("exact duplicate of") or "id-d" in out["b"].reason
    assert out["c"].reason.startswith("contained in id-d (d): estimated containment")
    assert 0.5 <= out["c"].similarity < 1.0
    assert stats.as_dict()["statuses"] == {"duplicate": 3, "kept": 2}


def test_exact_duplicates_have_similarity_one_and_ties_go_to_the_smallest_id():
    out, _ = _run(_doc("b", STORY), _doc("a", STORY))
    assert out["a"].status == KEPT and out["b"].duplicate_of == "id-a" and out["b"].similarity == 1.0
    assert out["b"].reason.startswith("exact duplicate of id-a")


def test_different_articles_are_not_merged():
    out, _ = _run(_doc("a", STORY), _doc("b", OTHER))
    assert all(d.status == KEPT and d.cluster_size == 1 for d in out.values())


def test_params_record_scheme_seed_and_bands():
    params = DedupStage(DedupConfig(threshold=0.8, num_perm=128)).params()["dedup"]
    assert params["scheme"] == "affine32" and params["seed"] == 1
    assert params["bands"] * params["rows"] <= 128
    assert params["datasketch"].startswith("2.0")


def _article(seed: int, words: int = 400) -> str:
    import random

    rng = random.Random(seed)
    vocab = [f"{a}{b}" for a in ("ka", "lo", "mi", "nu", "pe", "ra", "si", "tu") for b in ("ban", "cor", "dez", "fin", "gul", "hom", "jar", "kel", "lum", "mor")]
    return " ".join(rng.choice(vocab) for _ in range(words)) + "."


def test_truncated_and_reheaded_copies_are_found_by_containment():
    full = _article(1)
    truncated = " ".join(full.split()[:160])  # the first 40%
    reheaded = "A different headline and lead paragraph for the copy. " + " ".join(full.split()[60:])
    out, _ = _run(_doc("full", full), _doc("cut", truncated), _doc("rehead", reheaded), _doc("other", _article(2)))
    assert out["full"].status == KEPT and out["other"].status == KEPT
    assert out["cut"].duplicate_of == "id-full" and out["cut"].reason.startswith("contained in id-full")
    assert out["rehead"].duplicate_of == "id-full"
    off, _ = _run(_doc("full", full), _doc("cut", truncated), containment_threshold=0)
    assert off["cut"].status == KEPT


def test_first_policy_keeps_the_earliest_document():
    out, _ = _run(_doc("z", STORY), _doc("a", STORY + " And one more sentence about the council budget vote."), representative="first")
    assert out["z"].status == KEPT and out["a"].duplicate_of == "id-z"


def test_incremental_index_dedups_against_earlier_runs(tmp_path):
    index = str(tmp_path / "index")
    first, _ = _run(_doc("a", STORY), _doc("e", OTHER), index=index)
    assert all(d.status == KEPT for d in first.values())
    assert len(list((tmp_path / "index").glob("part-*.parquet"))) == 1
    longer = STORY + " A final vote on the transport plan is expected next month."
    second, stats = _run(_doc("b", longer), _doc("new", _article(3)), index=index)
    # the earlier document wins even though the new copy is longer: it was already emitted
    assert second["b"].status == DUPLICATE and second["b"].duplicate_of == "id-a"
    assert "seen in an earlier run" in second["b"].reason
    assert second["new"].status == KEPT
    assert stats.as_dict()["index_documents_before"] == 2
    third, _ = _run(_doc("a", STORY), index=index)  # the same input again
    assert third["a"].status == DUPLICATE and third["a"].duplicate_of == "id-a"
    assert len(list((tmp_path / "index").glob("part-*.parquet"))) == 2  # nothing new to add the third time


def test_index_with_other_settings_is_refused(tmp_path):
    import pytest

    from pipeline.dedup.index import IndexMismatch

    _run(_doc("a", STORY), index=str(tmp_path))
    with pytest.raises(IndexMismatch, match="num_perm"):
        _run(_doc("b", STORY), index=str(tmp_path), num_perm=64)


def test_a_document_too_slow_to_sign_is_an_error_and_the_rest_are_clustered():
    stage = DedupStage(DedupConfig())
    stage.seconds_per_document = 0.05
    huge = " ".join(f"word{i} of the long page" for i in range(400_000))
    docs = [_doc("a", STORY), _doc("huge", huge), _doc("b", STORY), _doc("html", STORY)]
    docs[3].html = "<p>not extracted</p>"
    out = {d.source: d for d in stage.run(docs)}
    assert out["huge"].status == "error" and "dedup gave up" in out["huge"].reason
    assert out["html"].status == "error" and "HTML not extracted" in out["html"].reason
    assert out["a"].status == KEPT and out["b"].status == DUPLICATE and out["b"].duplicate_of == "id-a"


def test_long_texts_signed_alone_match_texts_signed_in_batches():
    from pipeline.dedup import SIGN_ALONE

    long_text = " ".join(f"item{i} in a long catalogue page" for i in range(SIGN_ALONE // 20))
    edited = long_text.replace("item7 ", "entry7 ")
    out, _ = _run(_doc("a", long_text), _doc("b", edited), _doc("c", STORY))
    assert len(long_text) > SIGN_ALONE and out["a"].duplicate_of == "id-b" and out["c"].status == KEPT  # b is longer
    stage = DedupStage(DedupConfig())
    alone = list(stage._sign_in_order([stage.signer.sign([STORY]), long_text]))
    batched = stage.signer.sign([STORY, long_text])
    assert (alone[0][0][0] == batched[0][0]).all() and (alone[1][0][0] == batched[0][1]).all()
