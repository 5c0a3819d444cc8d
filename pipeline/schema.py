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

SCHEMA_VERSION = "4"
METADATA_VERSION_KEY = b"pipeline.schema_version"
METADATA_PARAMS_KEY = b"pipeline.params"

REMOVED_BLOCK = pa.struct(
    [
        pa.field("position", pa.int32(), nullable=False),
        pa.field("label", pa.string(), nullable=False),
        pa.field("reason", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("rule", pa.string()),
        pa.field("topic", pa.string()),
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
        pa.field("fetch_date", pa.string()),
        pa.field("page_type", pa.string()),
        pa.field("language", pa.string()),
        pa.field("language_score", pa.float32()),
        pa.field("status", pa.string(), nullable=False),
        pa.field("reason", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("removed", pa.list_(REMOVED_BLOCK), nullable=False),
        pa.field("cluster_id", pa.string()),
        pa.field("duplicate_of", pa.string()),
        pa.field("similarity", pa.float32()),
        pa.field("cluster_size", pa.int32()),
        pa.field("input_chars", pa.int64(), nullable=False),
        pa.field("metadata", pa.string()),
    ]
)

# Columns added since version 2: a table of an earlier version lacks them, and reads with them empty.
ADDED_SINCE_2 = frozenset({"fetch_date", "language", "language_score", "metadata"})
REQUIRED_COLUMNS = frozenset(f.name for f in SCHEMA) - ADDED_SINCE_2


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


# Columns that are plain Document attributes of the same name.
_SCALARS = tuple(f.name for f in SCHEMA if f.name not in ("text", "removed"))


def to_row(doc: Document, *, keep_text: bool = True) -> dict:
    """One document as a row. `keep_text=False` empties the kept text (rejected output)."""
    removed = [
        {"position": i, "label": b.label, "reason": b.reason, "text": b.text, "rule": b.rule, "topic": b.topic}
        for i, b in enumerate(doc.blocks)
        if not b.is_main
    ]
    return {name: getattr(doc, name) for name in _SCALARS} | {"text": doc.text if keep_text else "", "removed": removed}


def to_table(docs: Iterable[Document], params: dict, *, keep_text: bool = True) -> pa.Table:
    rows = [to_row(d, keep_text=keep_text) for d in docs]
    return pa.Table.from_pylist(rows, schema=schema_with_metadata(params))


def from_row(row: dict) -> Document:
    """Rebuild a document, its blocks in their original order, from a row.

    Kept blocks come from `text` (one per line) and fill the positions that
    `removed` leaves free. Raises ValueError for a row whose positions do not fit.
    """
    removed = {r["position"]: r for r in row["removed"] or []}
    kept = row["text"].split("\n") if row["text"] else []
    count = len(removed) + len(kept)
    if any(not 0 <= p < count for p in removed):
        raise ValueError(f"removed block positions {sorted(removed)} do not fit {count} blocks")
    lines = iter(kept)
    blocks = [
        Block(removed[p]["text"], removed[p]["label"], removed[p]["reason"], _rule(removed[p]), _topic(removed[p])) if p in removed
        else Block(next(lines), MAIN, None)
        for p in range(count)
    ]
    return Document(**{name: row.get(name) for name in _SCALARS}, blocks=blocks)


def _rule(removed: dict) -> str | None:
    """A removed block's rule; version 2 tables have none, and their reasons start with it."""
    if "rule" in removed:
        return removed["rule"]
    return (removed["reason"] or "").split(":", 1)[0] or None


def _topic(removed: dict) -> str | None:
    """A removed spillover block's topic; version 3 tables have none, and their spillover reasons end with it."""
    if "topic" in removed:
        return removed["topic"]
    head, sep, topic = (removed["reason"] or "").rpartition("; topic=")
    return topic if sep and removed["label"] == "spillover" else None


def from_table(table: pa.Table) -> Iterator[Document]:
    for batch in table.to_batches():
        for row in batch.to_pylist():
            yield from_row(row)
