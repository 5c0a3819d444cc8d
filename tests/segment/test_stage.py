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
    assert all(b.reason.startswith("segment.other_article: set off by 'Latest'; similarity ") for b in spill)
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


SAME_STORY = [
    "Freight rail operators protest corridor tariffs",
    "By John Roe",
    "March 4, 2021",
    "Rail freight operators said the new corridor tariffs for container freight were too high for the terminals and ports to use.",
    "The corridor operator said freight volumes on the rail corridor would justify the tariffs within a year.",
]


def test_another_article_on_the_same_story_is_spillover_when_set_off_and_headed():
    doc = _clean("\n".join(ARTICLE + ["Latest"] + SAME_STORY))
    assert SAME_STORY[3] not in doc.text and ARTICLE[3] in doc.text
    reason = next(b.reason for b in doc.blocks if b.text == SAME_STORY[3])
    assert reason.startswith("segment.other_article: set off by 'Latest' and opens with its own headline and byline")


def test_a_teaser_before_the_article_set_off_by_a_marker_is_spillover():
    teaser = ["Most Read", "Operators protest rail freight corridor tariffs", "Rail freight operators said the corridor tariffs were too high for the container terminals."]
    doc = _clean("\n".join(teaser + ARTICLE))
    assert teaser[2] not in doc.text and all(line in doc.text for line in ARTICLE[3:])


def test_the_article_continues_after_a_related_box():
    continuation = ["The operator said the corridor would carry more rail freight from the container terminals to the ports next year as volumes rise."]
    doc = _clean("\n".join(ARTICLE + ["Related", "Storm floods coastal villages"] + continuation))
    assert continuation[0] in doc.text


def test_spillover_reason_carries_the_topic():
    sri_lanka = [
        "Latest",
        "Blasts hit churches in Sri Lanka",
        "A series of blasts hit churches and hotels in Colombo, Sri Lanka, on Easter Sunday, Sri Lankan police said on the same day.",
    ]
    doc = _clean("\n".join(ARTICLE + sri_lanka))
    reason = next(b.reason for b in doc.blocks if b.text == sri_lanka[2])
    assert reason.endswith("; topic=Sri Lanka")
