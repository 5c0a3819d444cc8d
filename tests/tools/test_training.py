import importlib
import sys
from pathlib import Path

import numpy as np
import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))
training = importlib.import_module("training")


def test_line_labels_follow_the_gold_text():
    gold = "Council approves budget\nThe council approved the new budget on Tuesday after a long debate about schools."
    lines = ["Home", "Council approves budget", "the new budget on Tuesday", "Share this", "Budget"]
    assert training.line_labels(lines, gold) == [0, 1, 1, 0, 0]


def test_snippet_labels_leave_other_lines_unlabelled():
    lines = ["Menu", "The council approved the new budget on Tuesday.", "Subscribe to our newsletter", "Contact"]
    labels, labelled = training.snippet_labels(lines, ["approved the new budget"], ["Subscribe to our newsletter"])
    assert labels == [0, 1, 0, 0] and labelled == [False, True, True, False]


def test_every_page_weighs_one():
    gold = training.Gold("scrapinghub", "x", Path("x"), "https://example.com/a", "The council approved the budget on Tuesday.")
    y, w = training.labels_and_weights(["Menu", "The council approved the budget on Tuesday."], gold)
    assert y.tolist() == [0, 1] and w.sum() == pytest.approx(1.0)


def test_folds_group_pages_by_site():
    assert training.site_of("https://www.Example.com/news/1") == "example.com"
    assert training.site_of("http://blog.example.com/x") == "blog.example.com"
    assert training.fold_of("example.com", 5) == training.fold_of("example.com", 5) in range(5)


def test_export_gives_the_classifiers_probabilities():
    sklearn = pytest.importorskip("sklearn.ensemble")
    from pipeline.boilerplate.trees import TreeEnsemble

    features = [f"f{i}" for i in range(4)]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 4))
    y = (x[:, 0] + 0.5 * x[:, 3] > 0).astype(int)
    model = sklearn.HistGradientBoostingClassifier(max_iter=20, max_depth=3).fit(x, y)
    ours = TreeEnsemble.from_dict(training.export(model, features), features)
    assert np.abs(ours.predict(x) - model.predict_proba(x)[:, 1]).max() < 1e-9
