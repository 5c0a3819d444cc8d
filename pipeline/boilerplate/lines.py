"""Line classifier for text dumps: each line is main text or chrome, with the rule that decided.

Two passes, after jusText (Pomikálek, "Removing Boilerplate and Duplicate
Content from Web Corpora", 2011): first each line is judged on its own
features (length, sentence punctuation, stopword density, code and link
tokens, dates and counts, prompt vocabulary, repetition in the page), then a
context pass restores headlines that lead into prose and short lines that
sit between prose lines.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.config import BoilerplateConfig
from pipeline.document import BOILERPLATE, Block
from pipeline.boilerplate.templates import key_hash
from pipeline.language import detect
from pipeline.text import WORD, normalize

# Rules, in the order they are tried. The reason stored on a block is "boilerplate.<rule>".
CODE, LINK, DATE_COUNT, NOTICE, MARKER, PROMPT, NAV, BYLINE, TEMPLATE, REPEATED, SHORT, NO_SENTENCE = (
    "code", "link", "date_count", "notice", "marker", "prompt", "nav", "byline", "template", "repeated", "short", "no_sentence",
)
# Lines removed by these weak rules may come back in the context pass.
RESTORABLE = {SHORT}

_SENTENCE_MARKS = tuple(".!?…。！？")
_CLOSERS = "\"'”’»)]"
_CLAUSE_MARKS = (":", ";", ",")
_CODE = re.compile(
    r"\b(?:window|document)\.\w|\|\|\s*\[\]|\.push\s*\(|\bfunction\s*\(|\b(?:var|let|const)\s+\w+\s*="
    r"|adsbygoogle|googlesyndication|googletag|datalayer|gtag\s*\(|_taboola|fbq\s*\(|__\w+__"
    r"|</?(?:script|div|span|style|iframe|ins)\b|[{;]\s*[\w-]+\s*:\s*[^;{}]+;|^\s*[{}]|^\s*\[\s*(?:[{\"\]]|\d+\s*,)|[{}]\s*$",
    re.I,
)
# Ad and tracking scripts that leak into page text: never content, whatever surrounds them.
_AD_SCRIPT = re.compile(r"adsbygoogle|googlesyndication|googletag|datalayer|gtag\s*\(|_taboola|fbq\s*\(|doubleclick|amazon-adsystem", re.I)
_CODE_CHARS = set("{}[]();=<>\\$^~`")
# The ad-network names every `_CODE` pattern without a code symbol, '_' or '|' holds.
_CODE_NAMES = ("google", "datalayer")
_DROP_CODE_CHARS = str.maketrans("", "", "".join(_CODE_CHARS))
_URLISH = re.compile(r"^(?:https?://|www\.|//)|^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:[/?#:]|\d|$)", re.I)
_SEPARATOR_CHARS = "|•·»›/"
_SEPARATORS = re.compile(r"\s[|•·»›/]\s|\s\|\s?|^\|")
_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun"
).split()
_COUNT_WORDS = set(_MONTHS) | set(
    "am pm gmt utc est edt cet ago min mins minute minutes hr hrs hour hours h d day days week weeks "
    "month months year years yr yrs s m sec views view reads read comments comment shares share likes "
    "like replies reply votes min read updated published posted on at reading time".split()
)
_TIME_WORDS = set(_MONTHS) | set("am pm gmt utc est edt cet ago updated published posted".split())
# Prompts that sites put around articles. Generic web vocabulary, matched on short lines only.
_PROMPT = re.compile(
    r"\b(?:subscrib\w*|newsletters?|sign (?:up|in)|log ?in|register|donat\w+|patreon|paypal|"
    r"support (?:us|our|the)|cookies?|privacy (?:policy|settings)|terms (?:of|and) (?:use|service|conditions)|"
    r"all rights reserved|copyright|powered by|follow us|like us|join us|click (?:here|to)|"
    r"read (?:more|next|also)|also read|continue reading|keep reading|leave a (?:reply|comment)|"
    r"comments?|advertis\w+|sponsored|related (?:articles|posts|stories|news)|most (?:read|popular|viewed)|"
    r"recent posts|trending|your email|email address|notify me|share (?:this|on|via)|tweet|"
    r"whatsapp|telegram|facebook|twitter|instagram|youtube|linkedin|pinterest|rss|podcast|"
    r"download (?:the|our) app|skip to|back to top|previous (?:post|article)|next (?:post|article))\b|©",
    re.I,
)
# Consent and legal notices run to long sentences; matched on lines of any length up to a paragraph.
_NOTICE = re.compile(
    r"\b(?:(?:we|this (?:site|website)) uses? cookies|cookies? (?:policy|settings|consent)|consent to (?:the use|our use|cookies)|"
    r"(?:store|access) (?:and/or access )?information on (?:a|your) device|personali[sz]ed (?:ads|advertising|content)|"
    r"privacy policy|terms of (?:use|service)|all rights reserved|(?:may|might) earn (?:a )?(?:commission|money)|affiliate links?|"
    r"opinions? expressed (?:in|here)|do(?:es)? not necessarily (?:reflect|represent)|not responsible for the content of external|"
    r"first appeared on|originally (?:published|appeared) (?:on|in|at))\b",
    re.I,
)
# Every _NOTICE pattern contains one of these words: lines without any skip the pattern.
_NOTICE_WORDS = frozenset(
    "cookie cookies consent device information personalised personalized privacy terms reserved earn affiliate "
    "opinion opinions necessarily responsible appeared originally".split()
)
# What a lowercased line needs for `_may_be_code` or `_is_notice` to pass: a cheap test before computing its
# features (searched in the lowercased text: half the time of a case-blind search).
_MAY_BE_CODE_OR_NOTICE = re.compile(
    "[" + re.escape("".join(sorted(_CODE_CHARS))) + r"_|]|" + "|".join(_CODE_NAMES) + r"|\b(?:" + "|".join(sorted(_NOTICE_WORDS)) + r")\b"
)
# Short lines that introduce other content: the segment stage reads them as article boundaries.
MAX_MARKER_WORDS = 6
_MARKER = re.compile(
    r"^(?:latest(?: news| stories| posts)?|recent(?: posts| articles| stories)?|related(?: articles| posts| stories| news| content)?"
    r"|read (?:more|next|also)|more (?:from|in|on|stories|news)\b.*|most (?:read|popular|viewed|shared|recent)|popular(?: now| posts)?"
    r"|trending(?: now| stories)?|selected articles\b.*|you (?:may|might) also (?:like|enjoy)|recommended(?: for you| reading| stories)?"
    r"|(?:next|previous) (?:post|article|story)|continue reading|up next|top stories|editors? picks|promoted(?: stories| content)?"
    r"|sponsored(?: stories| content)?|in other news|also (?:in|on) .*|see also|(?:from )?around the web|from the web|what to read next|don t miss)$"
)
_LEAD_IN = re.compile(
    r"^(?:related|see also|also read|read also|read more|more|watch|listen|recommended|opinion|tags?|topics?|filed under|"
    r"categor(?:y|ies)|about the author|image|photo|picture|video|source|credit)(?: source| credit| caption)?\s*[:|»›>,-]"
    r"|^via\b|^\((?:photo|image|picture|pictured)\b|\bgetty images\b|\b(?:photo|image)s? (?:by|credit|courtesy)\b",
    re.I,
)
# What a line needs for `_LEAD_IN` to match: one of these first words (or an opening parenthesis), or a credit word.
_LEAD_IN_FIRST = frozenset(
    "related see also read more watch listen recommended opinion tag tags topic topics filed category categories about "
    "image photo picture pictured video source credit via".split()
)
_LEAD_IN_ANYWHERE = frozenset("getty photo photos image images".split())
_PROMPT_PREFIXES = tuple(
    "subscrib newsletter sign log register donat patreon paypal support cookie privacy terms all copyright powered "
    "follow like join click read also continue keep leave comment advertis sponsored related most recent trending "
    "your email notify share tweet whatsapp telegram facebook twitter instagram youtube linkedin pinterest rss "
    "podcast download skip back previous next".split()
)
_IMPERATIVE = re.compile(r"^(?:follow|like|join|share|subscribe|sign|donate|support|get|download|listen|watch|tell|email)\b", re.I)
_BYLINE_WORDS = frozenset("by posted published written updated reported author".split())

HEADLINE_MIN_WORDS, HEADLINE_MAX_WORDS = 3, 20
HEADLINE_LOOKBACK = 5


@dataclass(slots=True)
class LineFeatures:
    tokens: list[str]  # lowercased words
    key: str  # normalized text, for repetition and templates
    n_words: int
    sentence_end: bool
    stopword_ratio: float
    code_ratio: float


def classify_lines(blocks: list[Block], config: BoilerplateConfig, extracted: bool = False, templates: frozenset[int] = frozenset(),
                   stops: frozenset[str] | None = None) -> None:
    """Label the chrome among `blocks` (in place) as boilerplate with its rule: the rules alone, no model.

    `extracted`: an HTML extractor already chose these lines from the page's
    structure, so only script residue, notices and site templates are removed;
    the other rules cost recall there without gaining precision (measured on
    the ScrapingHub benchmark). `templates`: hashes of lines that recur across
    the run's pages (see `templates.TemplateCounter`). `stops`: the page's stopwords, when already known.
    """
    if not blocks:
        return
    if extracted:
        _classify_extracted(blocks, config, templates)
        return
    features, rules = judge([b.text for b in blocks], config, templates, [b.reason for b in blocks], stops)
    restore_context([b.text for b in blocks], features, rules, config)
    for block, rule in zip(blocks, rules):
        if rule is not None and block.is_main:
            block.remove(BOILERPLATE, f"boilerplate.{rule}")


def judge(texts: list[str], config: BoilerplateConfig, templates: frozenset[int] = frozenset(),
          known: list[str | None] | None = None, stops: frozenset[str] | None = None,
          tokens: list[list[str]] | None = None) -> tuple[list[LineFeatures], list[str | None]]:
    """Each line's features and the first chrome rule it meets on its own (None: none).

    `known[i]`, when given and not None, is a reason line i already has: it is kept as the line's rule.
    `stops` and `tokens` (each line's lowercased words): the page's stopwords and words, when already known.
    """
    tokens = tokens or [WORD.findall(t.lower()) for t in texts]
    stops = page_stopwords(texts) if stops is None else stops
    features = [line_features(text, stops, t) for text, t in zip(texts, tokens)]
    counts = Counter(f.key for f in features)
    known = known or [None] * len(texts)
    rules = [line_rule(text, f, counts[f.key], config) if k is None else k for text, f, k in zip(texts, features, known)]
    if templates:
        rules = [TEMPLATE if r is None and k is None and key_hash(f.key) in templates else r for r, k, f in zip(rules, known, features)]
    return features, rules


def _classify_extracted(blocks: list[Block], config: BoilerplateConfig, templates: frozenset[int]) -> None:
    """Lines an HTML extractor kept: only script residue, notices and site templates go."""
    for block in blocks:
        if not block.is_main or not (templates or _MAY_BE_CODE_OR_NOTICE.search(block.text.lower())):
            continue
        f = line_features(block.text, frozenset(), with_key=bool(templates))
        if _code_like(block.text, f, config):
            rule = CODE
        elif _is_notice(block.text, f):
            rule = NOTICE
        elif templates and key_hash(f.key) in templates:
            rule = TEMPLATE
        else:
            continue
        block.remove(BOILERPLATE, f"boilerplate.{rule}")


def page_stopwords(texts: list[str]) -> frozenset[str]:
    """The stopwords of the page's language."""
    return detect(texts).stopwords


def line_features(text: str, stops: frozenset[str], tokens: list[str] | None = None, with_key: bool = True) -> LineFeatures:
    """`with_key` false: leave `key` empty (normalizing non-ASCII text is the costly part)."""
    tokens = WORD.findall(text.lower()) if tokens is None else tokens
    n = len(tokens)
    if not with_key:
        key = ""
    else:
        key = " ".join(tokens) if text.isascii() else normalize(text)  # equal to normalize() for ASCII text
    return LineFeatures(
        tokens=tokens,
        key=key,
        n_words=n,
        sentence_end=text.rstrip(_CLOSERS).endswith(_SENTENCE_MARKS),
        stopword_ratio=sum(map(stops.__contains__, tokens)) / n if n else 0.0,
        code_ratio=(len(text) - len(text.translate(_DROP_CODE_CHARS))) / len(text) if text else 0.0,
    )


def line_rule(text: str, f: LineFeatures, occurrences: int, config: BoilerplateConfig) -> str | None:
    """The first chrome rule a line meets on its own, or None for text."""
    if _code_like(text, f, config):
        return CODE
    pieces = text.split()
    # Every URL-like piece holds a '.' or '/': too few of them and the line cannot be mostly links.
    if pieces and (text.count(".") + text.count("/")) * 2 >= len(pieces):
        if sum(bool(_URLISH.search(p)) for p in pieces) * 2 >= len(pieces):
            return LINK
    if f.n_words == 0:
        return SHORT
    if f.n_words < 12 and all(t.isdigit() or t in _COUNT_WORDS for t in f.tokens):
        return DATE_COUNT
    if _is_notice(text, f):
        return NOTICE
    if f.n_words <= 2 * MAX_MARKER_WORDS and _is_marker_key(f.key):  # n_words: a cheap bound on the key's words
        return MARKER
    if f.n_words <= 25 and ((_may_be_prompt(text, f) and _PROMPT.search(text)) or _is_lead_in(text, f) or (f.n_words <= 12 and _IMPERATIVE.search(text) and not f.sentence_end)):
        return PROMPT
    separators = len(_SEPARATORS.findall(text)) if any(c in text for c in _SEPARATOR_CHARS) else 0
    if separators >= 2 and f.n_words / (separators + 1) <= 4:
        return NAV
    if f.n_words <= 15 and not f.sentence_end and _starts_with_word(text, f, _BYLINE_WORDS):
        return BYLINE
    if occurrences > 1 and f.n_words < 30:
        return REPEATED
    if f.n_words < config.min_words:
        return SHORT
    if not f.sentence_end and not (text.rstrip(_CLOSERS).endswith(_CLAUSE_MARKS) and f.n_words >= config.min_words):
        if f.n_words < config.min_sentence_words:
            return SHORT
    if f.n_words >= 6 and f.stopword_ratio < config.min_stopword_ratio:
        return NO_SENTENCE
    return None


def is_dateline(text: str) -> bool:
    """A byline or a date ("By Jane Doe", "March 3, 2021 - 261 views", "Published on", "3 hours ago"): an article's header.

    A lone number ("$349+", "12") is a price or a count, not a date.
    """
    f = line_features(text, frozenset(), with_key=False)
    if 0 < f.n_words < 12 and all(t.isdigit() or t in _COUNT_WORDS for t in f.tokens):
        return any(t in _TIME_WORDS for t in f.tokens) or sum(t.isdigit() for t in f.tokens) >= 2
    return f.n_words <= 15 and not f.sentence_end and _starts_with_word(text, f, _BYLINE_WORDS)


def _starts_with_word(text: str, f: LineFeatures, vocabulary: frozenset[str]) -> bool:
    """The line begins (no leading punctuation) with one of these words."""
    return bool(f.tokens) and f.tokens[0] in vocabulary and text[: len(f.tokens[0])].lower() == f.tokens[0]


def _may_be_prompt(text: str, f: LineFeatures) -> bool:
    """Cheap pre-check: every `_PROMPT` alternative starts with one of `_PROMPT_PREFIXES`, or is '©'."""
    return "©" in text or any(t.startswith(_PROMPT_PREFIXES) for t in f.tokens)


def _is_lead_in(text: str, f: LineFeatures) -> bool:
    """A caption, credit or 'Related:'-style lead-in (a cheap word check first, then the pattern)."""
    if not f.tokens or not (f.tokens[0] in _LEAD_IN_FIRST or text.startswith("(") or not _LEAD_IN_ANYWHERE.isdisjoint(f.tokens)):
        return False
    return bool(_LEAD_IN.search(text))


def _code_like(text: str, f: LineFeatures, config: BoilerplateConfig) -> bool:
    """Script, style or data residue: a code pattern, or dense code symbols with braces, '=' or ');'
    (brackets and parentheses alone are citations, lists and asides, not code)."""
    if not _may_be_code(text, f):
        return False
    if _CODE.search(text):
        return True
    return f.code_ratio > config.max_code_ratio and f.n_words < 40 and ("{" in text or "}" in text or "=" in text or ");" in text)


def _may_be_code(text: str, f: LineFeatures) -> bool:
    """Cheap pre-check: every `_CODE` pattern needs a code symbol, '_', '|', or one of a few ad-network names."""
    if f.code_ratio > 0 or "_" in text or "|" in text:
        return True
    lowered = text.lower()
    return _CODE_NAMES[0] in lowered or _CODE_NAMES[1] in lowered  # not any(...): this runs on every line


def is_ad_script(text: str) -> bool:
    """Residue of an ad or tracking script (`(adsbygoogle = window.adsbygoogle || []).push({});`)."""
    return bool(_AD_SCRIPT.search(text))


def is_marker(text: str) -> bool:
    """A short line that introduces other content ("Latest", "More from X", "Continue reading")."""
    return _is_marker_key(normalize(text))


def _is_marker_key(key: str) -> bool:
    """`is_marker` on an already normalized line."""
    return 0 < len(key.split()) <= MAX_MARKER_WORDS and bool(_MARKER.match(key))


def _is_notice(text: str, f: LineFeatures) -> bool:
    """A consent or legal notice, up to a paragraph long (a cheap word check first, then the pattern)."""
    return f.n_words <= 80 and not _NOTICE_WORDS.isdisjoint(f.tokens) and bool(_NOTICE.search(text))


def is_prose(f: LineFeatures, config: BoilerplateConfig) -> bool:
    return f.n_words >= config.min_sentence_words or (f.sentence_end and f.n_words >= 8)


def restore_context(texts: list[str], features: list[LineFeatures], rules: list[str | None], config: BoilerplateConfig) -> None:
    """Bring back headlines leading into prose, and short lines between prose lines (in `rules`, in place)."""
    n = len(texts)
    for i in range(n):
        if rules[i] is not None or not is_prose(features[i], config):
            continue
        for j in range(i - 1, max(-1, i - 1 - HEADLINE_LOOKBACK), -1):
            if rules[j] is None:
                break
            if rules[j] in RESTORABLE and _is_headline(texts[j], features[j]):
                rules[j] = None
                break
    for i in range(1, n - 1):
        if (
            rules[i] in RESTORABLE
            and features[i].n_words >= HEADLINE_MIN_WORDS
            and rules[i - 1] is None
            and rules[i + 1] is None
            and is_prose(features[i - 1], config)
            and is_prose(features[i + 1], config)
        ):
            rules[i] = None


def _is_headline(text: str, f: LineFeatures) -> bool:
    return HEADLINE_MIN_WORDS <= f.n_words <= HEADLINE_MAX_WORDS and not text.endswith((".", ":", ";", ","))


def is_headline_like(text: str) -> bool:
    """Three to twenty words without closing punctuation, not a byline or date: a title."""
    return _is_headline(text, line_features(text, frozenset(), with_key=False)) and not is_dateline(text)
