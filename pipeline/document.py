"""The one record every stage reads and writes: a document made of labelled blocks.

Cleaning is non-destructive: stages relabel blocks and record why, nothing is
dropped until output. A block is one line of text (no newline inside), so a
document's kept text is its main blocks joined with "\\n".
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

# Block labels.
MAIN = "main"
BOILERPLATE = "boilerplate"
SPILLOVER = "spillover"
LABELS = (MAIN, BOILERPLATE, SPILLOVER)

# Document statuses.
KEPT = "kept"
EMPTY = "empty"
DUPLICATE = "duplicate"
ERROR = "error"
STATUSES = (KEPT, EMPTY, DUPLICATE, ERROR)

TEXT = "text/plain"
HTML = "text/html"


@dataclass
class Block:
    """One line of a document, with its label and, once removed, why: the rule (data, e.g. `boilerplate.code`) and
    the reason (for people: the rule, then what the rule saw)."""

    text: str
    label: str = MAIN
    reason: str | None = None
    rule: str | None = None  # a removed block's rule; None: the reason is the bare rule
    topic: str | None = None  # spillover: the topic the removed article is about (`segment.topics`)

    def __post_init__(self) -> None:
        if self.rule is None and self.label != MAIN:
            self.rule = self.reason

    @property
    def is_main(self) -> bool:
        return self.label == MAIN

    def remove(self, label: str, rule: str, detail: str | None = None, topic: str | None = None) -> None:
        """Relabel this block as removed by `rule` (`detail`: what it saw; `topic`: what it is about); the first
        removal is kept."""
        if self.label == MAIN:
            self.label, self.rule, self.topic = label, rule, topic
            self.reason = rule if detail is None else f"{rule}: {detail}"


@dataclass
class Document:
    """A page in the pipeline. `html` holds markup not yet extracted into blocks."""

    id: str
    source: str
    url: str | None = None
    content_type: str = TEXT
    title: str | None = None
    date: str | None = None  # publication date, from the page's metadata
    fetch_date: str | None = None  # when the page was captured (a WARC record's date)
    page_type: str | None = None  # what an HTML page declares itself to be (article, product, forum, collection, website)
    language: str | None = None  # ISO 639-1 code of the page's language (`pipeline.language`), once a stage told it
    language_score: float | None = None  # its probability
    metadata: str | None = None  # the input record's other fields, as a JSON object
    blocks: list[Block] = field(default_factory=list)
    html: str | None = None
    status: str = KEPT
    reason: str | None = None
    cluster_id: str | None = None
    duplicate_of: str | None = None
    similarity: float | None = None
    cluster_size: int | None = None
    input_chars: int | None = None  # characters of all blocks when the page was first split; set if None

    def __post_init__(self) -> None:
        if self.input_chars is None:
            self.input_chars = self.block_chars()

    def block_chars(self) -> int:
        """Characters over all blocks, kept and removed: stages never change it."""
        return sum(len(b.text) for b in self.blocks)

    @property
    def is_kept(self) -> bool:
        return self.status == KEPT

    @property
    def text(self) -> str:
        """The kept main text: main blocks joined with newlines."""
        return "\n".join(b.text for b in self.blocks if b.is_main)

    def reject(self, status: str, reason: str) -> None:
        """Take the document out of the corpus; its blocks stay for auditing."""
        if self.status == KEPT:
            self.status, self.reason = status, reason


def make_id(source: str, content: str = "") -> str:
    """A document's id: a hash of its source (path relative to the input root, `#N` for record N) and its content.

    Unique within a run (sources are) and across runs (a file of the same name with
    other content gets another id); the same input always gets the same id.
    """
    digest = hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16)
    digest.update(b"\0")
    digest.update(content.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def from_text(source: str, text: str, **fields) -> Document:
    """A text page, split into its lines."""
    return Document(id=make_id(source, text), source=source, blocks=split_blocks(text), **fields)


def from_html(source: str, html: str, **fields) -> Document:
    """An HTML page, extracted later by the boilerplate stage."""
    return Document(id=make_id(source, html), source=source, content_type=HTML, html=html, **fields)


def unreadable(source: str, reason: str) -> Document:
    """The record of an input that could not be read: status `error`, reason prefixed `unreadable:`."""
    return Document(id=make_id(source), source=source, status=ERROR, reason=f"unreadable: {reason}")


def split_blocks(text: str) -> list[Block]:
    """Split text into blocks: one per non-blank line, surrounding whitespace stripped.

    This is the whitespace normalization the pipeline documents: line endings,
    indentation and blank lines are not kept; every other character is.
    """
    return [Block(line.strip()) for line in text.splitlines() if line.strip()]
