import importlib
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
train = importlib.import_module("train_html_model")


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
