from pipeline.document import BOILERPLATE, Block
from pipeline.segment.segments import is_headline, page_paragraphs, split_segments
from pipeline.text import stopwords

BODY = "The council approved the new budget on Monday after a long debate about schools and roads."


def _blocks(*items):
    """Strings are kept lines; ('x',) tuples are removed lines."""
    return [Block(i[0], BOILERPLATE, "boilerplate.short") if isinstance(i, tuple) else Block(i) for i in items]


def _split(blocks):
    return split_segments(blocks, page_paragraphs(blocks))


def test_is_headline():
    assert is_headline("Storm floods coastal villages")
    assert not is_headline("The storm flooded coastal villages.")
    assert not is_headline("")


def test_paragraphs_are_runs_of_adjacent_kept_lines_with_hard_wraps_joined():
    blocks = _blocks("The council approved the new budget on Monday after the", "debate about schools and roads.", ("ad",), BODY)
    assert [p.lines for p in page_paragraphs(blocks, stopwords("English"))] == [[0, 1], [3]]


def test_a_marker_before_a_paragraph_starts_a_segment():
    blocks = _blocks("Budget passes", BODY, BODY, ("Latest",), "Storm floods villages", BODY)
    segments = _split(blocks)
    assert [s.lines for s in segments] == [[0, 1, 2], [4, 5]]
    assert segments[1].marker == "Latest" and not segments[1].header and segments[1].opening == 4


def test_a_headline_with_its_own_byline_starts_a_segment_but_a_subheading_does_not():
    blocks = _blocks("Budget passes", BODY, "What it means for schools", BODY, "Storm floods villages", ("By Jane Doe",), BODY)
    segments = _split(blocks)
    assert [s.lines for s in segments] == [[0, 1, 2, 3], [4, 6]]
    assert segments[1].header


def test_a_byline_after_a_marker_marks_an_article_whose_headline_was_removed():
    blocks = _blocks(BODY, BODY, ("Latest",), ("Storm floods villages",), ("Published",), ("March 3, 2021",), BODY, BODY)
    (first, appended) = _split(blocks)
    assert appended.marker == "Latest" and appended.header


def test_an_island_behind_a_long_run_of_removed_lines_with_a_marker():
    blocks = _blocks(BODY, BODY, ("Selected Articles",), *[(f"teaser {i}",) for i in range(12)], BODY)
    (_, island) = _split(blocks)
    assert island.island and island.marker is None


def test_teaser_lists_and_snippets():
    (teasers,) = _split(_blocks("Storm floods villages", "Rivers burst their banks.", "Rail fares rise", "Fares go up in May."))
    assert teasers.teasers
    (article,) = _split(_blocks("Budget passes", *[BODY] * 4))
    assert not article.teasers and not article.is_snippet
    (snippet,) = _split(_blocks(BODY))
    assert snippet.is_snippet


def test_no_kept_blocks_no_segments():
    assert _split(_blocks(("x",), ("y",))) == []


def test_a_teaser_list_whose_first_headline_was_removed():
    blocks = _blocks(BODY, BODY, ("More on this story",), ("Storm floods villages",), "Rivers burst their banks overnight.",
                     "Rail fares rise", "Fares go up in May.", ("Schools reopen",), "Pupils return on Monday.")
    (_, teasers) = _split(blocks)
    assert teasers.marker == "More on this story" and teasers.teasers
