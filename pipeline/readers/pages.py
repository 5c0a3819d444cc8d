"""One page per file: text dumps and HTML."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipeline.document import HTML, Document, make_id, split_blocks
from pipeline.readers.decode import decode, declared_charset, read_bytes, without_text_rejected


def read_text(path: Path, source: str, max_bytes: int) -> Iterator[Document]:
    text = decode(read_bytes(path, max_bytes))
    yield without_text_rejected(Document(id=make_id(source), source=source, blocks=split_blocks(text)))


def read_html(path: Path, source: str, max_bytes: int) -> Iterator[Document]:
    data = read_bytes(path, max_bytes)
    html = decode(data, declared_charset(data))
    doc = Document(id=make_id(source), source=source, content_type=HTML, html=html)
    yield without_text_rejected(doc, empty=not html.strip())
