"""WARC, ARC and WET files (Common Crawl's formats), through warcio.

Response and resource records with an HTML or text payload become documents,
with the record's target URI and capture date (`fetch_date`); WET conversion
records become text documents; ARC records are read as WARC (warcio's
arc2warc), URI and date included. A response with an HTTP status other than
2xx (a 404 page, a server error) is an `error` row, not a document. `source`
gets `#N`, N the record's number in the file (from 1). A truncated file keeps
the records read before the break and reports the rest.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from pipeline.document import ERROR, Document, from_html, from_text, make_id, unreadable
from pipeline.readers.decode import ReadError, decode, declared_charset, over_limit, without_text_rejected

_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


def read_warc(path: Path, source: str, max_bytes: int) -> Iterator[Document]:
    number = 0
    problem = None
    try:
        with open(path, "rb") as stream:
            records = ArchiveIterator(stream, arc2warc=True)
            for record in records:
                number += 1
                if record.rec_type not in ("response", "resource", "conversion"):
                    continue  # warcinfo, request, metadata, revisit: not pages
                yield _document(record, f"{source}#{number}", max_bytes)
            # warcio stops quietly at a cut gzip member: bytes left after the last whole record mean a truncated file.
            end = getattr(records, "offset", None)
            if end is not None and end < path.stat().st_size:
                problem = f"{path.stat().st_size - end} bytes after it are not a whole record"
    except Exception as e:  # noqa: BLE001 - damaged records fail in many ways: ArchiveLoadFailed, zlib.error, EOFError, AttributeError...
        problem = f"{type(e).__name__}: {e}"
    if problem:
        # What was read stays; the break itself is reported as the next record.
        broken = f"{source}#{number + 1}" if number else source
        yield unreadable(broken, f"the WARC file breaks after record {number} ({problem}); the rest is lost")


def _document(record, source: str, max_bytes: int) -> Document:
    url = record.rec_headers.get_header("WARC-Target-URI")
    fetched = record.rec_headers.get_header("WARC-Date")
    http = record.http_headers if record.rec_type == "response" else None
    if record.rec_type == "conversion":  # WET: the page's text, already extracted
        kind = "text/plain"
    elif http is not None:
        kind = http.get_header("Content-Type") or ""
    else:  # a resource record, or a response without HTTP headers: the WARC header says what it holds
        kind = record.rec_headers.get_header("Content-Type") or ""
    mime = kind.split(";")[0].strip().lower()
    status = http.get_statuscode() if http is not None else None
    if status and not status.startswith("2"):
        return _rejected(source, url, fetched, f"not a page: the WARC response has HTTP status {http.statusline.strip()}")
    if record.rec_type != "conversion" and mime not in _TEXT_TYPES:
        return _rejected(source, url, fetched, f"not a page: the WARC {record.rec_type} is {mime or 'of no content type'}")
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        return _rejected(source, url, fetched, f"unreadable: {over_limit('record', max_bytes)}")
    try:
        text = decode(data, _charset(kind) or (declared_charset(data) if mime != "text/plain" else None))
    except ReadError as e:
        return _rejected(source, url, fetched, f"unreadable: {e}")
    if mime == "text/plain":
        return without_text_rejected(from_text(source, text, url=url, fetch_date=fetched))
    return without_text_rejected(from_html(source, text, url=url, fetch_date=fetched), empty=not text.strip())


def _rejected(source: str, url: str | None, fetched: str | None, reason: str) -> Document:
    doc = Document(id=make_id(source), source=source, url=url, fetch_date=fetched)
    doc.reject(ERROR, reason)
    return doc


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None
