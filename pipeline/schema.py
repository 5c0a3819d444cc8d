"""The Arrow schema of every Parquet file the pipeline writes, and the conversions.

Stage outputs and the final `documents/` and `rejected/` tables share this one
schema. Each file's key-value metadata carries `SCHEMA_VERSION` and the
parameters of the stages that produced it.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import pyarrow as pa

from pipeline.document import MAIN, Block, Document

SCHEMA_VERSION = "1"
METADATA_VERSION_KEY = b"pipeline.schema_version"
METADATA_PARAMS_KEY = b"pipeline.params"

REMOVED_BLOCK = pa.struct(
    [
        pa.field("position", pa.int32(), nullable=False),
        pa.field("label", pa.string(), nullable=False),
        pa.field("reason", pa.string()),
        pa.field("text", pa.string(), nullable=False),
    ]
)

SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("content_type", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("date", pa.string()),
        pa.field("status", pa.string(), nullable=False),
        pa.field("reason", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("removed", pa.list_(REMOVED_BLOCK), nullable=False),
        pa.field("cluster_id", pa.string()),
        pa.field("duplicate_of", pa.string()),
        pa.field("similarity", pa.float32()),
        pa.field("cluster_size", pa.int32()),
        pa.field("input_chars", pa.int64(), nullable=False),
    ]
)

REQUIRED_COLUMNS = frozenset(f.name for f in SCHEMA)


def schema_with_metadata(params: dict) -> pa.Schema:
    """The schema with the version and the stage parameters in its metadata."""
    return SCHEMA.with_metadata(
        {
            METADATA_VERSION_KEY: SCHEMA_VERSION.encode(),
            METADATA_PARAMS_KEY: json.dumps(params, sort_keys=True).encode(),
        }
    )


def is_pipeline_schema(schema: pa.Schema) -> bool:
    """Whether a Parquet schema was written by this pipeline (any compatible version)."""
    return REQUIRED_COLUMNS <= set(schema.names)


def to_row(doc: Document, *, keep_text: bool = True) -> dict:
    """One document as a row. `keep_text=False` empties the kept text (rejected output)."""
    removed = [
        {"position": i, "label": b.label, "reason": b.reason, "text": b.text}
        for i, b in enumerate(doc.blocks)
        if not b.is_main
    ]
    return {
        "id": doc.id,
        "source": doc.source,
        "url": doc.url,
        "content_type": doc.content_type,
        "title": doc.title,
        "date": doc.date,
        "status": doc.status,
        "reason": doc.reason,
        "text": doc.text if keep_text else "",
        "removed": removed,
        "cluster_id": doc.cluster_id,
        "duplicate_of": doc.duplicate_of,
        "similarity": doc.similarity,
        "cluster_size": doc.cluster_size,
        "input_chars": doc.input_chars,
    }


def to_table(docs: Iterable[Document], params: dict, *, keep_text: bool = True) -> pa.Table:
    rows = [to_row(d, keep_text=keep_text) for d in docs]
    return pa.Table.from_pylist(rows, schema=schema_with_metadata(params))


def from_row(row: dict) -> Document:
    """Rebuild a document, its blocks in their original order, from a row.

    Kept blocks come from `text` (one per line) and fill the positions that
    `removed` leaves free.
    """
    removed = {r["position"]: r for r in row["removed"] or []}
    kept = iter(row["text"].split("\n") if row["text"] else [])
    blocks: list[Block] = []
    for position in range(len(removed) + _count_lines(row["text"])):
        r = removed.get(position)
        if r is not None:
            blocks.append(Block(r["text"], r["label"], r["reason"]))
        else:
            blocks.append(Block(next(kept), MAIN, None))
    return Document(
        id=row["id"],
        source=row["source"],
        url=row["url"],
        content_type=row["content_type"],
        title=row["title"],
        date=row["date"],
        blocks=blocks,
        status=row["status"],
        reason=row["reason"],
        cluster_id=row["cluster_id"],
        duplicate_of=row["duplicate_of"],
        similarity=row["similarity"],
        cluster_size=row["cluster_size"],
        input_chars=row["input_chars"],
    )


def _count_lines(text: str | None) -> int:
    return text.count("\n") + 1 if text else 0


def from_table(table: pa.Table) -> Iterator[Document]:
    for batch in table.to_batches():
        for row in batch.to_pylist():
            yield from_row(row)
