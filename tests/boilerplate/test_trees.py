import json

import numpy as np
import pytest

from pipeline.boilerplate.trees import ModelError, TreeEnsemble, load_ensemble

FEATURES = ["a", "b"]


def _stump(feature: int, threshold: float, left: float, right: float) -> dict:
    """One tree: the root splits on `feature`; leaves 1 (left) and 2 (right)."""
    return {"feature": [feature, -1, -1], "threshold": [threshold, 0, 0], "left": [1, 0, 0], "right": [2, 0, 0], "value": [0, left, right]}


def _model() -> dict:
    trees = [_stump(0, 0.5, -1.0, 1.0), _stump(1, 2.0, 0.5, -0.5)]
    return {"features": FEATURES, "baseline": 0.25, "depth": 1} | {key: [t[key] for t in trees] for key in trees[0]}


def test_tree_ensemble_adds_leaf_values_to_the_baseline():
    model = TreeEnsemble.from_dict(_model(), FEATURES)
    x = np.array([[0.0, 1.0], [1.0, 3.0]])  # left, left: 0.25 - 1 + 0.5; right, right: 0.25 + 1 - 0.5
    assert model.predict(x) == pytest.approx(1 / (1 + np.exp(-np.array([-0.25, 0.75]))))
    assert model.predict(np.zeros((0, 2))).shape == (0,)


def test_a_model_trained_on_other_features_is_refused():
    with pytest.raises(ModelError, match="retrain"):
        TreeEnsemble.from_dict(_model(), ["something else"])


def test_model_files_load_once_and_bad_ones_are_a_clear_error(tmp_path):
    good = tmp_path / "model.json"
    good.write_text(json.dumps(_model()))
    assert load_ensemble(good, FEATURES) is load_ensemble(good, FEATURES)
    with pytest.raises(ModelError, match="does not exist"):
        load_ensemble(tmp_path / "missing.json", FEATURES)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ModelError, match="cannot be read"):
        load_ensemble(bad, FEATURES)
