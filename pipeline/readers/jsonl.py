"""JSON lines: one record per line; `source` gets `#N` with N the line number."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pipeline.document import Document, unreadable
from pipeline.readers.decode import ReadError, decode, read_bytes
from pipeline.readers.records import record_to_document


def read_jsonl(path: Path, source: str, max_bytes: int) -> Iterator[Document]:
    text = decode(read_bytes(path, max_bytes))
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        record_source = f"{source}#{number}"
        try:
            yield record_to_document(json.loads(line), record_source, max_bytes)
        except json.JSONDecodeError as e:
            yield unreadable(record_source, f"invalid JSON on line {number}: {e.msg} at column {e.colno}")
        except ReadError as e:
            yield unreadable(record_source, str(e))
