"""WARC and WET files (Common Crawl's formats), through warcio.

Response records with an HTML or text payload become documents, with the
record's target URI and date; WET conversion records become text documents.
`source` gets `#N`, N the record's number in the file (from 1). A truncated
file keeps the records read before the break and reports the rest.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from pipeline.document import ERROR, HTML, Document, make_id, split_blocks, unreadable
from pipeline.readers.decode import ReadError, decode, declared_charset, over_limit, without_text_rejected

_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


def read_warc(path: Path, source: str, max_bytes: int) -> Iterator[Document]:
    number = 0
    problem = None
    try:
        with open(path, "rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                number += 1
                if record.rec_type not in ("response", "conversion"):
                    continue  # warcinfo, request, metadata, revisit: not pages
                yield _document(record, f"{source}#{number}", max_bytes)
            # warcio stops quietly at a cut gzip member: bytes left after the last whole record mean a truncated file.
            end = getattr(records, "offset", None)
            if end is not None and end < path.stat().st_size:
                problem = f"{path.stat().st_size - end} bytes after it are not a whole record"
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as e:
        problem = f"{type(e).__name__}: {e}"
    if problem:
        # What was read stays; the break itself is reported as the next record.
        broken = f"{source}#{number + 1}" if number else source
        yield unreadable(broken, f"the WARC file breaks after record {number} ({problem}); the rest is lost")


def _document(record, source: str, max_bytes: int) -> Document:
    url = record.rec_headers.get_header("WARC-Target-URI")
    date = record.rec_headers.get_header("WARC-Date")
    if record.rec_type == "conversion":  # WET: the page's text, already extracted
        kind = "text/plain"
    else:
        kind = (record.http_headers.get_header("Content-Type") if record.http_headers else None) or ""
    mime = kind.split(";")[0].strip().lower()
    doc = Document(id=make_id(source), source=source, url=url, date=date)
    if record.rec_type == "response" and mime not in _TEXT_TYPES:
        doc.reject(ERROR, f"not a page: the WARC response is {mime or 'of no content type'}")
        return doc
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        doc.reject(ERROR, f"unreadable: {over_limit('record', max_bytes)}")
        return doc
    try:
        text = decode(data, _charset(kind) or (declared_charset(data) if mime != "text/plain" else None))
    except ReadError as e:
        doc.reject(ERROR, f"unreadable: {e}")
        return doc
    if mime == "text/plain":
        doc.blocks = split_blocks(text)
        doc.input_chars = doc.block_chars()
        return without_text_rejected(doc)
    doc.content_type, doc.html = HTML, text
    return doc


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None
