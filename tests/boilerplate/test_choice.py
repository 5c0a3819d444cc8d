import numpy as np

from pipeline.boilerplate.choice import best_f1_cut, keep_lines


def test_the_best_f1_cut_keeps_the_most_probable_lines_that_raise_expected_f1():
    words = np.array([10.0, 10.0, 10.0, 10.0])
    # A confident page: the doubtful line (0.3) would lower the expected F1, so it goes.
    assert best_f1_cut(np.array([0.95, 0.9, 0.3, 0.05]), words).tolist() == [True, True, False, False]
    # An unsure page: nothing reaches 0.5, but its likeliest lines are still the best bet.
    assert best_f1_cut(np.array([0.45, 0.4, 0.1, 0.05]), words).tolist() == [True, True, False, False]
    assert best_f1_cut(np.zeros(0), np.zeros(0)).tolist() == []


def test_keep_lines_adaptive_with_a_floor_or_by_threshold():
    scores, words = np.array([0.45, 0.4, 0.2]), np.array([10.0, 10.0, 10.0])
    assert keep_lines(scores, words, True, 0.5, 0.25).tolist() == [True, True, False]
    assert keep_lines(scores, words, True, 0.5, 0.42).tolist() == [True, False, False]
    assert keep_lines(scores, words, False, 0.3, 0.25).tolist() == [True, True, False]
