"""The clean corpus reads the same in the tools users have: pyarrow, pandas, polars, DuckDB, Hugging Face datasets."""
import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipeline import Config, run
from tests.conftest import REPO


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")
    run([REPO / "raw"], out, stages=("boilerplate",))  # no dedup: several parts are not needed, rows are
    return out / "documents"


def test_every_reader_gets_the_same_rows(corpus):
    expected = sorted(zip(*[ds.dataset(corpus).to_table().column(c).to_pylist() for c in ("id", "text")]))
    assert len(expected) == 5
    frame = pd.read_parquet(corpus)
    assert sorted(zip(frame["id"], frame["text"])) == expected
    polars = pl.read_parquet(f"{corpus}/*.parquet")
    assert sorted(zip(polars["id"].to_list(), polars["text"].to_list())) == expected
    rows = duckdb.sql(f"SELECT id, text FROM '{corpus}/*.parquet'").fetchall()
    assert sorted(rows) == expected


def test_removed_blocks_are_queryable(corpus):
    reasons = duckdb.sql(
        f"SELECT r.reason, count(*) FROM (SELECT unnest(removed) AS r FROM '{corpus}/*.parquet') GROUP BY 1"
    ).fetchall()
    assert any(reason.startswith("boilerplate.") for reason, _ in reasons)
    exploded = pl.read_parquet(f"{corpus}/*.parquet").select("source", "removed").explode("removed").unnest("removed")
    assert {"position", "label", "reason"} <= set(exploded.columns)


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    """One shard in three rejects a document: rejected/ has rows in some shards only; segment/ rejects none."""
    raw = tmp_path_factory.mktemp("raw")
    for seed in sorted((REPO / "raw").iterdir()):
        (raw / seed.name).write_bytes(seed.read_bytes())
    (raw / "zz.bin.txt").write_bytes(b"\x00\x01binary\x00" * 50)
    out = tmp_path_factory.mktemp("out")
    run([raw], out, Config().override({"output.shard_size": "2"}))
    return out


def test_no_table_has_a_part_without_rows_but_an_empty_table_has_its_schema(sparse):
    for table in ["documents", "rejected", "stages/boilerplate", "stages/segment", "stages/dedup"]:
        parts = sorted((sparse / table).glob("part-*.parquet"))
        rows = [pq.ParquetFile(p).metadata.num_rows for p in parts]
        assert all(rows) or (len(parts) == 1 and pq.ParquetFile(parts[0]).metadata.num_row_groups == 0), (table, rows)
    assert len(list((sparse / "rejected").glob("part-*.parquet"))) == 1  # three shards, one with a rejected row


def test_hugging_face_datasets_reads_every_table(sparse, tmp_path):
    datasets = pytest.importorskip("datasets")
    for table, expected in (("documents", 5), ("rejected", 1)):
        loaded = datasets.load_dataset("parquet", data_files=f"{sparse}/{table}/*.parquet", split="train", cache_dir=str(tmp_path))
        assert loaded.num_rows == expected and "removed" in loaded.column_names


def test_an_empty_table_reads_as_no_rows_with_every_column(tmp_path):
    out = tmp_path / "out"
    run([REPO / "raw"], out)
    empty = out / "rejected"
    columns = set(pq.read_table(out / "documents").column_names)
    assert pq.read_table(empty).num_rows == 0 and set(pq.read_table(empty).column_names) == columns
    assert len(pd.read_parquet(empty)) == 0 and set(pd.read_parquet(empty).columns) == columns
    assert pl.read_parquet(f"{empty}/*.parquet").height == 0
    assert duckdb.sql(f"SELECT count(*) FROM '{empty}/*.parquet'").fetchall() == [(0,)]
    datasets = pytest.importorskip("datasets")
    assert datasets.Dataset(pq.read_table(empty)).num_rows == 0  # load_dataset refuses any empty split by design


def test_language_and_the_users_own_fields_reach_the_output(tmp_path):
    import json

    raw = tmp_path / "raw"
    raw.mkdir()
    text = (REPO / "raw" / sorted(p.name for p in (REPO / "raw").iterdir())[0]).read_text()
    (raw / "crawl.jsonl").write_text(json.dumps({"text": text, "doc_id": "A-1", "licence": "CC-BY"}) + "\n")
    run([raw], tmp_path / "out")
    rows = duckdb.sql(
        f"SELECT language, language_score, json_extract_string(metadata, '$.licence') FROM '{tmp_path}/out/documents/*.parquet'"
    ).fetchall()
    assert len(rows) == 1 and rows[0][0] == "en" and rows[0][1] > 0.9 and rows[0][2] == "CC-BY"
