from pipeline.boilerplate.html import EXTRACTOR_REASON, align, extract_html, visible_text
from pipeline.document import Block
from tests.conftest import ARTICLE, html_page
from trafilatura.utils import load_html


def test_visible_text_has_one_line_per_block_and_no_scripts():
    tree = load_html("<html><head><script>var x = 1;</script></head><body><div>One <b>bold</b> line</div><p>Two</p><style>p{}</style></body></html>")
    lines = [l.strip() for l in visible_text(tree).splitlines() if l.strip()]
    assert lines == ["One bold line", "Two"]


def test_page_lines_trafilatura_dropped_are_kept_as_removed_blocks():
    result = extract_html(html_page(ARTICLE[0], ARTICLE[3:]), None, favor_precision=True)
    labels = [(b.text, b.label, b.reason) for b in result.blocks]
    assert ("Home News Sport", "boilerplate", EXTRACTOR_REASON) in labels
    assert labels[-1] == ("Copyright 2024 Example News. All rights reserved.", "boilerplate", EXTRACTOR_REASON)
    main = [b.text for b in result.blocks if b.is_main]
    assert main == [ARTICLE[0]] + ARTICLE[3:]  # the headline matching the title stays with the article
    assert result.title == ARTICLE[0]


def test_align_keeps_page_order_and_every_extracted_line():
    page = [Block(t) for t in ["Menu", "Para one.", "Ad", "Para two.", "Footer"]]
    kept = [Block("Para one."), Block("Para two.")]
    out = align(page, kept)
    assert [(b.text, b.is_main) for b in out] == [("Menu", False), ("Para one.", True), ("Ad", False), ("Para two.", True), ("Footer", False)]


def test_unparseable_html_gives_no_blocks():
    assert extract_html("", None, True).blocks == []
