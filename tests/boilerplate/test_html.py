import numpy as np

from trafilatura.utils import load_html

from pipeline.boilerplate.dom import ATTRIBUTE_BITS, TAG_BITS, PageLine
from pipeline.boilerplate.html import (
    ABOVE_REASON, COMMENT_REASON, EXTRACTOR_REASON, MODEL_REASON, REPEAT_REASON, Page, choose_lines, covered, extract_html,
    keep_out, page_kind, restore_headline,
)
from pipeline.config import BoilerplateConfig
from tests.conftest import ARTICLE, html_page


def _lines(*texts: str) -> list[PageLine]:
    return [PageLine(t, 0, 0, 0, 1, 0) for t in texts]


def test_chrome_lines_are_kept_as_removed_blocks_with_the_models_reason():
    result = extract_html(html_page(ARTICLE[0], ARTICLE[3:]), None)
    labels = [(b.text, b.label, b.reason) for b in result.blocks]
    assert ("Home News Sport", "boilerplate", MODEL_REASON) in labels
    assert labels[-1] == ("Copyright 2024 Example News. All rights reserved.", "boilerplate", MODEL_REASON)
    main = [b.text for b in result.blocks if b.is_main]
    assert main == [ARTICLE[0]] + ARTICLE[3:]  # the headline (title and h1) stays with the article
    assert result.title == ARTICLE[0] and result.extracted


def test_the_headline_just_above_the_content_is_restored():
    lines = _lines("Other story", "Council passes budget", "Menu", "Body one.", "Body two.")
    page = Page(lines, [False] * 5, "Council passes budget", None, None)
    keep = [False, False, False, True, True]
    restore_headline(page, keep)
    assert keep == [False, True, False, True, True]


def test_without_the_model_trafilaturas_lines_decide():
    result = extract_html(html_page(ARTICLE[0], ARTICLE[3:]), None, BoilerplateConfig(html_model=False))
    main = [b.text for b in result.blocks if b.is_main]
    assert main[-4:] == ARTICLE[3:] and "Home News Sport" not in main
    assert {b.reason for b in result.blocks if not b.is_main} == {EXTRACTOR_REASON}


def test_covered_finds_lines_whole_or_inside_a_longer_line():
    lines = _lines("Menu", "First paragraph here.", "and a linked phrase inside", "Footer")
    kept = "First paragraph here.\nA sentence with and a linked phrase inside it."
    assert covered(lines, kept) == [False, True, True, False]


def test_covered_counts_a_repeated_line_once_next_to_the_rest_of_the_extraction():
    # The article's headline above it and a teaser of it below: only the article itself was extracted.
    lines = _lines("Council passes budget", "Menu", "Council passes budget", "The council passed it on Monday.",
                   "Taxes stay as they are.", "Related", "Council passes budget", "The council passed it on Monday.")
    kept = "Council passes budget\nThe council passed it on Monday.\nTaxes stay as they are."
    assert covered(lines, kept) == [False, False, True, True, True, False, False, False]


def test_covered_finds_table_cells_in_the_rows_the_extractor_wrote():
    lines = _lines("Player", "Plays", "Ward", "63", "Garrett", "57", "Share", "63")
    kept = "| Player | Plays |\n| Ward | 63 |\n| Garrett | 57 |"
    assert covered(lines, kept) == [True, True, True, True, True, True, False, False]


def test_covered_keeps_the_reading_order():
    # The extractor's text holds both lines, but only one order can be aligned: the longer line wins.
    lines = _lines("A short closing note.", "The long opening paragraph of the article, with many words in it.")
    kept = "The long opening paragraph of the article, with many words in it.\nA short closing note."
    assert covered(lines, kept) == [False, True]


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


def test_choose_lines_adaptive_or_by_fixed_threshold():
    lines = _lines("Menu", "A first paragraph of the story.", "A second paragraph.")
    page = Page(lines, [False, True, True], None, None, None)
    scores = np.array([0.1, 0.45, 0.4])
    assert choose_lines(page, scores, BoilerplateConfig()) == [MODEL_REASON, None, None]
    assert choose_lines(page, scores, BoilerplateConfig(html_adaptive=False)) == [MODEL_REASON] * 3
    # The floor: a line scored 0.25 or less is never kept, however unsure the page.
    assert choose_lines(page, np.array([0.1, 0.2, 0.2]), BoilerplateConfig()) == [MODEL_REASON] * 3


def test_a_repeated_content_line_keeps_only_its_best_scored_copy_but_code_repeats():
    texts = ["Why prices rose", "Intro paragraph of the piece.", "Why prices rose", "The body explains it.", "}", "}"]
    lines = [PageLine(t, 0, TAG_BITS["code"] if t == "}" else 0, 0, 1, 0) for t in texts]
    page = Page(lines, [True] * 6, None, None, None)
    scores = np.array([0.7, 0.9, 0.95, 0.9, 0.8, 0.8])
    assert choose_lines(page, scores, BoilerplateConfig()) == [REPEAT_REASON, None, None, None, None, None]
    assert choose_lines(page, scores, BoilerplateConfig(html_drop_repeats=False)) == [None] * 6


def test_covered_follows_a_long_table_of_repeated_cells():
    # Each cell's words occur hundreds of times in the extractor's text; the places tried follow the alignment.
    cells = [str(i % 3) for i in range(600)]
    assert covered(_lines(*cells, "Footer 1"), " ".join(cells)) == [True] * 600 + [False]


def test_page_kind_from_schema_org_then_open_graph():
    def kind(head: str) -> str:
        return page_kind(load_html(f"<html><head>{head}</head><body><p>x</p></body></html>"))

    assert kind('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x"}</script>') == "article"
    assert kind('<script type="application/ld+json">{"@type": ["Product"]}</script><meta property="og:type" content="article">') == "product"
    assert kind('<script type="application/ld+json">{"@type": "DiscussionForumPosting"}</script>') == "forum"
    assert kind('<meta property="og:type" content="website">') == "website"
    assert kind("") == "unknown"


def test_what_trafilatura_left_out_on_purpose_stays_out():
    comment = ATTRIBUTE_BITS["comment"]
    body = [PageLine(f"Paragraph {i} of the article, " + "with enough words in it to count. " * 3, 0, 0, 0, 1, 0) for i in range(6)]
    teasers = [PageLine(f"Teaser {i} of another story with a summary of it.", 0, 0, 0, 1, 0) for i in range(4)]
    replies = [PageLine("A reader's comment on the article, longer than a line.", 0, 0, comment, 1, 0)]
    lines = teasers + body + replies
    extracted = [False] * 4 + [True] * 6 + [False]
    keep = [True] * len(lines)
    dropped = keep_out(Page(lines, extracted, None, None, None, "article"), keep)
    # Teasers well above the article trafilatura found (the two just above it may be its lead), and comments.
    assert dropped == {0: ABOVE_REASON, 1: ABOVE_REASON, 10: COMMENT_REASON}
    assert keep == [False, False, True, True] + [True] * 6 + [False]
    # A forum's replies are its content.
    keep = [True] * len(lines)
    assert 10 not in keep_out(Page(lines, extracted, None, None, None, "forum"), keep)
