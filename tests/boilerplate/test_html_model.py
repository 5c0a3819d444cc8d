import numpy as np
import pytest

from pipeline.boilerplate.dom import PageLine
from pipeline.boilerplate.html_model import FEATURES, TreeEnsemble, _distance_to_true, _window_mean, default_model, line_features


def _line(text: str, link_chars: int = 0) -> PageLine:
    return PageLine(text, link_chars, tags=0, attributes=0, depth=3, opener=0)


def test_features_describe_text_links_and_the_extractors_choice():
    lines = [_line("Newsletter", 10), _line("The council approved the new budget on Tuesday, the mayor said."), _line("Contact us")]
    x = line_features(lines, [False, True, False], title=None)
    assert x.shape == (3, len(FEATURES))
    col = {name: x[:, i] for i, name in enumerate(FEATURES)}
    assert list(col["link_ratio"]) == [1.0, 0.0, 0.0]
    assert list(col["extracted"]) == [0.0, 1.0, 0.0]
    assert list(col["sentence_end"]) == [0.0, 1.0, 0.0]
    assert col["stopword_ratio"][1] > 0.3 and col["stopword_ratio"][0] == 0.0
    assert list(col["log_gap_to_extracted"]) == list(np.log1p([1, 0, 1]))
    assert line_features([], [], None).shape == (0, len(FEATURES))


def test_window_mean_and_distance():
    assert list(_window_mean(np.array([0.0, 3.0, 0.0, 0.0]), 1)) == [1.0, 1.0, 1.0, 0.0]
    assert list(_distance_to_true(np.array([0, 0, 1, 0, 0, 0, 1.0]))) == [2, 1, 0, 1, 2, 1, 0]
    assert list(_distance_to_true(np.zeros(2))) == [2, 2]


def _stump(feature: int, threshold: float, left: float, right: float) -> dict:
    """One tree: the root splits on `feature`; leaves 1 (left) and 2 (right)."""
    return {"feature": [feature, -1, -1], "threshold": [threshold, 0, 0], "left": [1, 0, 0], "right": [2, 0, 0], "value": [0, left, right]}


def test_tree_ensemble_adds_leaf_values_to_the_baseline():
    trees = [_stump(0, 0.5, -1.0, 1.0), _stump(1, 2.0, 0.5, -0.5)]
    data = {"features": FEATURES, "baseline": 0.25, "depth": 1}
    data |= {key: [t[key] for t in trees] for key in trees[0]}
    model = TreeEnsemble.from_dict(data)
    x = np.zeros((2, len(FEATURES)))
    x[0, :2] = [0.0, 1.0]  # left, left: 0.25 - 1 + 0.5
    x[1, :2] = [1.0, 3.0]  # right, right: 0.25 + 1 - 0.5
    assert model.predict(x) == pytest.approx(1 / (1 + np.exp(-np.array([-0.25, 0.75]))))


def test_a_model_trained_on_other_features_is_refused():
    with pytest.raises(ValueError, match="retrain"):
        TreeEnsemble.from_dict({"features": ["something else"], "baseline": 0, "depth": 1})


def test_the_shipped_model_loads_and_predicts_probabilities():
    lines = [_line("Menu", 4)] + [_line(f"Paragraph {i} of the story says what happened and why it matters to readers.") for i in range(5)]
    p = default_model().predict(line_features(lines, [False] + [True] * 5, None))
    assert p.shape == (6,) and ((p >= 0) & (p <= 1)).all()
    assert p[1:].mean() > 0.5 > p[0]
