from pipeline.dedup.clusters import UnionFind, representative


def test_union_find_groups_transitively():
    uf = UnionFind(6)
    uf.union(0, 3)
    uf.union(3, 5)
    uf.union(1, 4)
    assert uf.groups() == [[0, 3, 5], [1, 4], [2]]


def test_representative_is_longest_then_smallest_id():
    lengths = {0: 10, 1: 30, 2: 30}
    ids = {0: "c", 1: "b", 2: "a"}
    assert representative([0, 1, 2], lengths.get, ids.get) == 2
