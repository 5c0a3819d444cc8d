"""Shared text helpers: word tokens, normalization for hashing, stopwords by language.

Stopword lists are jusText's (about 100 languages); a page's language is the
list that covers most of its tokens.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

import justext
import snowballstemmer

WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w\s]+", re.UNICODE)

DEFAULT_LANGUAGE = "English"
ENGLISH_SHORTCUT = 0.25


def words(text: str) -> list[str]:
    """Lowercased word tokens (`\\w+` runs)."""
    return WORD.findall(text.lower())


def word_key(text: str) -> str:
    """The lowercased word tokens joined by single spaces: how HTML lines are compared."""
    return " ".join(words(text))


def normalize(text: str) -> str:
    """Canonical form for comparing and hashing text: NFKC, lowercase, no punctuation, single spaces."""
    text = (text if text.isascii() else unicodedata.normalize("NFKC", text)).lower()
    return _SPACE.sub(" ", _NON_WORD.sub(" ", text)).strip()


@lru_cache(maxsize=1)
def _stoplists() -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
    lists = {lang: frozenset(justext.get_stoplist(lang)) for lang in sorted(justext.get_stoplists())}
    index: dict[str, list[str]] = {}
    for lang, words_ in lists.items():
        for w in words_:
            index.setdefault(w, []).append(lang)
    return lists, {w: tuple(langs) for w, langs in index.items()}


def detect_language(tokens: list[str]) -> str:
    """The jusText stoplist language covering most tokens (English when nothing matches).

    Fast path: when English stopwords make up a quarter of the tokens, no other
    stoplist covers more (they share few words with English), so it is English.
    """
    lists, index = _stoplists()
    counts = Counter(tokens)
    english = lists[DEFAULT_LANGUAGE]
    if tokens and sum(n for t, n in counts.items() if t in english) >= ENGLISH_SHORTCUT * len(tokens):
        return DEFAULT_LANGUAGE
    hits: Counter[str] = Counter()
    for token, count in counts.items():
        for lang in index.get(token, ()):
            hits[lang] += count
    if not hits:
        return DEFAULT_LANGUAGE
    best = max(hits.values())
    if hits[DEFAULT_LANGUAGE] == best:
        return DEFAULT_LANGUAGE
    return min(lang for lang, n in hits.items() if n == best)


def stopwords(language: str) -> frozenset[str]:
    lists, _ = _stoplists()
    return lists.get(language, lists[DEFAULT_LANGUAGE])


@lru_cache(maxsize=16)
def stemmer(language: str):
    """A Snowball stemmer for a jusText language name, or None where Snowball has no algorithm for it."""
    name = language.lower()
    if name not in snowballstemmer.algorithms():
        return None
    stem = snowballstemmer.stemmer(name).stemWord
    return lru_cache(maxsize=65536)(stem)


def stems(tokens: list[str], language: str) -> list[str]:
    """The tokens reduced to their stems (unchanged for a language without a stemmer)."""
    stem = stemmer(language)
    return [stem(t) for t in tokens] if stem else list(tokens)
