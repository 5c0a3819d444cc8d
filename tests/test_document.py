from pipeline.document import BOILERPLATE, EMPTY, KEPT, SPILLOVER, Block, Document, make_id, split_blocks


def test_id_is_stable_and_depends_on_source_and_content():
    assert make_id("a/b.txt", "text") == make_id("a/b.txt", "text")
    assert make_id("a/b.txt") != make_id("a/b.txt#2")
    assert make_id("crawl.jsonl#1", "day one") != make_id("crawl.jsonl#1", "day two")  # a daily file of the same name
    assert make_id("ab", "c") != make_id("a", "bc")
    assert len(make_id("x")) == 32  # 128 bits: no collision to expect in any corpus
    assert make_id("\udcff.txt", "\ud800")  # names and text that are not valid UTF-8 still get an id


def test_split_blocks_drops_blank_lines_and_outer_whitespace():
    blocks = split_blocks("  first line \r\n\n\t\nsecond\tline\n")
    assert [b.text for b in blocks] == ["first line", "second\tline"]
    assert all(b.label == "main" and b.reason is None for b in blocks)


def test_first_removal_wins_and_text_joins_main_blocks():
    doc = Document(id="1", source="s", blocks=[Block("a"), Block("b"), Block("c")])
    doc.blocks[1].remove(BOILERPLATE, "boilerplate.short")
    doc.blocks[1].remove(SPILLOVER, "segment.off_topic")
    assert doc.blocks[1].label == BOILERPLATE and doc.blocks[1].reason == "boilerplate.short"
    assert doc.text == "a\nc"


def test_reject_keeps_first_status():
    doc = Document(id="1", source="s")
    assert doc.status == KEPT
    doc.reject(EMPTY, "nothing left")
    doc.reject("duplicate", "later")
    assert (doc.status, doc.reason) == (EMPTY, "nothing left")
