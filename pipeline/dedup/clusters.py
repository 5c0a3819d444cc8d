"""Union-find over document indices, and the deterministic choice of a cluster's representative."""
from __future__ import annotations

from collections.abc import Callable, Sequence


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[int]]:
        """Clusters as sorted index lists, ordered by their first member."""
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return sorted(out.values())


def representative(members: Sequence[int], length: Callable[[int], int], ident: Callable[[int], str]) -> int:
    """The member with the longest clean text; ties go to the smallest id."""
    return min(members, key=lambda i: (-length(i), ident(i)))
