import json

import pyarrow.parquet as pq

from pipeline.document import DUPLICATE, Document, split_blocks
from pipeline.output import part_name, write_final, write_json, write_part


def _doc(source, status="kept"):
    doc = Document(id=source, source=source, blocks=split_blocks("Some text."))
    if status != "kept":
        doc.reject(status, "because")
    return doc


def test_write_part_is_atomic_and_named_by_shard(tmp_path):
    path = write_part(tmp_path / "t", 7, [_doc("a")], {}, 10)
    assert path.name == part_name(7) == "part-00007.parquet"
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == ["part-00007.parquet"]


def test_final_split_puts_every_document_in_exactly_one_table(tmp_path):
    counts = write_final(tmp_path, 0, [_doc("a"), _doc("b", DUPLICATE), _doc("c")], {}, 10)
    assert counts == {"documents": 2, "rejected": 1, "status:kept": 2, "status:duplicate": 1}
    rejected = pq.read_table(tmp_path / "rejected").to_pylist()
    assert rejected[0]["source"] == "b" and rejected[0]["text"] == "" and rejected[0]["reason"] == "because"
    assert [r["source"] for r in pq.read_table(tmp_path / "documents").to_pylist()] == ["a", "c"]


def test_write_json_is_atomic(tmp_path):
    write_json(tmp_path / "s" / "stats.json", {"a": 1})
    assert json.loads((tmp_path / "s" / "stats.json").read_text()) == {"a": 1}
    assert [p.name for p in (tmp_path / "s").iterdir()] == ["stats.json"]
