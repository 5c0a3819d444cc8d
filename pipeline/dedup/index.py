"""The incremental index: signatures of every document earlier runs have seen, as Parquet.

`INDEX/part-NNNNN.parquet` holds one row per document: `id`, `source`,
`signature` (the MinHash row, from which the LSH band hashes are derived),
`shingles` (set size, for containment) and `length` (clean text length). Each
run appends one part; the MinHash parameters are in the metadata and must
match the current run's.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
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


def load_index(directory: Path, params: dict, exclude: str | None = None) -> Index:
    """All parts of the index in `directory` but `exclude` (none yet: an empty index)."""
    parts = sorted(p for p in directory.glob("part-*.parquet") if p.name != exclude) if directory.is_dir() else []
    if not parts:
        return empty_index(params["num_perm"])
    tables = []
    for part in parts:
        table = pq.read_table(part)
        stored = json.loads((table.schema.metadata or {}).get(PARAMS_KEY, b"{}"))
        wrong = [k for k in MUST_MATCH if stored.get(k) != params.get(k)]
        if wrong:
            raise IndexMismatch(
                f"index {part} was built with other MinHash settings ({', '.join(f'{k}={stored.get(k)!r}' for k in wrong)}); "
                "use a new --index directory or the same settings"
            )
        tables.append(table.replace_schema_metadata(None))
    table = pa.concat_tables(tables)
    flat = table.column("signature").combine_chunks().flatten().to_numpy()
    return Index(
        ids=np.array(table.column("id").to_pylist(), dtype=object),
        sources=np.array(table.column("source").to_pylist(), dtype=object),
        signatures=flat.reshape(table.num_rows, params["num_perm"]).astype(np.uint32),
        shingles=table.column("shingles").to_numpy().astype(np.int64),
        lengths=table.column("length").to_numpy().astype(np.int64),
    )


def next_part_name(directory: Path) -> str:
    return f"part-{len(list(directory.glob('part-*.parquet'))):05d}.parquet" if directory.is_dir() else "part-00000.parquet"


def append_index(directory: Path, added: Index, params: dict, name: str | None = None) -> Path | None:
    """Write `added` as part `name` (default: the next number) of the index, atomically; nothing when empty."""
    if len(added) == 0:
        return None
    directory.mkdir(parents=True, exist_ok=True)
    name = name or next_part_name(directory)
    num_perm = added.signatures.shape[1]
    table = pa.table(
        {
            "id": pa.array(added.ids.tolist(), pa.string()),
            "source": pa.array(added.sources.tolist(), pa.string()),
            "signature": pa.FixedSizeListArray.from_arrays(pa.array(added.signatures.reshape(-1), pa.uint32()), num_perm),
            "shingles": pa.array(added.shingles, pa.int64()),
            "length": pa.array(added.lengths, pa.int64()),
        }
    ).replace_schema_metadata({PARAMS_KEY: json.dumps(params, sort_keys=True).encode()})
    target = directory / name
    with atomic_target(target) as tmp:
        pq.write_table(table, tmp, compression="zstd")
    return target
