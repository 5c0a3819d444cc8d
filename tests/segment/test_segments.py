from pipeline.document import BOILERPLATE, Block
from pipeline.config import SegmentConfig
from pipeline.segment.segments import is_headline, split_segments, structural_segments


def _blocks(*items):
    """Strings are kept lines; ('x',) tuples are removed lines."""
    return [Block(i[0], BOILERPLATE, "boilerplate.short") if isinstance(i, tuple) else Block(i) for i in items]


def test_is_headline():
    assert is_headline("Storm floods coastal villages")
    assert not is_headline("The storm flooded coastal villages.")
    assert not is_headline("")


def test_headline_after_prose_starts_a_segment_and_leads_it():
    blocks = _blocks("Title one", "Body one.", ("Latest",), "Title two", "Second title line", "Body two.")
    assert structural_segments(blocks, min_gap=3) == [[0, 1], [3, 4, 5]]


def test_small_gap_inside_prose_does_not_split_but_a_long_one_does():
    blocks = _blocks("Body one.", ("ad",), "Body two.", ("a",), ("b",), ("c",), "Body three.")
    assert structural_segments(blocks, min_gap=3) == [[0, 2], [6]]


def test_no_kept_blocks_no_segments():
    assert structural_segments(_blocks(("x",), ("y",)), min_gap=3) == []


def test_topical_pieces_split_running_text_at_a_change_of_topic():
    rail = [f"The rail freight corridor carried more container freight to the ports in week {i}." for i in range(6)]
    storm = [f"The storm flooded coastal villages and the rivers burst their banks on day {i}." for i in range(6)]
    (segment,) = split_segments(_blocks(*(rail + storm)), SegmentConfig())
    assert segment == list(range(12))
    assert segment.pieces == [list(range(6)), list(range(6, 12))]
    (single,) = split_segments(_blocks(*rail), SegmentConfig())
    assert single.pieces == [list(range(6))]
