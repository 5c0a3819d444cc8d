"""Shared text helpers: word tokens, normalization for hashing, stopwords by language.

Stopword lists are jusText's (about 100 languages); a page's language comes
from `pipeline.language`.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import justext
import snowballstemmer

WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w\s]+", re.UNICODE)

DEFAULT_LANGUAGE = "English"


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
def _stoplists() -> dict[str, frozenset[str]]:
    return {lang: frozenset(justext.get_stoplist(lang)) for lang in sorted(justext.get_stoplists())}


def stopwords(language: str) -> frozenset[str]:
    """jusText's stopwords for a language name (`English`, `German`, ...); English for a name it lacks."""
    lists = _stoplists()
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
