import numpy as np

from pipeline.boilerplate.dom import PageLine
from pipeline.boilerplate.html_model import FEATURES, PAGE_KINDS, line_features, load_model


def _line(text: str, link_chars: int = 0) -> PageLine:
    return PageLine(text, link_chars, tags=0, attributes=0, depth=3, opener=0)


def test_features_describe_text_links_the_extractors_choice_and_the_page_kind():
    lines = [_line("Newsletter", 10), _line("The council approved the new budget on Tuesday, the mayor said."), _line("Contact us")]
    x = line_features(lines, [False, True, False], title=None, kind="article")
    assert x.shape == (3, len(FEATURES))
    col = {name: x[:, i] for i, name in enumerate(FEATURES)}
    assert list(col["link_ratio"]) == [1.0, 0.0, 0.0]
    assert list(col["extracted"]) == [0.0, 1.0, 0.0]
    assert list(col["sentence_end"]) == [0.0, 1.0, 0.0]
    assert col["stopword_ratio"][1] > 0.3 and col["stopword_ratio"][0] == 0.0
    assert list(col["log_gap_to_extracted"]) == list(np.log1p([1, 0, 1]))
    assert list(col["page_article"]) == [1.0] * 3 and not any(col["page_forum"])
    assert line_features([], [], None).shape == (0, len(FEATURES))
    assert PAGE_KINDS[-1] == "unknown"


def test_the_shipped_model_loads_and_predicts_probabilities():
    lines = [_line("Menu", 4)] + [_line(f"Paragraph {i} of the story says what happened and why it matters to readers.") for i in range(5)]
    p = load_model().predict(line_features(lines, [False] + [True] * 5, None))
    assert p.shape == (6,) and ((p >= 0) & (p <= 1)).all()
    assert p[1:].mean() > 0.5 > p[0]
