"""One page per file: text dumps and HTML."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipeline.document import Document, from_html, from_text
from pipeline.readers.decode import decode, declared_charset, read_bytes, without_text_rejected


def read_text(path: Path, source: str, max_bytes: int) -> Iterator[Document]:
    yield without_text_rejected(from_text(source, decode(read_bytes(path, max_bytes))))


def read_html(path: Path, source: str, max_bytes: int) -> Iterator[Document]:
    data = read_bytes(path, max_bytes)
    html = decode(data, declared_charset(data))
    yield without_text_rejected(from_html(source, html), empty=not html.strip())
