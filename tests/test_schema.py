import json

import pyarrow as pa

from pipeline.document import BOILERPLATE, SPILLOVER, Block, Document, split_blocks
from pipeline.schema import METADATA_PARAMS_KEY, METADATA_VERSION_KEY, SCHEMA, SCHEMA_VERSION, from_table, to_table


def _doc() -> Document:
    blocks = [Block("Menu", BOILERPLATE, "boilerplate.nav"), Block("Title"), Block("Body text."), Block("Other story.", SPILLOVER, "segment.off_topic: similarity 0.010")]
    return Document(id="abc", source="x/a.txt", url="https://e.org/a", title="Title", blocks=blocks)


def test_round_trip_keeps_block_order_labels_and_reasons():
    doc = _doc()
    back = list(from_table(to_table([doc], {})))[0]
    assert [(b.text, b.label, b.reason) for b in back.blocks] == [(b.text, b.label, b.reason) for b in doc.blocks]
    assert (back.id, back.source, back.url, back.title) == (doc.id, doc.source, doc.url, doc.title)


def test_table_has_explicit_schema_and_metadata():
    table = to_table([_doc()], {"dedup": {"threshold": 0.8}})
    assert table.schema.remove_metadata() == SCHEMA
    assert table.schema.metadata[METADATA_VERSION_KEY] == SCHEMA_VERSION.encode()
    assert json.loads(table.schema.metadata[METADATA_PARAMS_KEY]) == {"dedup": {"threshold": 0.8}}


def test_empty_table_keeps_the_schema():
    table = to_table([], {})
    assert table.num_rows == 0 and table.schema.remove_metadata() == SCHEMA


def test_removed_column_lists_only_removed_blocks_and_text_only_kept():
    row = to_table([_doc()], {}).to_pylist()[0]
    assert row["text"] == "Title\nBody text."
    assert [(r["position"], r["label"]) for r in row["removed"]] == [(0, "boilerplate"), (3, "spillover")]


def test_rejected_rows_have_empty_text_but_keep_removed_blocks():
    row = to_table([_doc()], {}, keep_text=False).to_pylist()[0]
    assert row["text"] == "" and len(row["removed"]) == 2
    assert isinstance(SCHEMA.field("removed").type, pa.ListType)


def test_a_row_whose_positions_do_not_fit_is_refused():
    import pytest

    from pipeline.schema import from_row

    row = to_table([_doc()], {}).to_pylist()[0]
    row["removed"][0]["position"] = 99
    with pytest.raises(ValueError, match="do not fit"):
        from_row(row)


def test_a_version_2_table_reads_as_our_own(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.readers import read_inputs
    from pipeline.schema import ADDED_SINCE_2, SCHEMA, to_table

    doc = Document(id="x1", source="a.txt", blocks=split_blocks("Home | News\nThe article text is here.\n"))
    doc.blocks[0].remove(BOILERPLATE, "boilerplate.nav")
    table = to_table([doc], {})
    old_removed = pa.list_(pa.struct([f for f in SCHEMA.field("removed").type.value_type if f.name != "rule"]))
    columns = {n: table.column(n) for n in table.column_names if n not in ADDED_SINCE_2}
    columns["removed"] = pa.array([[{k: v for k, v in r.items() if k != "rule"} for r in table.column("removed").to_pylist()[0]]], old_removed)
    pq.write_table(pa.table(columns), tmp_path / "v2.parquet")
    (back,) = read_inputs([tmp_path / "v2.parquet"], 1_000_000)
    assert back.status == "kept" and back.id == "x1" and back.language is None
    assert back.blocks[0].rule == "boilerplate.nav" and back.text == "The article text is here."


def test_a_spillover_topic_is_data_and_a_version_3_table_gets_it_from_the_reason(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.document import SPILLOVER
    from pipeline.readers import read_inputs
    from pipeline.schema import SCHEMA

    doc = Document(id="x1", source="a.txt", blocks=split_blocks("The article text is here.\nLatest: the storm hits the coast.\n"))
    doc.blocks[1].remove(SPILLOVER, "segment.other_article", "set off by 'Latest'; topic=weather", "weather")
    table = to_table([doc], {})
    assert table.column("removed").to_pylist()[0][0]["topic"] == "weather"
    assert next(from_table(table)).blocks[1].topic == "weather"
    v3 = pa.list_(pa.struct([f for f in SCHEMA.field("removed").type.value_type if f.name != "topic"]))
    columns = {n: table.column(n) for n in table.column_names}
    columns["removed"] = pa.array([[{k: v for k, v in r.items() if k != "topic"} for r in table.column("removed").to_pylist()[0]]], v3)
    pq.write_table(pa.table(columns), tmp_path / "v3.parquet")
    (back,) = read_inputs([tmp_path / "v3.parquet"], 1_000_000)
    assert back.blocks[1].topic == "weather" and back.blocks[1].rule == "segment.other_article"
