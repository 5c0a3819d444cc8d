from pipeline.config import DedupConfig
from pipeline.dedup import DedupStage
from pipeline.document import DUPLICATE, KEPT, Document, split_blocks

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
    stage = DedupStage(DedupConfig(**config))
    return {d.source: d for d in stage.run(list(docs))}, stage


def test_exact_and_near_duplicates_cluster_on_the_longest_text():
    edited = STORY.replace("Monday", "Tuesday")
    longer = STORY + "A final vote on the transport plan is expected next month."
    out, stage = _run(_doc("a", STORY), _doc("b", STORY.upper()), _doc("c", edited), _doc("d", longer), _doc("e", OTHER))
    assert out["d"].status == KEPT and out["d"].cluster_id == "id-d" and out["d"].cluster_size == 4
    for s in "abc":
        assert out[s].status == DUPLICATE and out[s].duplicate_of == "id-d" and out[s].cluster_id == "id-d"
        assert "of id-d (d)" in out[s].reason
    assert out["e"].status == KEPT and out["e"].cluster_id == "id-e" and out["e"].cluster_size == 1
    assert 0.8 <= out["c"].similarity < 1.0
    assert stage.stats.as_dict()["statuses"] == {"duplicate": 3, "kept": 2}


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
