"""Which of a page's lines to keep, from a line model's probabilities: the cut with the best expected F1."""
from __future__ import annotations

import numpy as np


def best_f1_cut(probabilities: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The lines to keep so that the expected F1 over the page's words is highest.

    With line i, of w_i words (`sizes`), content with probability p_i, keeping
    the set S scores about 2 * sum_S p_i w_i / (sum_S w_i + sum_all p_i w_i) in
    word F1; the best S is always a run of the most probable lines, so one pass
    over the lines sorted by probability finds it. In effect, a threshold of half the F1 the page
    can reach (Lipton, Elkan and Naryanaswamy, "Thresholding classifiers to
    maximize F1 score", 2014): lenient on pages the model is unsure of, where a
    fixed threshold keeps nothing, and strict where it is sure.
    """
    keep = np.zeros(len(probabilities), dtype=bool)
    if not len(probabilities):
        return keep
    order = np.argsort(-probabilities, kind="stable")
    expected = probabilities[order] * sizes[order]
    f1 = 2 * np.cumsum(expected) / (np.cumsum(sizes[order]) + expected.sum())
    keep[order[: int(np.argmax(f1)) + 1]] = True
    return keep


def keep_lines(probabilities: np.ndarray, sizes: np.ndarray, adaptive: bool, threshold: float, floor: float) -> np.ndarray:
    """The best-F1 cut, never below `floor` (`adaptive`), or else the lines scored above `threshold`."""
    if adaptive:
        return best_f1_cut(probabilities, sizes) & (probabilities > floor)
    return probabilities > threshold
