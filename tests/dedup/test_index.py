"""The incremental index across runs: ids, part names, damaged parts, settings checked first."""
from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import Config, run
from pipeline.dedup.index import IndexMismatch
from tests.test_reliability import prose


def _page(seed: int) -> str:
    return "\n".join([f"Headline number {seed} for the story"] + prose(seed, 8)) + "\n"


def _write(folder: Path, pages: dict[str, int]) -> Path:
    for name, seed in pages.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(_page(seed))
    return folder


def _config(index: Path) -> Config:
    return Config().override({"dedup.index": str(index)})


def _index_rows(index: Path) -> list[dict]:
    return pq.read_table(index, columns=["id", "source"]).to_pylist()


def _statuses(out: Path) -> dict[str, str]:
    rows = pq.read_table(out / "documents").to_pylist() + pq.read_table(out / "rejected").to_pylist()
    return {r["source"]: r["status"] for r in rows}


def test_files_named_alike_in_two_runs_are_both_indexed(tmp_path):
    index = tmp_path / "index"
    day1 = _write(tmp_path / "day1", {"crawl/page.txt": 1})
    day2 = _write(tmp_path / "day2", {"crawl/page.txt": 2})
    run([day1 / "crawl"], tmp_path / "o1", _config(index))
    run([day2 / "crawl"], tmp_path / "o2", _config(index))
    rows = _index_rows(index)
    assert len(rows) == 2 and len({r["id"] for r in rows}) == 2 and {r["source"] for r in rows} == {"page.txt"}
    again = _write(tmp_path / "day3", {"copy.txt": 2, "new.txt": 3})  # an exact copy of day 2's page
    run([again], tmp_path / "o3", _config(index))
    assert _statuses(tmp_path / "o3") == {"copy.txt": "duplicate", "new.txt": "kept"}


def test_a_deleted_part_never_makes_a_run_overwrite_another(tmp_path):
    index = tmp_path / "index"
    for i in range(3):
        run([_write(tmp_path / f"in{i}", {f"p{i}.txt": 10 + i})], tmp_path / f"o{i}", _config(index))
        if i == 0:
            first = sorted(index.glob("part-*.parquet"))
            assert len(first) == 1
            first[0].unlink()
    parts = sorted(index.glob("part-*.parquet"))
    assert len(parts) == 2 and sorted(r["source"] for r in _index_rows(index)) == ["p1.txt", "p2.txt"]


def test_a_page_already_indexed_is_not_added_again(tmp_path):
    index = tmp_path / "index"
    raw = _write(tmp_path / "raw", {"a.txt": 20})
    run([raw], tmp_path / "o1", _config(index))
    run([raw], tmp_path / "o2", _config(index))
    assert len(list(index.glob("part-*.parquet"))) == 1  # the second run added nothing new: its page is known
    assert _statuses(tmp_path / "o2") == {"a.txt": "duplicate"}


def test_a_truncated_part_is_an_error_naming_it(tmp_path):
    index = tmp_path / "index"
    run([_write(tmp_path / "in", {"a.txt": 30})], tmp_path / "o1", _config(index))
    part = next(index.glob("part-*.parquet"))
    part.write_bytes(part.read_bytes()[:-40])
    with pytest.raises(IndexMismatch, match=part.name):
        run([tmp_path / "in"], tmp_path / "o2", _config(index))


def test_other_minhash_settings_are_refused_before_any_work(tmp_path):
    index = tmp_path / "index"
    raw = _write(tmp_path / "in", {"a.txt": 40})
    run([raw], tmp_path / "o1", _config(index))
    with pytest.raises(IndexMismatch, match="num_perm"):
        run([raw], tmp_path / "o2", _config(index).override({"dedup.num_perm": "64"}))
    assert not (tmp_path / "o2" / "stages").exists()
