"""Rows routed between the jobs of a spread step: `folder/<destination>/<sender>.arrow`, written whole or not at all.

A job reads what was routed to it (`gather`) and routes its rows on (`route`); a
job run twice (a retried task) writes the same files, so a retry changes nothing.
The files are Arrow IPC, uncompressed: written once and read once, soon after, they
cost a few times less than Parquet.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.feather as feather


def route(folder: Path, table: pa.Table, to: np.ndarray, sender: int) -> None:
    """Write the rows of `table` to `folder/<to[row]>/<sender>.arrow`, one file per destination, rows in order."""
    if table.num_rows == 0:
        return
    order = np.argsort(to, kind="stable")
    for chunk in np.split(order, np.flatnonzero(np.diff(to[order])) + 1):
        write(folder / str(int(to[chunk[0]])) / f"{sender}.arrow", table.take(chunk))


def gather(folder: Path, destination: int, schema: pa.Schema) -> pa.Table:
    """Every file routed to `destination`, senders in order, as one table (`schema`'s, empty, when none)."""
    files = sorted((folder / str(destination)).glob("*.arrow"), key=lambda p: int(p.stem))
    return pa.concat_tables([read(f) for f in files]) if files else schema.empty_table()


def write(path: Path, table: pa.Table) -> None:
    """Written beside and renamed, so a reader sees all of it or none, but not flushed to disk: a step's files
    live until the step after it has read them, and a crash reruns the step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    feather.write_feather(table, tmp, compression="uncompressed")
    os.replace(tmp, path)


def read(path: Path) -> pa.Table:
    return feather.read_table(path, memory_map=False, use_threads=False)
