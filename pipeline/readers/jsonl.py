"""JSON lines: one record per line; `source` gets `#N` with N the line number.

Lines are read one by one from the bytes: a line that is not valid JSON, holds
NUL bytes or nests too deeply is one `error` row, and the others are read.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pipeline.document import Document, unreadable
from pipeline.readers.decode import ReadError, decode, read_bytes
from pipeline.readers.records import record_to_document


def read_jsonl(path: Path, source: str, max_bytes: int) -> Iterator[Document]:
    lines = read_bytes(path, max_bytes).split(b"\n")
    filled = [line for line in lines if line.strip()]
    if filled and sum(b"\0" in line for line in filled) * 2 > len(filled):
        raise ReadError("binary content, not JSON lines (NUL bytes on most lines)")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        record_source = f"{source}#{number}"
        try:
            if b"\0" in raw:
                raise ReadError(f"line {number} holds NUL bytes, which JSON text cannot")
            record = json.loads(decode(raw))
            yield record_to_document(record, record_source, max_bytes)
        except json.JSONDecodeError as e:
            yield unreadable(record_source, f"invalid JSON on line {number}: {e.msg} at column {e.colno}")
        except RecursionError:
            yield unreadable(record_source, f"line {number} is nested too deeply to read")
        except ReadError as e:
            yield unreadable(record_source, str(e))
