import pyarrow.parquet as pq

from pipeline import Config, boilerplate, dedup, read, run, segment
from tests.conftest import REPO


def test_stage_functions_give_what_run_writes(tmp_path):
    docs = dedup(segment(boilerplate(read([REPO / "raw"]))))
    run([REPO / "raw"], tmp_path)
    written = {r["source"]: r for r in pq.read_table(tmp_path / "documents").to_pylist()}
    assert {d.source: d.text for d in docs if d.is_kept} == {s: r["text"] for s, r in written.items()}


def test_functions_take_a_config(raw_dir):
    config = Config().override({"limits.max_document_mb": 0.001})
    docs = {d.source: d for d in read([raw_dir], config)}
    assert docs["a.txt"].status == "error" and "larger than the 0.001 MB limit" in docs["a.txt"].reason
