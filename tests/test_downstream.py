"""The clean corpus reads the same in the tools users have: pyarrow.dataset, pandas, polars, DuckDB."""
import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pytest

from pipeline import run
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
