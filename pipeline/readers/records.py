"""Records from JSON lines or foreign Parquet: a dict with `text` or `html` and optional `url`, `title`, `fetch_date`."""
from __future__ import annotations

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
    html = _first(record, HTML_FIELDS)
    if html is not None:
        _check_size(html, max_bytes)
        return without_text_rejected(from_html(source, html, url=url, title=title, fetch_date=fetched), empty=not html.strip())
    text = _first(record, TEXT_FIELDS)
    if text is not None:
        _check_size(text, max_bytes)
        return without_text_rejected(from_text(source, text, url=url, title=title, fetch_date=fetched))
    raise ReadError(f"record has no string field {' or '.join(repr(f) for f in HTML_FIELDS + TEXT_FIELDS)}")


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
