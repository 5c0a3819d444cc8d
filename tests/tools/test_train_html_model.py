import importlib.util
from pathlib import Path

import numpy as np
import pytest

from pipeline.boilerplate.html_model import FEATURES, TreeEnsemble

_PATH = Path(__file__).resolve().parents[2] / "tools" / "train_html_model.py"
_spec = importlib.util.spec_from_file_location("train_html_model", _PATH)
train = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(train)


def test_line_labels_follow_the_gold_text():
    gold = "Council approves budget\nThe council approved the new budget on Tuesday after a long debate about schools."
    lines = ["Home", "Council approves budget", "the new budget on Tuesday", "Share this", "Budget"]
    assert train.line_labels(lines, gold) == [0, 1, 1, 0, 0]


def test_snippet_labels_leave_other_lines_unlabelled():
    lines = ["Menu", "The council approved the new budget on Tuesday.", "Subscribe to our newsletter", "Contact"]
    labels, labelled = train.snippet_labels(lines, ["approved the new budget"], ["Subscribe to our newsletter"])
    assert labels == [0, 1, 0, 0] and labelled == [False, True, True, False]


def test_export_gives_the_classifiers_probabilities():
    sklearn = pytest.importorskip("sklearn.ensemble")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, len(FEATURES)))
    y = (x[:, 0] + 0.5 * x[:, 3] > 0).astype(int)
    model = sklearn.HistGradientBoostingClassifier(max_iter=20, max_depth=3).fit(x, y)
    ours = TreeEnsemble.from_dict(train.export(model))
    assert np.abs(ours.predict(x) - model.predict_proba(x)[:, 1]).max() < 1e-9


def test_cross_validation_scores_the_text_the_stage_would_keep():
    from pipeline.boilerplate.dom import PageLine
    from pipeline.boilerplate.html import Page
    from pipeline.config import BoilerplateConfig

    texts = ["Menu", "Prices rose again.", "Prices rose again.", "Shops expect more."]
    page = {"page": Page([PageLine(t, 0, 0, 0, 1, 0) for t in texts], [False, True, True, True], None, None, None), "texts": texts}
    scores = np.array([0.1, 0.9, 0.8, 0.45])
    assert train._kept_text(page, scores, BoilerplateConfig()) == "Prices rose again.\nShops expect more."
    fixed = BoilerplateConfig(html_adaptive=False, html_drop_repeats=False)
    assert train._kept_text(page, scores, fixed) == "Prices rose again.\nPrices rose again."
