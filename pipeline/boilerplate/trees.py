"""Gradient-boosted trees (Friedman, "Greedy function approximation", 2001) as plain arrays, for numpy inference.

The line models are trained with scikit-learn by the tools in `tools/` and
stored as JSON arrays; the pipeline itself needs only numpy to apply them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from collections.abc import Sequence

import numpy as np


class ModelError(ValueError):
    """A model file that cannot be used: missing, unreadable, or made for other features."""


@dataclass(frozen=True)
class TreeEnsemble:
    """Boosted binary trees, walked all at once: one numpy step per level.

    The nodes of all trees sit in flat arrays (tree t's node i at t * nodes + i);
    a leaf tests feature 0 against +inf and has itself as both children, so
    every walk can take `depth` steps without checking for leaves.
    """

    feature: np.ndarray  # flat: the feature each node tests
    threshold: np.ndarray  # go left when x <= threshold
    children: np.ndarray  # flat node index of the left (2i) and right (2i + 1) child of node i
    value: np.ndarray  # leaf values (already scaled by the learning rate)
    roots: np.ndarray  # flat index of each tree's root
    baseline: float
    depth: int

    @classmethod
    def from_dict(cls, data: dict, features: Sequence[str]) -> TreeEnsemble:
        """From the padded (trees, nodes) arrays the training tools write; -1 marks a leaf's feature.

        `features`: the columns the caller will pass, which must be those the model was trained on.
        """
        if list(data.get("features", [])) != list(features):
            raise ModelError("the model was trained on other features; retrain it with the tool in tools/")
        feature = np.array(data["feature"], dtype=np.int64)
        trees, nodes = feature.shape
        leaf = feature < 0
        offsets = (np.arange(trees) * nodes)[:, None]
        own = offsets + np.arange(nodes)[None, :]
        left = np.where(leaf, own, offsets + np.array(data["left"], dtype=np.int64))
        right = np.where(leaf, own, offsets + np.array(data["right"], dtype=np.int64))
        return cls(
            feature=np.where(leaf, 0, feature).ravel(),
            threshold=np.where(leaf, np.inf, np.array(data["threshold"], dtype=float)).ravel(),
            children=np.column_stack([left.ravel(), right.ravel()]).ravel(),
            value=np.array(data["value"], dtype=float).ravel(),
            roots=offsets.ravel(),
            baseline=float(data["baseline"]),
            depth=int(data["depth"]),
        )

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability that each row is main content."""
        if not len(x):
            return np.zeros(0)
        x = np.ascontiguousarray(x, dtype=float)
        row_starts = (np.arange(len(x)) * x.shape[1])[:, None]
        flat_x = x.ravel()
        node = np.broadcast_to(self.roots, (len(x), len(self.roots)))
        for _ in range(self.depth):
            right = flat_x[row_starts + self.feature[node]] > self.threshold[node]
            node = self.children[2 * node + right]
        score = self.baseline + self.value[node].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-score))


def load_ensemble(path: str | Path, features: Sequence[str]) -> TreeEnsemble:
    """A model file, read once per process (raises ModelError when it cannot be used)."""
    return _load(str(path), tuple(features))


@lru_cache(maxsize=8)
def _load(path: str, features: tuple[str, ...]) -> TreeEnsemble:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return TreeEnsemble.from_dict(data, features)
    except ModelError as e:
        raise ModelError(f"model '{path}': {e}") from None
    except FileNotFoundError:
        raise ModelError(f"model file '{path}' does not exist") from None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as e:
        raise ModelError(f"model file '{path}' cannot be read: {type(e).__name__}: {e}") from None
