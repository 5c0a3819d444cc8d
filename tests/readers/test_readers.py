import gzip
import json

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.document import ERROR, HTML, KEPT, Document, make_id, split_blocks
from pipeline.readers import discover, format_suffix, read_inputs
from pipeline.schema import to_table

LIMIT = 1_000_000


def _read(*paths, limit=LIMIT, exclude=()):
    return list(read_inputs(list(paths), limit, exclude))


def test_text_and_html_pages(tmp_path):
    (tmp_path / "a.txt").write_text("Line one.\n\n  Line two.  \n")
    (tmp_path / "b.htm").write_text("<html><body><p>Hello</p></body></html>")
    a, b = _read(tmp_path)
    assert (a.source, a.status, [x.text for x in a.blocks]) == ("a.txt", KEPT, ["Line one.", "Line two."])
    assert a.id == make_id("a.txt")
    assert b.content_type == HTML and "<p>Hello</p>" in b.html and b.blocks == []


def test_sources_are_relative_to_the_common_root_and_sorted(tmp_path):
    for name in ("x/2.txt", "x/1.txt", "y/1.txt", "x/.hidden.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("text.")
    assert [s for _, s in discover([tmp_path / "x"])] == ["1.txt", "2.txt"]
    assert [s for _, s in discover([tmp_path / "x", tmp_path / "y"])] == ["x/1.txt", "x/2.txt", "y/1.txt"]


def test_gzip_and_charsets(tmp_path):
    with gzip.open(tmp_path / "a.txt.gz", "wt", encoding="utf-8") as f:
        f.write("Grüße aus Köln.\n")
    (tmp_path / "b.txt").write_bytes("Café au lait, s'il vous plaît, très chaud.".encode("cp1252"))
    (tmp_path / "c.html").write_bytes('<meta charset="windows-1251"><p>Привет</p>'.encode("cp1251"))
    a, b, c = _read(tmp_path)
    assert a.blocks[0].text == "Grüße aus Köln."
    assert b.status == KEPT and "Café" in b.blocks[0].text
    assert "Привет" in c.html


def test_unreadable_inputs_become_error_documents_with_reasons(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "cut.txt.gz").write_bytes(gzip.compress(b"some text " * 50)[:-12])
    (tmp_path / "big.txt").write_text("x" * 2000)
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 5000))
    (tmp_path / "notes.md").write_text("# notes")
    docs = {d.source: d for d in _read(tmp_path, limit=1000)}
    assert all(d.status == ERROR for d in docs.values())
    assert "binary" in docs["bin.txt"].reason
    assert "truncated gzip" in docs["cut.txt.gz"].reason
    assert "larger than" in docs["big.txt"].reason
    assert "larger than" in docs["bomb.txt.gz"].reason
    assert "unsupported file type '.md'" in docs["notes.md"].reason


def test_jsonl_records_and_broken_lines(tmp_path):
    lines = [
        json.dumps({"url": "https://e.org/1", "text": "First record."}),
        "{broken",
        json.dumps({"html": "<p>Second</p>", "title": "T"}),
        json.dumps({"nothing": 1}),
        "",
        json.dumps(["a", "list"]),
    ]
    (tmp_path / "r.jsonl").write_text("\n".join(lines) + "\n")
    docs = _read(tmp_path / "r.jsonl")
    assert [d.source for d in docs] == ["r.jsonl#1", "r.jsonl#2", "r.jsonl#3", "r.jsonl#4", "r.jsonl#6"]
    assert docs[0].url == "https://e.org/1" and docs[0].blocks[0].text == "First record."
    assert docs[1].status == ERROR and "invalid JSON on line 2" in docs[1].reason
    assert docs[2].content_type == HTML and docs[2].title == "T"
    assert docs[3].status == ERROR and "no string field" in docs[3].reason
    assert docs[4].status == ERROR and "not an object" in docs[4].reason


def test_parquet_own_schema_round_trips_and_foreign_is_read_as_records(tmp_path):
    own = Document(id="keep-me", source="orig.txt", blocks=split_blocks("A line.\nAnother line."))
    pq.write_table(to_table([own], {}), tmp_path / "own.parquet")
    pq.write_table(pa.table({"url": ["u1", None], "text": ["Foreign text.", "More."]}), tmp_path / "foreign.parquet")
    pq.write_table(pa.table({"n": [1, 2]}), tmp_path / "odd.parquet")
    (tmp_path / "fake.parquet").write_bytes(b"not parquet at all")
    docs = {d.source: d for d in _read(tmp_path)}
    assert docs["orig.txt"].id == "keep-me" and docs["orig.txt"].text == "A line.\nAnother line."
    assert docs["foreign.parquet#1"].url == "u1" and docs["foreign.parquet#2"].text == "More."
    assert docs["odd.parquet"].status == ERROR and "neither" in docs["odd.parquet"].reason
    assert docs["fake.parquet"].status == ERROR and "not a readable Parquet" in docs["fake.parquet"].reason


def test_pipeline_output_directory_reads_its_tables_only(tmp_path):
    out = tmp_path / "out"
    for table, source in (("documents", "a.txt"), ("rejected", "b.txt"), ("stages/boilerplate", "c.txt")):
        (out / table).mkdir(parents=True)
        doc = Document(id=source, source=source, blocks=split_blocks("Text."))
        pq.write_table(to_table([doc], {}), out / table / "part-00000.parquet")
    (out / "stats.json").write_text("{}")
    assert sorted(d.source for d in _read(out)) == ["a.txt", "b.txt"]


def test_excluded_output_inside_the_input_is_skipped(tmp_path):
    (tmp_path / "a.txt").write_text("Text.")
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "b.txt").write_text("Text.")
    assert [d.source for d in _read(tmp_path, exclude=[tmp_path / "clean"])] == ["a.txt"]


def test_format_suffix_looks_through_gz(tmp_path):
    assert format_suffix(tmp_path / "a.JSONL.gz") == ".jsonl"
    assert format_suffix(tmp_path / "page.html") == ".html"
    assert format_suffix(tmp_path / "README") == ""


def test_own_parquet_with_an_inconsistent_row_gives_an_error_document(tmp_path):
    good = Document(id="g", source="good.txt", blocks=split_blocks("A line."))
    table = to_table([good, Document(id="b", source="bad.txt", blocks=split_blocks("Text."))], {})
    rows = table.to_pylist()
    rows[1]["removed"] = [{"position": 5, "label": "boilerplate", "reason": "x", "text": "y"}]
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), tmp_path / "t.parquet")
    docs = _read(tmp_path)
    assert docs[0].id == "g" and docs[1].status == ERROR and "do not fit" in docs[1].reason
