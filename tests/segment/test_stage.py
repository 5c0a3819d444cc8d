from pipeline.boilerplate import BoilerplateStage
from pipeline.config import BoilerplateConfig, SegmentConfig
from pipeline.document import KEPT, SPILLOVER, Document, split_blocks
from pipeline.segment import SegmentStage
from tests.conftest import ARTICLE, SPILLOVER as APPENDED


def _clean(text: str) -> Document:
    doc = Document(id="1", source="a.txt", blocks=split_blocks(text))
    doc = list(BoilerplateStage(BoilerplateConfig()).run([doc]))[0]
    return list(SegmentStage(SegmentConfig()).run([doc]))[0]


def test_appended_unrelated_story_is_spillover_with_a_reason(page_text):
    doc = _clean(page_text)
    spill = [b for b in doc.blocks if b.label == SPILLOVER]
    assert [b.text for b in spill] == APPENDED[1:]
    assert all(b.reason.startswith("segment.off_topic: similarity ") for b in spill)
    for line in ARTICLE[3:]:
        assert line in doc.text


def test_page_without_spillover_is_untouched():
    doc = _clean("\n".join(ARTICLE))
    before = [b.is_main for b in _boilerplate_only("\n".join(ARTICLE)).blocks]
    assert [b.is_main for b in doc.blocks] == before and doc.status == KEPT


def test_related_follow_up_on_the_same_topic_is_kept():
    follow_up = [
        "Freight operators welcome corridor",
        "Rail freight operators said the corridor and the new container terminals would cut freight transit times for ports.",
    ]
    doc = _clean("\n".join(ARTICLE + ["Latest"] + follow_up))
    assert follow_up[1] in doc.text


def test_unextracted_html_is_an_error():
    doc = Document(id="1", source="a.html", content_type="text/html", html="<p>x</p>")
    out = list(SegmentStage(SegmentConfig()).run([doc]))[0]
    assert out.status == "error" and "run the boilerplate stage first" in out.reason


def _boilerplate_only(text: str) -> Document:
    return list(BoilerplateStage(BoilerplateConfig()).run([Document(id="1", source="a.txt", blocks=split_blocks(text))]))[0]
