"""What the line models compute over a whole page at once: character classes, window means, distances, runs."""
from __future__ import annotations

import numpy as np


def window_mean(values: np.ndarray, radius: int) -> np.ndarray:
    """Mean of each value and the `radius` values on either side (zeros past the page's ends).

    `values` may be a matrix: each column is averaged down its rows.
    """
    pad = np.zeros((radius + 1,) + values.shape[1:])
    sums = np.cumsum(np.concatenate([pad, values, pad[:radius]]), axis=0)
    return (sums[2 * radius + 1:] - sums[: -2 * radius - 1]) / (2 * radius + 1)


def shifted(values: np.ndarray, step: int) -> np.ndarray:
    """Each row's neighbour `step` rows on (1: the next, -1: the previous), zeros past the ends."""
    out = np.zeros_like(values)
    if step > 0:
        out[:-step] = values[step:]
    else:
        out[-step:] = values[:step]
    return out


def distance_to_true(flags: np.ndarray) -> np.ndarray:
    """Lines to the nearest flagged line (the page's length when none is flagged)."""
    n = len(flags)
    idx = np.flatnonzero(flags)
    if not len(idx):
        return np.full(n, float(n))
    positions = np.arange(n)
    right = np.searchsorted(idx, positions)
    after = idx[np.minimum(right, len(idx) - 1)]
    before = idx[np.maximum(right - 1, 0)]
    return np.minimum(np.abs(after - positions), np.abs(positions - before)).astype(float)


def runs(flags: np.ndarray, gap: int) -> list[tuple[int, int, int]]:
    """Runs of flagged lines as (first line, last line, flagged lines in it), gaps of up to `gap` lines bridged."""
    idx = np.flatnonzero(flags)
    if not len(idx):
        return []
    breaks = np.flatnonzero(np.diff(idx) > gap + 1)
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [len(idx) - 1]])
    return [(int(idx[s]), int(idx[e]), int(e - s + 1)) for s, e in zip(starts, ends)]


def character_counts(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per text: capitalized words, digits and punctuation/symbol characters, counted over code points at once.

    Letters are ASCII letters and every code point from U+00C0 up (other scripts);
    capitals are Latin, Greek and Cyrillic upper case; symbols are ASCII punctuation,
    Latin-1 signs and the general punctuation, currency, arrow and shape blocks.
    """
    code = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32)
    classes = _CLASSES[np.minimum(code, len(_CLASSES) - 1)]
    word_start = classes & _UPPER
    word_start[1:] &= ~classes[:-1] >> 1  # not right after a word character
    starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    flags = (word_start, (classes >> 2) & 1, (classes >> 3) & 1)  # capital word starts, digits, symbols
    return tuple(np.add.reduceat(f.astype(np.int64), starts).astype(float) for f in flags)


def _character_classes() -> np.ndarray:
    """A bit mask per code point up to U+2BFF (higher ones are letters of other scripts)."""
    code = np.arange(0x2C01)
    upper = ((code >= 65) & (code <= 90)) | ((code >= 0xC0) & (code <= 0xDE) & (code != 0xD7))
    upper |= ((code >= 0x391) & (code <= 0x3A9)) | ((code >= 0x400) & (code <= 0x42F))
    word = ((code >= 48) & (code <= 57)) | ((code | 32) >= 97) & ((code | 32) <= 122) | (code >= 0xC0) | (code == 95)
    digit = (code >= 48) & (code <= 57)
    punct = ((code >= 33) & (code <= 47)) | ((code >= 58) & (code <= 64)) | ((code >= 91) & (code <= 96)) | ((code >= 123) & (code <= 126))
    symbol = punct | ((code >= 0xA1) & (code <= 0xBF)) | ((code >= 0x2010) & (code <= 0x2BFF))
    symbol[-1] = False  # the last entry stands for every code point past the table: letters
    word[-1] = True
    return (upper * _UPPER | word * _WORD | digit * _DIGIT | symbol * _SYMBOL).astype(np.uint8)


_UPPER, _WORD, _DIGIT, _SYMBOL = 1, 2, 4, 8
_CLASSES = _character_classes()
