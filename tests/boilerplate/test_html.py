from pipeline.boilerplate.dom import PageLine
from pipeline.boilerplate.html import EXTRACTOR_REASON, MODEL_REASON, Page, covered, extract_html, restore_headline
from tests.conftest import ARTICLE, html_page


def test_chrome_lines_are_kept_as_removed_blocks_with_the_models_reason():
    result = extract_html(html_page(ARTICLE[0], ARTICLE[3:]), None)
    labels = [(b.text, b.label, b.reason) for b in result.blocks]
    assert ("Home News Sport", "boilerplate", MODEL_REASON) in labels
    assert labels[-1] == ("Copyright 2024 Example News. All rights reserved.", "boilerplate", MODEL_REASON)
    main = [b.text for b in result.blocks if b.is_main]
    assert main == [ARTICLE[0]] + ARTICLE[3:]  # the headline (title and h1) stays with the article
    assert result.title == ARTICLE[0] and result.extracted


def test_the_headline_just_above_the_content_is_restored():
    lines = [PageLine(t, 0, 0, 0, 1, 0) for t in ["Other story", "Council passes budget", "Menu", "Body one.", "Body two."]]
    page = Page(lines, [False] * 5, "Council passes budget", None, None)
    keep = [False, False, False, True, True]
    restore_headline(page, keep)
    assert keep == [False, True, False, True, True]


def test_without_the_model_trafilaturas_lines_decide():
    result = extract_html(html_page(ARTICLE[0], ARTICLE[3:]), None, use_model=False)
    main = [b.text for b in result.blocks if b.is_main]
    assert main[-4:] == ARTICLE[3:] and "Home News Sport" not in main
    assert {b.reason for b in result.blocks if not b.is_main} == {EXTRACTOR_REASON}


def test_covered_finds_lines_whole_or_inside_a_longer_line():
    lines = [PageLine(t, 0, 0, 0, 1, 0) for t in ["Menu", "First paragraph here.", "and a linked phrase inside", "Footer"]]
    kept = "First paragraph here.\nA sentence with and a linked phrase inside it."
    assert covered(lines, kept) == [False, True, True, False]


def test_unparseable_html_gives_no_blocks():
    assert extract_html("", None).blocks == []


def test_a_page_trafilatura_keeps_whole_goes_to_the_text_classifier():
    paragraphs = [
        "Музей в старом городе открылся после ремонта, который продолжался почти три года.",
        "Посетители смогут увидеть новые залы, а также коллекцию картин из подвала музея.",
    ]
    result = extract_html("<html><body><article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>", None)
    assert not result.extracted  # the stage then runs the text-dump line classifier
    assert [b.text for b in result.blocks if b.is_main] == paragraphs
