"""Parquet: this pipeline's own tables (rows kept as they are) or foreign tables of records."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.document import Document, unreadable
from pipeline.readers.decode import ReadError
from pipeline.readers.records import HTML_FIELDS, TEXT_FIELDS, record_to_document
from pipeline.schema import from_row, is_pipeline_schema


def read_parquet(path: Path, source: str, max_bytes: int) -> Iterator[Document]:
    if path.suffix.lower() == ".gz":
        raise ReadError("gzipped Parquet is not supported: Parquet compresses internally, store it uncompressed")
    try:
        file = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as e:
        raise ReadError(f"not a readable Parquet file: {e}") from None
    own = is_pipeline_schema(file.schema_arrow)
    wanted = set(HTML_FIELDS + TEXT_FIELDS + ("url", "title"))
    if not own and not wanted & set(file.schema_arrow.names):
        raise ReadError(
            f"Parquet has neither this pipeline's columns nor a text or html column (columns: {', '.join(file.schema_arrow.names[:10])})"
        )
    number = 0
    try:
        for batch in file.iter_batches(batch_size=256):  # every column: a record's other fields are its metadata
            for row in batch.to_pylist():
                number += 1
                record_source = f"{source}#{number}"
                try:
                    yield _own_row(row) if own else record_to_document(row, record_source, max_bytes)
                except (ReadError, ValueError) as e:
                    yield unreadable(record_source, str(e))
    except (pa.ArrowException, OSError, ValueError) as e:
        raise ReadError(f"Parquet data is corrupt after row {number}: {e}") from None


def _own_row(row: dict) -> Document:
    """A row of this pipeline's tables as it was written; one that does not add up is not taken on trust."""
    doc = from_row(row)
    if doc.block_chars() != doc.input_chars:
        raise ReadError(
            f"the row's kept and removed text hold {doc.block_chars()} characters, but its input_chars says {doc.input_chars}"
        )
    return doc
