"""The incremental index: signatures of every document earlier runs have seen, as Parquet.

`INDEX/part-<run>.parquet` holds one row per document: `id`, `source`,
`signature` (the MinHash row, from which the LSH band hashes are derived),
`shingles` (set size, for containment) and `length` (clean text length). Each
run appends one part, named after the run's fingerprint, so two runs never
write the same part and a resumed run rewrites its own; a run holds the
index's lock while it reads and appends (`folders.locked`). The MinHash
parameters are in each part's metadata and must match the current run's
(`check_index`, before any work); a part that cannot be read is an error
naming it.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.output import atomic_target

PARAMS_KEY = b"pipeline.minhash"
MUST_MATCH = ("scheme", "num_perm", "seed", "shingle_size", "hash")


class IndexMismatch(ValueError):
    """An index written with other MinHash parameters (its signatures cannot be compared)."""


@dataclass
class Index:
    ids: np.ndarray  # object array of str
    sources: np.ndarray
    signatures: np.ndarray  # uint32 [n, num_perm]
    shingles: np.ndarray  # int64
    lengths: np.ndarray  # int64

    def __len__(self) -> int:
        return len(self.ids)


def empty_index(num_perm: int) -> Index:
    none = np.empty(0, dtype=object)
    return Index(none, none.copy(), np.empty((0, num_perm), dtype=np.uint32), np.empty(0, np.int64), np.empty(0, np.int64))


def check_index(directory: Path, params: dict) -> None:
    """Raise IndexMismatch for a part that cannot be read or was written with other MinHash settings."""
    for part in _parts(directory):
        stored = json.loads((_schema(part).metadata or {}).get(PARAMS_KEY, b"{}"))
        wrong = [k for k in MUST_MATCH if stored.get(k) != params.get(k)]
        if wrong:
            raise IndexMismatch(
                f"index {part} was built with other MinHash settings ({', '.join(f'{k}={stored.get(k)!r}' for k in wrong)}); "
                "use a new --index directory or the same settings"
            )


def load_index(directory: Path, params: dict, exclude: str | None = None) -> Index:
    """All parts of the index in `directory` but `exclude` (none yet: an empty index)."""
    check_index(directory, params)
    parts = [read_part(part, params["num_perm"]) for part in index_part_paths(directory, exclude)]
    if not parts:
        return empty_index(params["num_perm"])
    return Index(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Index)))


def read_part(part: Path, num_perm: int) -> Index:
    """One part of the index; IndexMismatch names a part that cannot be read."""
    try:
        table = pq.read_table(part)
    except (pa.ArrowException, OSError) as e:
        raise _unreadable(part, e) from None
    flat = table.column("signature").combine_chunks().flatten().to_numpy()
    return Index(
        ids=np.array(table.column("id").to_pylist(), dtype=object),
        sources=np.array(table.column("source").to_pylist(), dtype=object),
        signatures=flat.reshape(table.num_rows, num_perm).astype(np.uint32),
        shingles=table.column("shingles").to_numpy().astype(np.int64),
        lengths=table.column("length").to_numpy().astype(np.int64),
    )


def index_part_paths(directory: Path, exclude: str | None = None) -> list[Path]:
    """The index's parts, in order, but the one named `exclude`."""
    return [p for p in _parts(directory) if p.name != exclude]


def part_name(run_id: str) -> str:
    """The part a run appends: named after the run, so no two runs write the same one."""
    return f"part-{run_id[:16]}.parquet"


def append_index(directory: Path, added: Iterable[Index], params: dict, name: str) -> Path | None:
    """Write the rows of `added` (one or more pieces, in order) as part `name` of the index, atomically; nothing
    when there are none. A piece at a time is in memory."""
    pieces = (piece for piece in added if len(piece))
    first = next(pieces, None)
    if first is None:
        return None
    target = directory / name
    with atomic_target(target) as tmp:
        table = _index_table(first, params)
        with pq.ParquetWriter(tmp, table.schema, compression="zstd") as writer:
            writer.write_table(table)
            for piece in pieces:
                writer.write_table(_index_table(piece, params))
    return target


def _index_table(added: Index, params: dict) -> pa.Table:
    num_perm = added.signatures.shape[1]
    return pa.table(
        {
            "id": pa.array(added.ids.tolist(), pa.string()),
            "source": pa.array(added.sources.tolist(), pa.string()),
            "signature": pa.FixedSizeListArray.from_arrays(pa.array(added.signatures.reshape(-1), pa.uint32()), num_perm),
            "shingles": pa.array(added.shingles, pa.int64()),
            "length": pa.array(added.lengths, pa.int64()),
        }
    ).replace_schema_metadata({PARAMS_KEY: json.dumps(params, sort_keys=True).encode()})


def _parts(directory: Path) -> list[Path]:
    return sorted(directory.glob("part-*.parquet")) if directory.is_dir() else []


def _schema(part: Path) -> pa.Schema:
    try:
        return pq.read_schema(part)
    except (pa.ArrowException, OSError) as e:
        raise _unreadable(part, e) from None


def _unreadable(part: Path, error: Exception) -> IndexMismatch:
    return IndexMismatch(f"index part {part} cannot be read (truncated or corrupt: {error}); move it away or rebuild the index")
