import pyarrow.parquet as pq

from pipeline import Config, deduplicate, read, remove_boilerplate, remove_spillover, run
from tests.conftest import REPO


def test_stage_functions_give_what_run_writes(tmp_path):
    docs = deduplicate(remove_spillover(remove_boilerplate(read([REPO / "raw"]))))
    run([REPO / "raw"], tmp_path)
    written = {r["source"]: r for r in pq.read_table(tmp_path / "documents").to_pylist()}
    assert {d.source: d.text for d in docs if d.is_kept} == {s: r["text"] for s, r in written.items()}


def test_functions_take_a_config(raw_dir):
    config = Config().override({"limits.max_document_mb": 0.001})
    docs = {d.source: d for d in read([raw_dir], config)}
    assert docs["a.txt"].status == "error" and "larger than the 0.001 MB limit" in docs["a.txt"].reason


def test_subpackages_stay_importable_by_dotted_name():
    import pipeline.boilerplate.html
    import pipeline.dedup.minhash
    import pipeline.segment.segments

    assert pipeline.boilerplate.html.extract_html and pipeline.dedup.minhash.Signer and pipeline.segment.segments.split_segments
