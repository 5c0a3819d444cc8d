"""Writing Parquet parts and stats.json: atomically, so a crash never leaves a partial file."""
from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.document import KEPT, Document
from pipeline.folders import DOCUMENTS, REJECTED
from pipeline.schema import schema_with_metadata, to_table



@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """A hidden temporary path beside `path` to write to; renamed to `path` once the block succeeds.

    The file is flushed to disk before the rename, and the rename after it, so a
    crash or a power cut leaves either the old file or the whole new one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    yield tmp
    _fsync(tmp)
    os.replace(tmp, path)
    _fsync(path.parent)


def _fsync(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def part_name(shard: int) -> str:
    return f"part-{shard:05d}.parquet"


def write_part(directory: Path, shard: int, docs: Sequence[Document], params: dict, rows_per_group: int, *, keep_text: bool = True) -> Path | None:
    """Write one shard's documents as `directory/part-NNNNN.parquet` (zstd), under a temporary name first.

    A shard with no documents for this table writes no part (some readers, Hugging Face `datasets` among them,
    fail on a part without rows); `complete_table` gives a table that has no rows at all its schema.
    """
    target = directory / part_name(shard)
    if not docs:
        target.unlink(missing_ok=True)
        return None
    with atomic_target(target) as tmp:
        pq.write_table(to_table(docs, params, keep_text=keep_text), tmp, compression="zstd", row_group_size=rows_per_group)
    return target


def complete_table(directory: Path, params: dict) -> None:
    """A table without any part gets one holding the schema and no row group, so every reader finds its columns."""
    if not any(directory.glob("part-*.parquet")):
        with atomic_target(directory / part_name(0)) as tmp:
            pq.ParquetWriter(tmp, schema_with_metadata(params), compression="zstd").close()


def write_final(output: Path, shard: int, docs: Sequence[Document], params: dict, rows_per_group: int) -> Counter:
    """The corpus split of one shard: kept documents in `documents/`, every other one in `rejected/` (text emptied).

    Returns the rows written per table and per status.
    """
    kept = [d for d in docs if d.status == KEPT]
    rejected = [d for d in docs if d.status != KEPT]
    write_part(output / DOCUMENTS, shard, kept, params, rows_per_group)
    write_part(output / REJECTED, shard, rejected, params, rows_per_group, keep_text=False)
    return final_counts(docs)


def final_counts(docs: Sequence[Document]) -> Counter:
    """{"documents": kept rows, "rejected": other rows, "status:<s>": rows of status s}."""
    counts = Counter(f"status:{d.status}" for d in docs)
    counts["documents"] += sum(d.status == KEPT for d in docs)
    counts["rejected"] += sum(d.status != KEPT for d in docs)
    return counts


def write_json(path: Path, data: dict) -> None:
    with atomic_target(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
