"""One page per file: text dumps and HTML."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipeline.document import EMPTY, HTML, Document, make_id, split_blocks
from pipeline.readers.decode import decode, declared_charset, read_bytes


def read_text(path: Path, source: str, max_bytes: int) -> Iterator[Document]:
    text = decode(read_bytes(path, max_bytes))
    yield without_text_rejected(Document(id=make_id(source), source=source, blocks=split_blocks(text)))


def read_html(path: Path, source: str, max_bytes: int) -> Iterator[Document]:
    data = read_bytes(path, max_bytes)
    html = decode(data, declared_charset(data))
    doc = Document(id=make_id(source), source=source, content_type=HTML, html=html)
    if not html.strip():
        doc.reject(EMPTY, "empty input: the file holds no text")
    yield doc


def without_text_rejected(doc: Document) -> Document:
    """A text page with nothing but whitespace is rejected as empty right away."""
    if not doc.blocks:
        doc.reject(EMPTY, "empty input: the file holds no text")
    return doc
