import numpy as np

from pipeline.boilerplate.neighbours import distance_to_true, runs, window_mean


def test_window_mean_pads_with_zeros():
    assert list(window_mean(np.array([0.0, 3.0, 0.0, 0.0]), 1)) == [1.0, 1.0, 1.0, 0.0]


def test_distance_to_the_nearest_flagged_line():
    assert list(distance_to_true(np.array([0, 0, 1, 0, 0, 0, 1.0]))) == [2, 1, 0, 1, 2, 1, 0]
    assert list(distance_to_true(np.zeros(2))) == [2, 2]


def test_runs_bridge_short_gaps():
    flags = np.array([1, 1, 0, 1, 0, 0, 0, 0, 1.0])
    assert runs(flags, 1) == [(0, 3, 3), (8, 8, 1)]
    assert runs(flags, 4) == [(0, 8, 4)]
    assert runs(np.zeros(3), 2) == []
