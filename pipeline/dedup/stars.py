"""Connected components spread over partitions, for graphs too large for one process.

Alternating large-star and small-star rounds (Kiveris, Lattanzi, Mirrokni, Rastogi and
Vassilvitskii, "Connected Components in MapReduce and Beyond", SoCC 2014): each round is
one pass over the edges, grouped by node, and O(log² n) rounds turn every component into
a star around its smallest node, long paths included. The edges live in files routed by
node (`pipeline.routes`), each edge once from each end; a job holds one partition's
edges, the caller only counts.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from pipeline.engine import Engine
from pipeline.routes import gather, route

EDGES = pa.schema([("node", pa.int64()), ("neighbour", pa.int64())])


@dataclass(frozen=True)
class Stars:
    """The rounds' files under `folder`: `round-<r>/<partition>/<sender>.arrow`."""

    folder: Path
    partitions: int

    def add(self, a: np.ndarray, b: np.ndarray, sender: int) -> None:
        """Edges a-b (as many as given, nodes are int64) into round 0."""
        self._send(0, np.concatenate([a, b]), np.concatenate([b, a]), sender)

    def round(self, r: int, partition: int) -> int:
        """Round `r` over this partition's nodes (large-star when `r` is even, small-star when odd), written as
        round r + 1; returns how many of its nodes are not yet a star's leaf or centre (0 everywhere: done)."""
        node, neighbour = self._edges(r, partition)
        group, nodes, least = _least(node, neighbour)
        smaller = neighbour < node
        below = np.bincount(group, weights=smaller, minlength=len(nodes))
        above = np.bincount(group, minlength=len(nodes)) - below
        unsettled = int(((below > 1) | ((below == 1) & (above > 0))).sum())
        to = least[group]
        if r % 2 == 0:  # large-star: every larger neighbour goes to the least of the neighbourhood
            a, b = neighbour[~smaller], to[~smaller]
        else:  # small-star: every smaller neighbour, and the node itself, go to the least of them
            move = smaller & (neighbour != to)
            a = np.concatenate([neighbour[move], nodes[least < nodes]])
            b = np.concatenate([to[move], least[least < nodes]])
        self._send(r + 1, np.concatenate([a, b]), np.concatenate([b, a]), partition)
        return unsettled

    def roots(self, r: int, partition: int) -> tuple[np.ndarray, np.ndarray]:
        """After the last round `r`: each node of this partition and its component's smallest node."""
        _, nodes, least = _least(*self._edges(r, partition))
        return nodes, least

    def _edges(self, r: int, partition: int) -> tuple[np.ndarray, np.ndarray]:
        t = gather(self.folder / f"round-{r}", partition, EDGES)
        pairs = np.unique(np.stack([t["node"].to_numpy(), t["neighbour"].to_numpy()], axis=1), axis=0) if t.num_rows else np.empty((0, 2), np.int64)
        return pairs[:, 0], pairs[:, 1]

    def _send(self, r: int, node: np.ndarray, neighbour: np.ndarray, sender: int) -> None:
        route(self.folder / f"round-{r}", pa.table({"node": node, "neighbour": neighbour}, schema=EDGES), node % self.partitions, sender)


def settle(stars: Stars, engine: Engine) -> int:
    """Run rounds until every component is a star around its smallest node; returns the round that holds the stars
    (a round over stars writes them again unchanged). Each round's files go once the next is written, but round 0's,
    the edges as given, from which a killed run starts again."""
    r = 0
    while True:
        unsettled = sum(engine.map(stars.round, ((r, p) for p in range(stars.partitions))))
        if r:
            shutil.rmtree(stars.folder / f"round-{r}", ignore_errors=True)
        r += 1
        if not unsettled:
            return r


def _least(node: np.ndarray, neighbour: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For sorted, unique pairs: each pair's node number, the nodes, and the least of each node and its neighbours."""
    if not len(node):
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64)
    first = np.concatenate([[True], node[1:] != node[:-1]])
    group = np.cumsum(first) - 1
    nodes = node[first]
    return group, nodes, np.minimum(nodes, neighbour[first])  # neighbours are sorted: the first is the least
