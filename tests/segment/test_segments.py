from pipeline.document import BOILERPLATE, Block
from pipeline.segment.segments import is_headline, split_segments


def _blocks(*items):
    """Strings are kept lines; ('x',) tuples are removed lines."""
    return [Block(i[0], BOILERPLATE, "boilerplate.short") if isinstance(i, tuple) else Block(i) for i in items]


def test_is_headline():
    assert is_headline("Storm floods coastal villages")
    assert not is_headline("The storm flooded coastal villages.")
    assert not is_headline("")


def test_headline_after_prose_starts_a_segment_and_leads_it():
    blocks = _blocks("Title one", "Body one.", ("Latest",), "Title two", "Second title line", "Body two.")
    assert split_segments(blocks, min_gap=3) == [[0, 1], [3, 4, 5]]


def test_small_gap_inside_prose_does_not_split_but_a_long_one_does():
    blocks = _blocks("Body one.", ("ad",), "Body two.", ("a",), ("b",), ("c",), "Body three.")
    assert split_segments(blocks, min_gap=3) == [[0, 2], [6]]


def test_no_kept_blocks_no_segments():
    assert split_segments(_blocks(("x",), ("y",)), min_gap=3) == []
