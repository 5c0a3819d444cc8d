"""An HTML page's visible lines, each with the markup around it.

One line per block-level element (and per `<br>`, and per table row, its cells
side by side), as a reader sees the page: line breaks in the source are spaces
(a paragraph the HTML source wraps at 80 columns is one line), except inside
`<pre>` and `<code>`; scripts, styles and comments are left out. Each line records
which kinds of element enclose it (link, list, nav, footer, heading, ...) and
which words the `class` and `id` attributes above it contain (nav, comment,
share, related, ...): the structural evidence the HTML line model weighs,
after boilerpipe's and Web2Text's block features (Kohlschütter et al., WSDM
2010; Vogels et al., ECIR 2018).
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from lxml import etree

from pipeline.text import word_key

BLOCK_TAGS = frozenset(
    "address article aside blockquote body br dd details dialog div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol option p pre section summary table tbody tfoot thead title tr ul".split()
)
# A table row is one line, its cells side by side: a cell alone ("5040", "Top 10") means nothing.
CELL_TAGS = frozenset(("td", "th"))
# <noscript> stays visible: some sites (Discourse forums, for one) serve their whole content in it.
INVISIBLE_TAGS = frozenset("script style template svg head iframe object canvas select".split())

# Enclosing elements, one bit per group.
ENCLOSING = (
    ("a", ("a",)), ("nav", ("nav",)), ("header", ("header",)), ("footer", ("footer",)), ("aside", ("aside",)),
    ("article", ("article",)), ("main", ("main",)), ("form", ("form",)), ("list", ("li", "dd", "dt")),
    ("table", ("table",)), ("heading", ("h1", "h2", "h3", "h4", "h5", "h6")), ("h1", ("h1",)),
    ("blockquote", ("blockquote",)), ("code", ("pre", "code")), ("figure", ("figure", "figcaption")),
    ("control", ("button", "label", "option")), ("p", ("p",)), ("time", ("time",)), ("emphasis", ("strong", "b", "em", "i")),
)
_TAG_BIT: dict[str, int] = {}
for _i, (_, _tags) in enumerate(ENCLOSING):
    for _tag in _tags:
        _TAG_BIT[_tag] = _TAG_BIT.get(_tag, 0) | 1 << _i
TAG_BITS = {name: 1 << i for i, (name, _) in enumerate(ENCLOSING)}
_PREFORMATTED = TAG_BITS["code"]

# Words in class and id attributes, one bit per group. Each pattern is searched in each word of
# the attribute (split at anything not a letter: "post-body__text" is "post", "body", "text").
ATTRIBUTE_GROUPS = (
    ("nav", r"nav|menu|breadcrumb|pagination|pager|toolbar"),
    ("footer", r"foot|copyright|legal"),
    ("header", r"header|masthead|banner|topbar"),
    ("sidebar", r"side|widget|rail|aside"),
    ("comment", r"comment|reply|respond|discuss|disqus|thread|message"),
    ("social", r"share|social|sharing|follow"),
    ("related", r"related|recommend|popular|trending|readnext|teaser|promo|^more$"),
    ("ad", r"^ads?$|advert|sponsor|dfp|^gpt$"),
    ("meta", r"author|byline|meta|date|time|posted|dateline|info"),
    ("prompt", r"subscribe|newsletter|signup|cta|modal|popup|cookie|consent|gdpr|login"),
    ("content", r"content|article|entry|story|body|text|prose|main"),
    ("caption", r"caption|credit|figure|photo|image|gallery|media"),
    ("tags", r"^tags?$|categor|topic|label"),
    ("hidden", r"hidden|^sr$|visually|hide"),
    ("product", r"price|product|cart|sku|review|rating|offer"),
    ("title", r"title|headline|heading"),
    ("card", r"card|item|tile|grid|list"),
    ("description", r"desc|summary|excerpt|intro|lead|abstract|answer|question"),
)
ATTRIBUTE_BITS = {name: 1 << i for i, (name, _) in enumerate(ATTRIBUTE_GROUPS)}
_GROUP_PATTERNS = [(1 << i, re.compile(pattern)) for i, (_, pattern) in enumerate(ATTRIBUTE_GROUPS)]
_NOT_LETTERS = re.compile(r"[^a-z]+")
_OPENERS = ("p", "div", "li", "heading", "tr", "br", "other")
_OPENER_INDEX = {"p": 0, "div": 1, "section": 1, "li": 2, "dd": 2, "dt": 2, "tr": 4, "br": 5}
_OPENER_INDEX.update({f"h{i}": 3 for i in range(1, 7)})
_OTHER = len(_OPENERS) - 1


@dataclass
class PageLine:
    text: str
    link_chars: int  # characters of the line inside <a>
    tags: int  # bits of ENCLOSING
    attributes: int  # bits of ATTRIBUTE_GROUPS, from the enclosing elements' class and id
    depth: int  # nesting depth of the element the line starts in
    opener: int  # index into _OPENERS of the block element that starts the line
    key: str = field(init=False)  # lowercased words, space-separated: the form lines are compared in

    def __post_init__(self) -> None:
        self.key = word_key(self.text)


def page_lines(tree: etree._Element) -> list[PageLine]:
    """The page's visible lines in reading order.

    Recursive: libxml2's HTML parser nests at most 256 levels (see html.TooDeep),
    well inside Python's recursion limit.
    """
    return _LineWriter().page(tree)


class _LineWriter:
    """Collects inline text into lines; a block-level element starts and ends one."""

    def __init__(self) -> None:
        self.lines: list[PageLine] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.start: tuple[int, int, int, int] | None = None  # tags, attributes, depth, opener of the line's first text
        self.opener = _OTHER

    def page(self, tree: etree._Element) -> list[PageLine]:
        if isinstance(tree.tag, str) and tree.tag not in INVISIBLE_TAGS:
            self.element(tree, 0, 0, 1)
        self.flush()
        return self.lines

    def element(self, element: etree._Element, tags: int, attributes: int, depth: int) -> None:
        tag = element.tag
        tags |= _TAG_BIT.get(tag, 0)
        names = element.get("class")
        if names:
            attributes |= _names_bits(names)
        names = element.get("id")
        if names:
            attributes |= _names_bits(names)
        block = tag in BLOCK_TAGS
        if block:
            self.flush()
            self.opener = _OPENER_INDEX.get(tag, _OTHER)
        if tag in CELL_TAGS and self.parts:
            self.parts.append(" ")
        text = element.text
        if text:
            self.add(text, tags, attributes, depth)
        for child in element:
            child_tag = child.tag
            if child_tag.__class__ is str and child_tag not in INVISIBLE_TAGS:
                self.element(child, tags, attributes, depth + 1)
            text = child.tail
            if text:
                self.add(text, tags, attributes, depth)
        if block:
            self.flush()
            self.opener = _OTHER  # text after a block element belongs to its parent

    def add(self, text: str, tags: int, attributes: int, depth: int) -> None:
        if self.start is None:
            if text.isspace():
                return
            self.start = (tags, attributes, depth, self.opener)
        self.parts.append(text)
        if tags & 1:
            self.link_chars += len(text.strip())

    def flush(self) -> None:
        start = self.start
        if start is not None:
            text = "".join(self.parts).replace("\xa0", " ")
            # As a browser shows it: line breaks in the source are spaces, except in preformatted text.
            pieces = text.splitlines() if start[0] & _PREFORMATTED else [" ".join(text.split())]
            for piece in pieces:
                piece = piece.strip()
                if piece:
                    self.lines.append(PageLine(piece, min(self.link_chars, len(piece)), *start))
            self.parts.clear()
            self.link_chars, self.start = 0, None


@lru_cache(maxsize=1 << 16)
def _names_bits(names: str) -> int:
    """The ATTRIBUTE_GROUPS bits of a class or id attribute's value."""
    bits = 0
    for word in _NOT_LETTERS.split(names.lower()):
        if word:
            bits |= _word_bits(word)
    return bits


@lru_cache(maxsize=1 << 16)
def _word_bits(word: str) -> int:
    """The ATTRIBUTE_GROUPS bits of one word (cached: sites share most words, "nav", "content", "item")."""
    bits = 0
    for bit, pattern in _GROUP_PATTERNS:
        if pattern.search(word):
            bits |= bit
    return bits
