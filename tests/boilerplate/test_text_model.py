
from pipeline.boilerplate.dumps import read_units
from pipeline.boilerplate.text_model import FEATURES, load_model
from pipeline.config import BoilerplateConfig
from tests.conftest import ARTICLE

COMMENTS = ["12 Comments", "jane says:", "Great article, thanks for writing it up so clearly.", "bob says:", "I disagree with most of it."]


def _columns(lines):
    x = read_units(lines, BoilerplateConfig()).features
    return {name: x[:, i] for i, name in enumerate(FEATURES)}


def test_features_describe_shape_rules_and_place():
    lines = ["Home | News | Sport"] + ARTICLE + COMMENTS
    col = _columns(lines)
    assert len(col["log_words"]) == len(lines)
    assert col["rule_nav"][0] == 1 and col["rule_none"][4] == 1
    assert col["sentence_end"][4] == 1 and col["sentence_end"][0] == 0
    # The article's prose is the page's longest run; the comment section comes after it.
    assert col["in_longest_run"][4] == 1 and col["after_run"][-1] == 1
    assert col["comments_start"][len(ARTICLE) + 1] == 1 and col["in_comments"][-1] == 1
    assert col["comment_header"][len(ARTICLE) + 2] == 1
    assert col["position"][0] == 0 and col["position"][-1] == 1


def test_the_page_title_and_its_headline():
    lines = ["Rail freight volumes rise as new corridor opens | Example News"] + ARTICLE
    col = _columns(lines)
    assert col["title_overlap"][1] == 1.0 and col["is_anchor"][1] == 1 and col["before_anchor"][0] == 1


def test_the_shipped_model_keeps_prose_and_drops_chrome():
    lines = ["Home | News | Sport", "Subscribe to our newsletter"] + ARTICLE[3:] + ["Share this article", "Privacy policy"]
    p = load_model().predict(read_units(lines, BoilerplateConfig()).features)
    assert p.shape == (len(lines),) and ((p >= 0) & (p <= 1)).all()
    assert p[2:-2].min() > 0.5 > max(p[0], p[1], p[-2], p[-1])
    assert read_units([], BoilerplateConfig()).features.shape == (0, len(FEATURES))
