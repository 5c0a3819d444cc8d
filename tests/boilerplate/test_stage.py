from pipeline.boilerplate import BoilerplateStage
from pipeline.config import BoilerplateConfig
from pipeline.document import HTML, KEPT, Document, split_blocks
from pipeline.stage import StageStats
from tests.conftest import ARTICLE, html_page


def test_html_goes_through_trafilatura_and_keeps_paragraphs():
    doc = Document(id="1", source="a.html", content_type=HTML, html=html_page(ARTICLE[0], ARTICLE[3:]))
    out = list(BoilerplateStage(BoilerplateConfig()).run([doc]))[0]
    assert out.status == KEPT and out.html is None
    assert out.title == ARTICLE[0]
    kept = [b.text for b in out.blocks if b.is_main]
    assert kept[-4:] == ARTICLE[3:]
    assert not any("All rights reserved" in t for t in kept)


def test_text_dump_chrome_is_removed_with_reasons(page_text):
    doc = Document(id="1", source="a.txt", blocks=split_blocks(page_text))
    stage = BoilerplateStage(BoilerplateConfig())
    stats = StageStats()
    out = list(stage.run([doc], stats))[0]
    removed = {b.text: b.reason for b in out.blocks if not b.is_main}
    assert removed["(adsbygoogle = window.adsbygoogle || []).push({});"] == "boilerplate.code"
    assert removed["March 3, 2021 - 261 views"] == "boilerplate.date_count"
    assert ARTICLE[3] in out.text and ARTICLE[0] in out.text
    assert stats.as_dict()["removed_by_reason"]["boilerplate.code"]["blocks"] == 1


def test_page_of_only_chrome_becomes_empty():
    doc = Document(id="1", source="a.txt", blocks=split_blocks("Home | News | Sport\nSubscribe now\nJune 1, 2020"))
    out = list(BoilerplateStage(BoilerplateConfig()).run([doc]))[0]
    assert out.status == "empty" and out.reason == "no main text left after boilerplate"


def test_html_without_article_is_empty_not_an_error():
    doc = Document(id="1", source="a.html", content_type=HTML, html="<html><body></body></html>")
    out = list(BoilerplateStage(BoilerplateConfig()).run([doc]))[0]
    assert out.status == "empty"


def test_stats_count_what_html_extraction_removed():
    doc = Document(id="1", source="a.html", content_type=HTML, html=html_page(ARTICLE[0], ARTICLE[3:]))
    stage = BoilerplateStage(BoilerplateConfig())
    stats = StageStats()
    list(stage.run([doc], stats))
    stats = stats.as_dict()
    assert stats["removed_by_reason"]["boilerplate.html_model"]["blocks"] >= 2
    assert stats["chars_removed"]["boilerplate"] > 0


def test_a_page_with_nothing_to_read_is_empty_with_no_language():
    from pipeline.document import HTML

    stage = BoilerplateStage(BoilerplateConfig())
    for html in ("", "<!-- only a comment -->", "<html><body>  </body></html>"):
        (out,) = stage.run([Document(id="x", source="a.html", content_type=HTML, html=html)])
        assert out.status == "empty" and out.language is None and out.language_score is None
