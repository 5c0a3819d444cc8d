"""Hard-wrapped text: which consecutive lines are pieces of one paragraph.

Wire stories, plain-text archives and pretty-printed pages break paragraphs
across lines at a fixed width. Judged line by line, each piece looks like a
headline or a fragment. Blocks stay one line each (the removed-text accounting
is per line); the classifiers and the segmenter judge these groups instead and
give every line of a group the same verdict.

A line continues into the next when it ends mid-sentence and either the page
is wrapped at a width and the line reaches it (a paragraph broken where the
line was full), or it ends on a word that cannot end a sentence (a stopword of
the page's language, a comma, a hyphen) and the next line starts in lower
case. A page is wrapped at a width when most of its longer lines end within a
few characters of their longest length. Lists whose items start in lower
case stay apart: an item ends on a content word.
"""
from __future__ import annotations

from collections.abc import Sequence

_ENDS = tuple(".!?…。！？:;\"'”’»)]")
_LIST_STARTS = tuple("•·*–—-►▪●>|#")
_OPEN_ENDS = tuple(",-–—(&/")
WRAP_MIN_LINES = 4  # lines at the width a page needs before it counts as wrapped
WRAP_SLACK = 0.25  # a line this close to the width (as a share of it) is full
WRAP_MIN_SHARE = 0.5  # share of the longer lines that must be full
MAX_WRAP_WIDTH = 160  # wider lines are paragraphs, not a terminal's width
MIN_WORDS = 4  # a line with fewer words is a heading or a label, never continued


def paragraphs(texts: Sequence[str], stops: frozenset[str] = frozenset()) -> list[list[int]]:
    """Groups of consecutive line positions, each a paragraph (most are one line); `stops`: the page's stopwords."""
    if not texts:
        return []
    width = wrap_width(texts)
    groups: list[list[int]] = [[0]]
    for i in range(1, len(texts)):
        if continues(texts[i - 1], texts[i], width, stops):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def continues(line: str, following: str, width: int | None, stops: frozenset[str] = frozenset()) -> bool:
    """`following` carries on the paragraph that `line` left unfinished."""
    if not line or not following or line.endswith(_ENDS) or following.startswith(_LIST_STARTS):
        return False
    words = line.split()
    if len(words) < MIN_WORDS:
        return False
    first = following[0]
    if width is not None and len(line) >= (1 - WRAP_SLACK) * width and first.isalpha():
        return True
    return first.islower() and (line.endswith(_OPEN_ENDS) or words[-1].lower() in stops)


def wrap_width(texts: Sequence[str]) -> int | None:
    """The width the page is wrapped at, or None when its lines are whole paragraphs."""
    lengths = sorted(len(t) for t in texts if len(t.split()) >= MIN_WORDS)
    if len(lengths) < WRAP_MIN_LINES:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if width > MAX_WRAP_WIDTH:
        return None
    full = sum(length >= (1 - WRAP_SLACK) * width for length in lengths)
    return width if full >= WRAP_MIN_LINES and full >= WRAP_MIN_SHARE * len(lengths) else None
