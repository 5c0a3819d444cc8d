from pipeline.document import BOILERPLATE, EMPTY, ERROR, KEPT, SPILLOVER, Block, Document
from pipeline.stage import Stage, StageStats


class DropShort(Stage):
    name = "drop_short"

    def process(self, doc: Document) -> None:
        if doc.source == "boom":
            raise RuntimeError("bad page")
        for block in doc.blocks:
            if len(block.text) < 5:
                block.remove(BOILERPLATE, "drop_short.tiny", "under 5 chars")


def _doc(source, *lines):
    return Document(id=source, source=source, blocks=[Block(t) for t in lines])


def test_stage_relabels_rejects_and_counts():
    stage = DropShort()
    stats = StageStats()
    docs = list(stage.run([_doc("a", "ok", "long enough"), _doc("b", "x"), _doc("boom", "whatever"), _doc("c", "hm")], stats))
    assert [d.status for d in docs] == [KEPT, EMPTY, ERROR, EMPTY]
    assert docs[1].reason == "no main text left after drop_short"
    assert docs[2].reason == "drop_short failed: RuntimeError: bad page"
    stats = stats.as_dict()
    assert stats["documents_in"] == 4 and stats["documents_out"] == 1
    assert stats["blocks_removed"] == {"boilerplate": 3}
    assert stats["removed_by_reason"] == {"drop_short.tiny": {"blocks": 3, "chars": 5}}


def test_rejected_documents_pass_through_untouched():
    doc = _doc("a", "x")
    doc.reject(ERROR, "unreadable: earlier")
    out = list(DropShort().run([doc]))[0]
    assert out.blocks[0].is_main and out.reason == "unreadable: earlier"


def test_a_removed_block_keeps_its_rule_apart_from_its_reason():
    block = Block("Latest story")
    block.remove(SPILLOVER, "segment.other_article", "set off by 'Latest'; topic=sport")
    assert block.rule == "segment.other_article" and block.reason == "segment.other_article: set off by 'Latest'; topic=sport"
    assert Block("x", BOILERPLATE, "boilerplate.code").rule == "boilerplate.code"  # a bare reason is its rule
