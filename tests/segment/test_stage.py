from pipeline.config import SegmentConfig
from pipeline.document import BOILERPLATE, KEPT, SPILLOVER, Block, Document
from pipeline.segment import SegmentStage

BODY = [
    "Freight volumes on the new northern rail corridor rose sharply in the first quarter, the operator said on Tuesday.",
    "The corridor links the inland container terminals with the coastal ports and cuts transit times for freight by two days.",
    "Operators expect rail freight volumes to keep rising as more container terminals connect to the corridor next year.",
]
OTHER = [
    "Heavy rain caused rivers to burst their banks overnight, flooding dozens of coastal villages and forcing families out.",
    "Emergency crews used boats to rescue residents while the weather service warned of more storms and rain this weekend.",
]


def _doc(*items, title=None):
    """Strings are kept lines; ('x',) tuples are lines the boilerplate stage removed."""
    blocks = [Block(i[0], BOILERPLATE, "boilerplate.short") if isinstance(i, tuple) else Block(i) for i in items]
    return Document(id="1", source="a.txt", title=title, blocks=blocks)


def _segment(doc):
    return list(SegmentStage(SegmentConfig()).run([doc]))[0]


def _spilled(doc):
    return [b.text for b in doc.blocks if b.label == SPILLOVER]


def test_an_appended_article_set_off_by_a_marker_with_its_own_header_is_spillover():
    doc = _segment(_doc("Rail freight rises", *BODY, ("Latest",), "Storm floods coastal villages", ("By John Roe",), *OTHER))
    assert _spilled(doc) == ["Storm floods coastal villages", *OTHER]
    reason = doc.blocks[-1].reason
    assert reason.startswith("segment.other_article: set off by 'Latest' and opens with its own headline and byline; topic=")
    assert doc.status == KEPT and all(line in doc.text for line in BODY)


def test_an_article_with_sections_stays_whole_whatever_their_topics():
    doc = _segment(_doc("Rail freight rises", *BODY, "Weather", *OTHER, "Outlook", BODY[0]))
    assert _spilled(doc) == []


def test_the_article_goes_on_after_a_related_box():
    doc = _segment(_doc("Rail freight rises", *BODY, ("Related",), ("Storm floods coastal villages",), *OTHER, BODY[1]))
    assert _spilled(doc) == []


def test_a_list_of_teasers_after_a_marker_is_spillover():
    doc = _segment(_doc(*BODY, ("More from Example News",), "Storm floods villages", OTHER[0], "Rail fares rise", OTHER[1]))
    assert _spilled(doc) == ["Storm floods villages", OTHER[0], "Rail fares rise", OTHER[1]]
    assert "is a list of teasers" in doc.blocks[-1].reason


def test_a_teaser_set_off_before_the_article_is_spillover_but_the_articles_standfirst_stays():
    teaser = _doc(("Most Read",), ("Storm floods villages",), OTHER[0], ("3 hours ago",), *BODY)
    assert _spilled(_segment(teaser)) == [OTHER[0]]
    standfirst = "Rail freight volumes rose sharply on the new corridor to the container terminals."
    own = _doc(("Latest",), ("Rail freight rises",), standfirst, ("By Jane Doe",), ("Published",), *BODY)
    assert _spilled(_segment(own)) == []


def test_the_article_is_the_one_the_title_names():
    doc = _segment(_doc("Storm news", *OTHER, OTHER[0], ("Latest",), "Rail freight rises", ("March 3, 2021",), *BODY, title="Rail freight rises | Example"))
    assert _spilled(doc) == []  # the storm text before it has no marker: it is not set off as another article
    assert doc.text.endswith(BODY[-1])


def test_a_small_island_after_a_long_run_of_other_content_is_spillover():
    doc = _segment(_doc(*BODY, BODY[0], ("Selected Articles",), *[(f"Teaser {i}",) for i in range(12)], OTHER[0]))
    assert _spilled(doc) == [OTHER[0]]


def test_short_pages_and_pages_without_cues_are_untouched():
    assert _spilled(_segment(_doc("Short page", "Two lines only."))) == []
    assert _spilled(_segment(_doc(*BODY, *OTHER))) == []


def test_unextracted_html_is_an_error():
    doc = Document(id="1", source="a.html", content_type="text/html", html="<p>x</p>")
    out = _segment(doc)
    assert out.status == "error" and "run the boilerplate stage first" in out.reason


def test_spillover_reason_carries_the_topic():
    sri_lanka = [
        "A series of blasts hit churches and hotels in Colombo, Sri Lanka, on Easter Sunday, Sri Lankan police said on the same day.",
        "Sri Lankan officials said the attacks on churches and hotels in Colombo and Negombo killed many people.",
    ]
    doc = _segment(_doc(*BODY, ("Latest",), "Blasts hit churches in Sri Lanka", ("April 21, 2019",), *sri_lanka))
    assert doc.blocks[-1].reason.endswith("; topic=Sri Lanka")


def test_warm_up_loads_what_the_first_page_would_pay_for():
    from pipeline.config import SegmentConfig
    from pipeline.language import _identifier
    from pipeline.segment import SegmentStage
    from pipeline.segment.topics import _english_stemmer

    SegmentStage(SegmentConfig()).warm_up()
    assert _identifier.cache_info().currsize == 1 and _english_stemmer.cache_info().currsize == 1
