import importlib
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
train = importlib.import_module("train_text_model")


def test_cross_validation_scores_the_text_the_stage_would_keep():
    from pipeline.boilerplate.dumps import read_units
    from pipeline.config import BoilerplateConfig

    lines = ["Subscribe to our newsletter", "Prices rose again in May, the statistics office said on Monday.", "Shops expect more."]
    page = {"units": read_units(lines, BoilerplateConfig()), "lines": lines}
    scores = np.array([0.9, 0.9, 0.3])
    # The prompt goes whatever its score; the last line is under the threshold.
    assert train.kept_text(page, scores, BoilerplateConfig()) == lines[1]
    assert train.kept_text(page, scores, BoilerplateConfig(text_threshold=0.2)) == "\n".join(lines[1:])
