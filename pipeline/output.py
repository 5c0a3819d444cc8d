"""Writing Parquet parts and stats.json: atomically, so a crash never leaves a partial file."""
from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
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
    """Write one shard's documents as `directory/part-NNNNN.parquet` (see `write_table_part`)."""
    return write_table_part(directory, shard, to_table(docs, params, keep_text=keep_text), rows_per_group)


def write_table_part(directory: Path, shard: int, table: pa.Table, rows_per_group: int) -> Path | None:
    """Write one shard's table as `directory/part-NNNNN.parquet` (zstd), under a temporary name first.

    A shard with no rows for this table writes no part (some readers, Hugging Face `datasets` among them,
    fail on a part without rows); `complete_table` gives a table that has no rows at all its schema.
    """
    target = directory / part_name(shard)
    if not table.num_rows:
        target.unlink(missing_ok=True)
        return None
    with atomic_target(target) as tmp:
        pq.write_table(table, tmp, compression="zstd", row_group_size=rows_per_group)
    return target


def complete_table(directory: Path, params: dict) -> None:
    """A table without any part gets one holding the schema and no row group, so every reader finds its columns."""
    if not any(directory.glob("part-*.parquet")):
        with atomic_target(directory / part_name(0)) as tmp:
            pq.ParquetWriter(tmp, schema_with_metadata(params), compression="zstd").close()


def write_final(output: Path, shard: int, docs: Sequence[Document], params: dict, rows_per_group: int) -> Counter:
    """The corpus split of one shard's documents (see `write_final_table`)."""
    return write_final_table(output, shard, to_table(docs, params), rows_per_group)


def write_final_table(output: Path, shard: int, table: pa.Table, rows_per_group: int) -> Counter:
    """The corpus split of one shard: kept documents in `documents/`, every other one in `rejected/` (text emptied).

    Returns the rows written per table and per status.
    """
    kept = pc.equal(table["status"], KEPT)
    rejected = table.filter(pc.invert(kept))
    rejected = rejected.set_column(rejected.schema.get_field_index("text"), rejected.schema.field("text"), pa.array([""] * rejected.num_rows, pa.string()))
    write_table_part(output / DOCUMENTS, shard, table.filter(kept), rows_per_group)
    write_table_part(output / REJECTED, shard, rejected, rows_per_group)
    return table_counts(table)


def table_counts(table: pa.Table) -> Counter:
    """{"documents": kept rows, "rejected": other rows, "status:<s>": rows of status s}."""
    counts = Counter({f"status:{s}": n for s, n in Counter(table["status"].to_pylist()).items()})
    counts["documents"] += counts[f"status:{KEPT}"]
    counts["rejected"] += table.num_rows - counts[f"status:{KEPT}"]
    return +counts


def write_json(path: Path, data: dict) -> None:
    with atomic_target(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
