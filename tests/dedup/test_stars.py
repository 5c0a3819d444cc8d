"""Star rounds find the same components as the in-process ones, on random graphs and on long paths."""
import numpy as np
import pytest

from pipeline.dedup.clusters import components
from pipeline.dedup.stars import Stars, settle
from pipeline.engine import LocalEngine


def star_components(tmp_path, edges: np.ndarray, partitions: int, senders: int = 3) -> dict[int, int]:
    """node -> its component's smallest node, by star rounds over `partitions`."""
    stars = Stars(tmp_path, partitions)
    for sender, chunk in enumerate(np.array_split(edges, senders)):
        stars.add(chunk[:, 0], chunk[:, 1], sender)
    last = settle(stars, LocalEngine(1))
    found = {}
    for p in range(partitions):
        nodes, roots = stars.roots(last, p)
        found |= dict(zip(nodes.tolist(), roots.tolist()))
    return found


def expected(edges: np.ndarray) -> dict[int, int]:
    nodes = np.unique(edges)
    labels = components(len(nodes), np.searchsorted(nodes, edges))
    smallest = {}
    for node, label in zip(nodes.tolist(), labels.tolist()):
        smallest.setdefault(label, node)  # nodes ascending: the first is the smallest
    return {node: smallest[label] for node, label in zip(nodes.tolist(), labels.tolist())}


@pytest.mark.parametrize("seed, partitions", [(0, 1), (1, 3), (2, 7), (3, 2)])
def test_random_graphs(tmp_path, seed, partitions):
    rng = np.random.default_rng(seed)
    nodes = rng.choice(10**12, size=300, replace=False)  # gids are large and sparse
    edges = nodes[rng.integers(0, len(nodes), size=(250, 2))]
    edges = edges[edges[:, 0] != edges[:, 1]]
    assert star_components(tmp_path, edges, partitions) == expected(edges)


@pytest.mark.parametrize("order", ["ascending", "shuffled"])
def test_a_long_path_is_one_component(tmp_path, order):
    nodes = np.arange(2_000, dtype=np.int64) * 7
    if order == "shuffled":
        nodes = np.random.default_rng(5).permutation(nodes)
    edges = np.stack([nodes[:-1], nodes[1:]], axis=1)
    found = star_components(tmp_path, edges, partitions=4)
    assert set(found.values()) == {0} and len(found) == 2_000


def test_repeated_edges_and_stars_already_settled(tmp_path):
    edges = np.array([[5, 1], [1, 5], [1, 9], [20, 30], [30, 20]])
    assert star_components(tmp_path, edges, partitions=2) == {1: 1, 5: 1, 9: 1, 20: 20, 30: 20}
