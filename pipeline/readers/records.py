"""Records from JSON lines or foreign Parquet: a dict with `text` or `html` and optional `url`, `title`, `fetch_date`.

Every other field of the record (an id of the user's, crawl metadata, a licence) is kept, as it was, in the
document's `metadata`: one JSON object, keys sorted.
"""
from __future__ import annotations

import json

from pipeline.document import Document, from_html, from_text
from pipeline.readers.decode import ReadError, over_limit, valid_text, without_text_rejected

TEXT_FIELDS = ("text", "content", "raw_content")
HTML_FIELDS = ("html", "raw_html")
FETCH_DATE_FIELDS = ("fetch_date", "crawl_date", "fetch_time")  # when the page was captured (not published)


def record_to_document(record: object, source: str, max_bytes: int) -> Document:
    """A document from one record; raises ReadError when it has no usable content."""
    if not isinstance(record, dict):
        raise ReadError(f"record is a {type(record).__name__}, not an object")
    url = _optional_str(record.get("url"))
    title = _optional_str(record.get("title"))
    fetched = _optional_str(_first(record, FETCH_DATE_FIELDS))
    fields = {"url": url, "title": title, "fetch_date": fetched}
    html = _first(record, HTML_FIELDS)
    if html is not None:
        _check_size(html, max_bytes)
        fields["metadata"] = _metadata(record, _taken(record, HTML_FIELDS), max_bytes)
        return without_text_rejected(from_html(source, html, **fields), empty=not html.strip())
    text = _first(record, TEXT_FIELDS)
    if text is not None:
        _check_size(text, max_bytes)
        fields["metadata"] = _metadata(record, _taken(record, TEXT_FIELDS), max_bytes)
        return without_text_rejected(from_text(source, text, **fields))
    raise ReadError(f"record has no string field {' or '.join(repr(f) for f in HTML_FIELDS + TEXT_FIELDS)}")


def _taken(record: dict, fields: tuple[str, ...]) -> str:
    """The field the content came from."""
    return next(name for name in fields if isinstance(record.get(name), str))


def _metadata(record: dict, content: str, max_bytes: int) -> str | None:
    """The record's fields but its content, url, title and capture date, as JSON (None when there are none)."""
    used = {content, "url", "title", *FETCH_DATE_FIELDS}
    rest = {str(k): v for k, v in record.items() if k not in used and v is not None}
    if not rest:
        return None
    text = valid_text(json.dumps(rest, sort_keys=True, ensure_ascii=False, default=str))
    _check_size(text, max_bytes)
    return text


def _first(record: dict, fields: tuple[str, ...]) -> str | None:
    for name in fields:
        value = record.get(name)
        if isinstance(value, str):
            return valid_text(value)
    return None


def _optional_str(value: object) -> str | None:
    return valid_text(value) if isinstance(value, str) and value else None


def _check_size(text: str, max_bytes: int) -> None:
    if len(text) > max_bytes:
        raise ReadError(over_limit("record", max_bytes))
