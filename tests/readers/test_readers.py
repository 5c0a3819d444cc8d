import gzip
import json
import os

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
    assert a.id == make_id("a.txt", "Line one.\n\n  Line two.  \n")
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


def test_ids_are_unique_across_runs_and_stable_for_the_same_input(tmp_path):
    for day, text in (("mon", "Monday's page."), ("tue", "Tuesday's page.")):
        (tmp_path / day).mkdir()
        (tmp_path / day / "crawl.txt").write_text(text)
    (monday,), (tuesday,) = _read(tmp_path / "mon"), _read(tmp_path / "tue")
    assert monday.source == tuesday.source == "crawl.txt" and monday.id != tuesday.id
    assert _read(tmp_path / "mon")[0].id == monday.id


def test_a_bad_line_of_json_lines_is_one_error_row(tmp_path):
    lines = [
        json.dumps({"text": "First record."}).encode(),
        b"[" * 100_000 + b"]" * 100_000,  # nested too deeply for the JSON parser
        b'{"text": "a NUL \x00 byte"}'.replace(b"\\x00", b"\x00"),
        json.dumps({"text": "A lone surrogate \ud800 here."}).encode(),
        json.dumps({"text": "A line with a U+2028 \u2028 inside a string."}, ensure_ascii=False).encode(),
    ]
    (tmp_path / "r.jsonl").write_bytes(b"\n".join(lines))
    docs = _read(tmp_path / "r.jsonl")
    assert [d.status for d in docs] == [KEPT, ERROR, ERROR, KEPT, KEPT]
    assert "nested too deeply" in docs[1].reason and "NUL" in docs[2].reason
    assert docs[3].blocks[0].text == "A lone surrogate \ufffd here."
    assert to_table(docs, {}).num_rows == 5  # every string can be written


def test_a_mostly_binary_json_lines_file_is_one_error(tmp_path):
    (tmp_path / "r.jsonl").write_bytes(b"\x00\x01garbage\n" * 50)
    (doc,) = _read(tmp_path / "r.jsonl")
    assert doc.status == ERROR and "binary" in doc.reason


def test_odd_file_names_give_printable_unique_sources(tmp_path):
    names = [b"caf\xe9.txt", b"caf\\xe9.txt", b"tab\there.txt"]
    for name in names:
        (tmp_path / os.fsdecode(name)).write_text("Some text.")
    docs = _read(tmp_path)
    sources = sorted(d.source for d in docs)
    assert sources == sorted(["caf\\xe9.txt", "caf\\\\xe9.txt", "tab\\there.txt"])
    assert all(s.isprintable() for s in sources) and len({d.id for d in docs}) == 3


def test_lying_charsets_and_c1_controls(tmp_path):
    japanese = "日本語のテキストです。東京は大きな都市です。"
    (tmp_path / "a.html").write_bytes(b'<meta charset="iso-8859-1"><p>' + japanese.encode("shift_jis") + b"</p>")
    chinese = "中文文本，北京是中国的首都。上海是一个大城市。"
    (tmp_path / "b.html").write_bytes(b'<meta charset="utf-8"><p>' + chinese.encode("gbk") + b"</p>")
    (tmp_path / "c.txt").write_text("He said \x93hello\x94 \x96 and left.", encoding="utf-8")
    a, b, c = _read(tmp_path)
    assert japanese in a.html and chinese in b.html
    assert c.blocks[0].text == "He said \u201chello\u201d \u2013 and left."


def test_file_links_are_reported_unless_followed(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("Text from outside the input.")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "link.txt").symlink_to(outside)
    (doc,) = _read(tmp_path / "in")
    assert doc.status == ERROR and "symbolic link: not followed" in doc.reason
    (followed,) = read_inputs([tmp_path / "in"], LIMIT, follow_links=True)
    assert followed.status == KEPT and followed.text == "Text from outside the input."


def test_own_parquet_whose_text_does_not_add_up_is_an_error_row(tmp_path):
    table = to_table([Document(id="a", source="a.txt", blocks=split_blocks("One line.")), Document(id="b", source="b.txt", blocks=split_blocks("Two."))], {})
    rows = table.to_pylist()
    rows[0]["input_chars"] += 1
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), tmp_path / "t.parquet")
    bad, good = _read(tmp_path)
    assert bad.status == ERROR and "input_chars says 10" in bad.reason and good.id == "b"


def test_a_record_too_slow_to_read_is_an_error_row_and_reading_goes_on(tmp_path, monkeypatch):
    import pipeline.readers as readers

    def slow_reader(path, source, max_bytes):
        yield Document(id=make_id(source, "1"), source=f"{source}:1", blocks=split_blocks("First record."))
        while True:  # a record whose reading never ends
            pass

    monkeypatch.setitem(readers.READERS, ".slow", slow_reader)
    (tmp_path / "a.slow").write_text("x")
    (tmp_path / "b.txt").write_text("After the slow file.")
    rows = [d for path, source in discover([tmp_path]) for d in readers.read_file(path, source, LIMIT, seconds=0.2)]
    assert [(d.source, d.status) for d in rows] == [("a.slow:1", KEPT), ("a.slow#2", ERROR), ("b.txt", KEPT)]
    assert "longer than 0.2 s of CPU time" in rows[1].reason and "rest of the file was not read" in rows[1].reason


def test_a_bom_wins_and_bad_bytes_after_it_are_marked(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbfCaf\xc3\xa9 \xed\xa0\x80 ok.\n")
    (tmp_path / "empty.warc").write_bytes(b"")
    a, empty = _read(tmp_path)
    assert a.status == KEPT and a.blocks[0].text == "Café \ufffd\ufffd\ufffd ok."
    assert empty.status == ERROR and "no page or record" in empty.reason


def test_a_record_keeps_its_capture_date_apart_from_the_publication_date(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "Some page text.", "crawl_date": "2024-05-01T10:00:00Z"}) + "\n")
    (doc,) = _read(tmp_path)
    assert doc.fetch_date == "2024-05-01T10:00:00Z" and doc.date is None


def test_a_records_other_fields_are_kept_as_json_metadata(tmp_path):
    record = {"text": "Some page text.", "url": "https://a.example/1", "doc_id": 42, "licence": "CC-BY", "crawl": {"run": "2024-05", "seed": None}}
    (tmp_path / "a.jsonl").write_text(json.dumps(record) + "\n" + json.dumps({"text": "Plain."}) + "\n")
    pq.write_table(pa.table({"html": ["<p>Hello there.</p>"], "doc_id": [7], "lang_hint": ["de"]}), tmp_path / "b.parquet")
    a1, a2, b = _read(tmp_path)
    assert json.loads(a1.metadata) == {"doc_id": 42, "licence": "CC-BY", "crawl": {"run": "2024-05", "seed": None}}
    assert a1.url == "https://a.example/1" and a2.metadata is None
    assert json.loads(b.metadata) == {"doc_id": 7, "lang_hint": "de"}
