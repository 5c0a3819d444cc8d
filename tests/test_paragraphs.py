from pipeline.paragraphs import continues, paragraphs, wrap_width
from pipeline.text import stopwords
from tests.conftest import WRAPPED



def test_a_page_wrapped_at_a_width_is_joined_into_its_paragraphs():
    assert wrap_width(WRAPPED) is not None
    assert paragraphs(WRAPPED) == [[0, 1, 2], [3, 4], [5, 6]]


def test_whole_paragraphs_and_headlines_stay_apart():
    lines = [
        "Council approves budget",
        "The council approved the new budget on Monday after a long debate about school funding and road repairs.",
        "Council members said the plan would raise spending on schools by five percent while keeping taxes flat.",
        "Related stories",
    ]
    assert wrap_width(lines) is None
    assert paragraphs(lines) == [[0], [1], [2], [3]]


def test_a_line_ending_on_a_stopword_continues_into_a_lower_case_line():
    stops = stopwords("English")
    assert continues("The storm flooded the villages along the", "river overnight, officials said.", None, stops)
    # A list item ends on a content word: the next item, even in lower case, is not its continuation.
    assert not continues("meta tags that prevent search engines from indexing", "missing canonical links", None, stops)
    assert not continues("A finished sentence ends here.", "and this starts lower case", None, stops)
    assert not continues("Short line", "continues here", None, stops)


def test_list_items_and_empty_input():
    assert paragraphs([]) == []
    assert paragraphs(["• first item of a list that goes on", "• second item"]) == [[0], [1]]
