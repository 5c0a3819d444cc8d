import numpy as np

from pipeline.boilerplate.dumps import MODEL_REASON, choose_units, classify_text, read_units
from pipeline.boilerplate.text_model import FEATURES
from pipeline.config import BoilerplateConfig
from pipeline.document import Block
from tests.conftest import ARTICLE, CHROME, SPILLOVER, WRAPPED


def _classify(lines, config=BoilerplateConfig()):
    blocks = [Block(t) for t in lines]
    classify_text(blocks, config)
    return {b.text: (b.reason or "main") for b in blocks}


def test_the_article_stays_and_chrome_goes_with_the_rule_it_met():
    result = _classify(CHROME[:1] + ARTICLE + CHROME[1:3] + SPILLOVER + CHROME[3:])
    assert all(result[line] == "main" for line in ARTICLE[3:])
    assert result["(adsbygoogle = window.adsbygoogle || []).push({});"] == "boilerplate.code"
    assert result["Home | News | World | Business | Sport"] == "boilerplate.nav"
    assert result["March 3, 2021 - 261 views"] == "boilerplate.date_count"
    assert result["Latest"] == "boilerplate.marker"
    assert all(r.startswith("boilerplate.") for r in result.values() if r != "main")


def test_the_models_score_decides_but_some_rules_and_ad_scripts_always_go():
    lines = ["A line of text with no rule against it", "Subscribe to our newsletter", "x = compute(y);",
             "(adsbygoogle = window.adsbygoogle || []).push({});", "Another longer line of text, one with no rule against it at all."]
    page = read_units(lines, BoilerplateConfig())
    scores = np.array([0.9, 0.9, 0.9, 0.9, 0.1])
    assert choose_units(page, scores, BoilerplateConfig()) == [None, "boilerplate.prompt", None, "boilerplate.code", MODEL_REASON]
    # Below the threshold a line goes, with the weak rule it met ("short") as its reason.
    assert choose_units(page, scores, BoilerplateConfig(text_threshold=0.95))[0] == "boilerplate.short"


def test_hard_wrapped_paragraphs_are_judged_whole():
    page = read_units(WRAPPED, BoilerplateConfig())
    assert page.units == [[0, 1, 2], [3, 4], [5, 6]] and page.features.shape == (3, len(FEATURES))
    assert set(_classify(WRAPPED).values()) == {"main"}


def test_without_the_model_the_rules_decide():
    result = _classify(ARTICLE + CHROME, BoilerplateConfig(text_model=False))
    assert result[ARTICLE[3]] == "main" and result["Subscribe to our newsletter"] == "boilerplate.prompt"
    assert MODEL_REASON not in result.values()


def test_empty_input():
    blocks: list[Block] = []
    classify_text(blocks, BoilerplateConfig())
    assert blocks == []
