"""A shard's dedup sketch: what clustering needs of each kept document, computed where the shard is processed.

One row per document that reaches dedup kept: its id and source, its row in the
shard's table, the length and 128-bit hash of its normalized text, its MinHash
signature and shingle count. A document that fails here (its time limit) has a
`status` and `reason` instead and no hash. The sketch is a small Arrow table
(about 550 bytes per document at 128 permutations), so clustering reads
sketches, never documents.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

KEY_BYTES = 16


def sketch_schema(num_perm: int) -> pa.Schema:
    return pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("source", pa.string(), nullable=False),
            pa.field("row", pa.int32(), nullable=False),
            pa.field("length", pa.int64()),
            pa.field("key", pa.binary(KEY_BYTES)),
            pa.field("signature", pa.binary(4 * num_perm)),
            pa.field("shingles", pa.int64()),
            pa.field("status", pa.string()),  # set when the document failed here
            pa.field("reason", pa.string()),
        ]
    )


@dataclass
class Sketches:
    """Every shard's sketch rows for signed documents, in run order (shard, then row), as arrays."""

    shards: np.ndarray  # int64
    rows: np.ndarray  # int64: row in the shard's table
    ids: list[str]
    sources: list[str]
    lengths: np.ndarray  # int64
    keys: list[bytes]
    signatures: np.ndarray  # uint32 [n, num_perm]
    shingles: np.ndarray  # int64
    failed: list[tuple[int, str, str, str]]  # (shard, id, status, reason) of documents that failed in the sketch

    def __len__(self) -> int:
        return len(self.ids)


def combine(tables: Sequence[pa.Table], num_perm: int) -> Sketches:
    """The sketches of shards 0, 1, ... (`tables[k]` is shard k's) as one set of arrays."""
    shards, parts, failed = [], [], []
    for shard, table in enumerate(tables):
        bad = table.filter(table["status"].is_valid())
        failed.extend((shard, i, s, r) for i, s, r in zip(bad["id"].to_pylist(), bad["status"].to_pylist(), bad["reason"].to_pylist()))
        good = table.filter(table["status"].is_null())
        parts.append(good)
        shards.append(np.full(good.num_rows, shard, dtype=np.int64))
    table = pa.concat_tables(parts) if parts else sketch_schema(num_perm).empty_table()
    return Sketches(
        shards=np.concatenate(shards) if shards else np.empty(0, np.int64),
        rows=table["row"].to_numpy().astype(np.int64),
        ids=table["id"].to_pylist(),
        sources=table["source"].to_pylist(),
        lengths=table["length"].to_numpy().astype(np.int64),
        keys=table["key"].to_pylist(),
        signatures=fixed_width(table["signature"], num_perm),
        shingles=table["shingles"].to_numpy().astype(np.int64),
        failed=failed,
    )


def fixed_width(column: pa.ChunkedArray, num_perm: int) -> np.ndarray:
    """A column of fixed-size binary signatures as a uint32 matrix (one copy)."""
    out = np.empty((len(column), num_perm), dtype=np.uint32)
    at = 0
    for chunk in column.chunks:
        data = np.frombuffer(chunk.buffers()[1], dtype=np.uint32)
        start = chunk.offset * num_perm
        out[at : at + len(chunk)] = data[start : start + len(chunk) * num_perm].reshape(len(chunk), num_perm)
        at += len(chunk)
    return out
