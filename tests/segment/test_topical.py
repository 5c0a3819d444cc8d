from pipeline.segment.topical import topic_boundaries


def test_boundary_between_two_vocabularies():
    a = [["rail", "freight", "port", "container"], ["freight", "rail", "terminal"], ["port", "container", "rail"]]
    b = [["storm", "flood", "river", "village"], ["river", "flood", "rain"], ["storm", "rain", "village"]]
    assert topic_boundaries(a + b) == [3]
    assert topic_boundaries(a) == []


def test_a_higher_penalty_finds_fewer_boundaries_and_trivial_inputs_none():
    units = [["a", "b"], ["c", "d"], ["a", "b"], ["c", "d"]]
    assert len(topic_boundaries(units, penalty=10)) <= len(topic_boundaries(units, penalty=0.1))
    assert topic_boundaries([]) == [] and topic_boundaries([["x"]]) == [] and topic_boundaries([[], []]) == []
