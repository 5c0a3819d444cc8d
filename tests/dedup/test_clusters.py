import numpy as np

from pipeline.dedup.clusters import components, containment, representatives, verify


def test_components_group_transitively():
    labels = components(6, np.array([[0, 3], [3, 5], [1, 4]]))
    groups = {}
    for i, label in enumerate(labels):
        groups.setdefault(label, []).append(i)
    assert sorted(groups.values()) == [[0, 3, 5], [1, 4], [2]]


def test_representative_has_highest_priority_then_smallest_id():
    labels = np.array([0, 0, 0, 1])
    priority = np.array([10.0, 30.0, 30.0, 5.0])
    ids = np.array(["c", "b", "a", "d"], dtype=object)
    assert representatives(labels, priority, ids).tolist() == [2, 2, 2, 3]


def test_containment_estimate_of_a_truncated_copy():
    # A = 40% of B: Jaccard 0.4, containment of A in B 1.0
    assert np.isclose(containment(np.array([0.4]), np.array([40]), np.array([100]))[0], 1.0)
    assert np.isclose(containment(np.array([0.0]), np.array([40]), np.array([100]))[0], 0.0)


def test_verify_keeps_similar_or_contained_pairs():
    sigs = np.array([[1, 2, 3, 4], [1, 2, 3, 9], [7, 8, 9, 10], [1, 2, 8, 9]], dtype=np.uint32)
    sizes = np.array([100, 100, 100, 40])
    pairs = np.array([[0, 1], [0, 2], [0, 3]])
    v = verify(pairs, sigs, sizes, jaccard_threshold=0.7, containment_threshold=0.9)
    assert v.pairs.tolist() == [[0, 1], [0, 3]]
    assert verify(pairs, sigs, sizes, 0.7, 0).pairs.tolist() == [[0, 1]]
