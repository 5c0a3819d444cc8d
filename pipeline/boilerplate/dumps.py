"""Text dumps: the page's paragraphs judged by the chrome rules and the text line model together.

Hard-wrapped lines are first joined into paragraphs (`pipeline.paragraphs`);
each paragraph gets the chrome rule it meets on its own (`lines.judge`), then
the line model (`text_model`) weighs that with the paragraph's shape and
surroundings, and each page keeps the paragraphs it scores above
`text_threshold` (a fixed threshold: on real dumps, cross-validated by site, it
beat the HTML stage's adaptive cut on ScrapingHub and trafilatura's set), except
lines of the rules in ALWAYS_REMOVED and ad-script residue. A removed line carries the rule it met (`boilerplate.prompt`, ...) or, when
no rule did, `boilerplate.text_model`. With `text_model = false` the rules
alone decide, with their context pass (`lines.classify_lines`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.boilerplate import lines as rules
from pipeline.boilerplate.text_model import load_model, unit_features
from pipeline.config import BoilerplateConfig
from pipeline.document import BOILERPLATE, Block
from pipeline.paragraphs import paragraphs
from pipeline.text import WORD, words

MODEL_REASON = "boilerplate.text_model"
HEADLINE_LOOKBACK = 5  # paragraphs above the first kept one searched for its headline
TITLE_SHARE = 0.6
STANDFIRST_WORDS = 60  # a standfirst between a headline and its byline is a sentence or two  # share of a headline's words that the page's first line (its title) repeats
# Rules whose lines go whatever the model says: on the real text dumps they hold 2-20% of the gold's words, and
# removing them outright cost nothing there (cross-validated by site) while it halved chrome left on the dev set.
# Ad-script residue goes too; other code-like lines are often content (documentation), so the model decides.
ALWAYS_REMOVED = frozenset({rules.NOTICE, rules.MARKER, rules.TEMPLATE, rules.PROMPT, rules.DATE_COUNT, rules.BYLINE})


def classify_text(blocks: list[Block], config: BoilerplateConfig, templates: frozenset[int] = frozenset(),
                  stops: frozenset[str] | None = None) -> None:
    """Label the chrome among a text dump's `blocks` (in place); `stops`: the page's stopwords, when known."""
    if not blocks:
        return
    if not config.text_model:
        rules.classify_lines(blocks, config, False, templates, stops)
        return
    page = read_units([b.text for b in blocks], config, templates, stops)
    scores = load_model(config.text_model_file or None).predict(page.features)
    for unit, reason in zip(page.units, choose_units(page, scores, config)):
        if reason is not None:
            for i in unit:
                blocks[i].remove(BOILERPLATE, reason)


@dataclass
class Units:
    """A text dump as the model sees it: paragraphs (groups of line positions), their texts, rules and features."""

    units: list[list[int]]
    texts: list[str]
    found: list[str | None]  # the chrome rule each paragraph meets on its own
    features: np.ndarray


def read_units(texts: list[str], config: BoilerplateConfig, templates: frozenset[int] = frozenset(),
               stops: frozenset[str] | None = None) -> Units:
    """The page's paragraphs with their rules and model features."""
    tokens = [WORD.findall(t.lower()) for t in texts]
    stops = rules.page_stopwords(texts) if stops is None else stops
    units = paragraphs(texts, stops)
    unit_texts = [texts[unit[0]] if len(unit) == 1 else " ".join(texts[i] for i in unit) for unit in units]
    unit_tokens = [tokens[unit[0]] if len(unit) == 1 else [w for i in unit for w in tokens[i]] for unit in units]
    analysis, found = rules.judge(unit_texts, config, templates, stops=stops, tokens=unit_tokens)
    prose = [rule is None and rules.is_prose(f, config) for f, rule in zip(analysis, found)]
    features = unit_features(unit_texts, [len(u) for u in units], analysis, found, prose)
    return Units(units, unit_texts, found, features)


def choose_units(page: Units, scores: np.ndarray, config: BoilerplateConfig) -> list[str | None]:
    """Per paragraph, None when it is kept, else the reason it is removed."""
    keep = scores > config.text_threshold
    reasons: list[str | None] = []
    for kept, rule, text in zip(keep.tolist(), page.found, page.texts):
        if kept and rule not in ALWAYS_REMOVED and not (rule == rules.CODE and rules.is_ad_script(text)):
            reasons.append(None)
        else:
            reasons.append(f"boilerplate.{rule}" if rule else MODEL_REASON)
    if config.headline:
        restore_headline(page, reasons)
    return reasons


def restore_headline(page: Units, reasons: list[str | None]) -> None:
    """Keep the article's header: the nearest headline-like paragraph a few above the first kept one, and the
    standfirst under it, which the model dropped, when a byline or date stands between them and the article or the
    headline repeats the page's title."""
    first = next((k for k, r in enumerate(reasons) if r is None), None)
    if first is None:
        return
    dated, standfirst = False, None
    for k in range(first - 1, max(first - HEADLINE_LOOKBACK, 0) - 1, -1):
        rule = page.found[k]
        if rule in (None, rules.SHORT) and rules.is_headline_like(page.texts[k]):
            if dated or (k > 0 and _repeats_title(page.texts[k], page.texts[0])):
                for j in (k, standfirst):
                    if j is not None:
                        reasons[j] = None
            return
        if rule is None and standfirst is None and len(page.texts[k].split()) <= STANDFIRST_WORDS:
            standfirst = k
        elif rule not in (rules.SHORT, rules.BYLINE, rules.DATE_COUNT, rules.PROMPT):
            return
        dated = dated or rule in (rules.BYLINE, rules.DATE_COUNT)


def _repeats_title(text: str, title: str) -> bool:
    own, theirs = set(words(text)), set(words(title))
    return len(own & theirs) >= TITLE_SHARE * len(own)
