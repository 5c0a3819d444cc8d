"""Writing Parquet tables and stats.json: atomically, so a crash never leaves a partial file."""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.document import KEPT, Document
from pipeline.schema import to_table

DOCUMENTS, REJECTED, STAGES, STATS = "documents", "rejected", "stages", "stats.json"
PART = "part-00000.parquet"


def write_table(directory: Path, docs: Sequence[Document], params: dict, rows_per_group: int, *, keep_text: bool = True) -> Path:
    """Replace the Parquet part files of `directory` with one holding `docs` (zstd)."""
    directory.mkdir(parents=True, exist_ok=True)
    table = to_table(docs, params, keep_text=keep_text)
    target = directory / PART
    tmp = directory / f".{PART}.tmp"
    pq.write_table(table, tmp, compression="zstd", row_group_size=rows_per_group)
    for old in directory.glob("part-*.parquet"):
        old.unlink()
    os.replace(tmp, target)
    return target


def write_final(output: Path, docs: Sequence[Document], params: dict, rows_per_group: int) -> dict[str, int]:
    """The corpus split: kept documents in `documents/`, every other one in `rejected/` (text emptied)."""
    kept = [d for d in docs if d.status == KEPT]
    rejected = [d for d in docs if d.status != KEPT]
    write_table(output / DOCUMENTS, kept, params, rows_per_group)
    write_table(output / REJECTED, rejected, params, rows_per_group, keep_text=False)
    return {"documents": len(kept), "rejected": len(rejected)}


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def clear_stages(output: Path, names: Sequence[str]) -> None:
    """Remove stage tables that a new run would leave stale."""
    for name in names:
        shutil.rmtree(output / STAGES / name, ignore_errors=True)
