"""A page's language, told once per document and used by every stage: py3langid, its model in the package.

py3langid (a maintained fork of langid.py, Lui & Baldwin, ACL 2012: a naive
Bayes classifier over byte n-grams, 97 languages plus dialect classes) ships
its model inside the wheel, so nothing is downloaded. The page's prose lines
(four words or more) are classified, up to `SAMPLE_CHARS` characters of them:
chrome lines are short and often in English on a page that is not. The
result is an ISO 639-1 code with its probability; the stopword lists the line
rules and models read are jusText's list for that language (English where
jusText has none, as for Chinese, Japanese or Thai, where no stopword matches).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pipeline.document import Document
from pipeline.text import DEFAULT_LANGUAGE, WORD, stopwords

SAMPLE_CHARS = 1000  # enough for langid on prose; its cost grows with the distinct n-grams read
PROSE_WORDS = 4

# ISO 639-1 code (as py3langid gives it) -> jusText stoplist name.
JUSTEXT_NAMES = {
    "af": "Afrikaans", "an": "Aragonese", "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian", "bg": "Bulgarian",
    "bn": "Bengali", "br": "Breton", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "fy": "West_Frisian", "ga": "Irish", "gl": "Galician", "gu": "Gujarati",
    "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "ht": "Haitian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian",
    "ig": "Igbo", "is": "Icelandic", "it": "Italian", "jv": "Javanese", "ka": "Georgian", "kk": "Kazakh", "kn": "Kannada",
    "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin", "lb": "Luxembourgish", "lt": "Lithuanian", "lv": "Latvian",
    "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi", "ms": "Malay", "mt": "Maltese", "ne": "Nepali", "nl": "Dutch",
    "nn": "Norwegian_Nynorsk", "no": "Norwegian_Bokmal", "oc": "Occitan", "pl": "Polish", "pt": "Portuguese", "qu": "Quechua",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tk": "Turkmen", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "vo": "Volapuk", "wa": "Walloon", "yo": "Yoruba",
}  # fmt: skip


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1 (or 639-3 where there is none), as py3langid names it
    score: float  # its probability, 0 to 1

    @property
    def stopwords(self) -> frozenset[str]:
        return stopwords(JUSTEXT_NAMES.get(self.code, DEFAULT_LANGUAGE))


UNKNOWN = Language("", 0.0)  # no text to tell from: no language recorded, English stopwords


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def _sample(lines: Iterable[str]) -> list[str]:
    """The first lines up to SAMPLE_CHARS characters (the rest are not read)."""
    sample, size = [], 0
    for line in lines:
        sample.append(line)
        size += len(line) + 1
        if size >= SAMPLE_CHARS:
            break
    return sample


def detect(lines: list[str]) -> Language:
    """The language of a page's lines (from its prose lines, or all lines when none is prose)."""
    sample = _sample(line for line in lines if len(WORD.findall(line)) >= PROSE_WORDS) or _sample(lines)
    text = "\n".join(sample)[:SAMPLE_CHARS]
    if not text.strip():
        return UNKNOWN
    code, score = _identifier().classify(text)
    return Language(code, round(float(score), 4))


def language_of(doc: Document) -> Language:
    """The document's language as an earlier stage told it, else told now (from its main lines) and recorded."""
    if doc.language is None:
        found = detect([b.text for b in doc.blocks if b.is_main])
        record(doc, found)
        return found
    return Language(doc.language, doc.language_score or 0.0)


def record(doc: Document, found: Language) -> None:
    """Set the document's language columns (left empty when there was no text to tell it from)."""
    if found.code:
        doc.language, doc.language_score = found.code, found.score
