"""Crash safety: per-shard Parquet parts that double as completion records, and the run's fingerprint.

Every part is written under a temporary name and renamed, so a part that
exists is complete. `OUTPUT/.run/` holds the fingerprint of the run (inputs,
their sizes and times, settings), the per-shard statistics and the stages'
done markers. Starting the same run again skips what is complete; a run with
another fingerprint starts afresh.
"""
from __future__ import annotations

import functools
import hashlib
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.document import Document
from pipeline.folders import DOCUMENTS, REJECTED, REPORT, STAGES, STATS
from pipeline.output import atomic_target, part_name, write_json, write_part, write_table_part
from pipeline.schema import from_table
from pipeline.stage import StageStats
from pipeline.storage import Remote

RUN = ".run"
RECORDS = ("input", "sketch")  # tables kept with the run's records, not as stage tables: the read documents, dedup's sketches


def fingerprint(files: Sequence[tuple[Path, str]], settings: dict) -> str:
    """A hash of the input files (source, size, modification time), every setting and the pipeline's code."""
    listing = []
    for path, source in files:
        if isinstance(path, Remote):
            listing.append([path.uri, path.size, path.mtime_ns])
            continue
        try:
            info = path.stat()
            listing.append([source, info.st_size, info.st_mtime_ns])
        except OSError:
            listing.append([source, None, None])
    data = json.dumps({"files": listing, "settings": settings, "code": code_version()}, sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of this package's source: another version of the code never resumes a run."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class Checkpoint:
    """The output directory's parts and records for one run."""

    def __init__(self, output: Path, run_id: str, stages: Sequence[str]) -> None:
        """`stages`: the stages this run writes and those after them, whose old tables it replaces."""
        self.output, self.run_id = output, run_id
        self.state = output / RUN
        self.removed: list[str] = []  # earlier stage tables this run removed as stale
        tables = [output / STAGES / s for s in stages] + [output / DOCUMENTS, output / REJECTED]
        _remove_temporary_files(output, tables + [self.state])
        marker = self.state / "fingerprint"
        if not (marker.is_file() and marker.read_text().strip() == run_id):
            self._reset(stages, tables)
            self.state.mkdir(parents=True, exist_ok=True)
            _write_text(marker, run_id)

    def _reset(self, stages: Sequence[str], tables: list[Path]) -> None:
        """Remove what another run left: its records, the tables it wrote that this run writes again or that were
        made from those (the stages after the first one run now)."""
        shutil.rmtree(self.state, ignore_errors=True)
        self.removed = [f"{STAGES}/{s}" for s in stages[1:] if (self.output / STAGES / s).is_dir()]
        for path in tables:
            shutil.rmtree(path, ignore_errors=True)
        for name in (STATS, REPORT):
            (self.output / name).unlink(missing_ok=True)

    def table_dir(self, stage: str) -> Path:
        """Where a stage's parts go; `input` is the read documents, kept only when no stage before dedup, and
        `sketch` dedup's sketches (`pipeline.dedup.sketch`)."""
        return self.state / stage if stage in RECORDS else self.output / STAGES / stage

    def has(self, stage: str, shard: int) -> bool:
        return (self.table_dir(stage) / part_name(shard)).is_file()

    def load(self, stage: str, shard: int) -> list[Document]:
        return list(from_table(self.read_table(stage, shard)))

    def read_table(self, stage: str, shard: int, columns: Sequence[str] | None = None) -> pa.Table:
        return _read(self.table_dir(stage) / part_name(shard), columns)

    def save_table(self, stage: str, shard: int, table: pa.Table, rows_per_group: int) -> None:
        """A part written from a table (a shard with no rows writes an empty part: it still records the shard)."""
        if table.num_rows:
            write_table_part(self.table_dir(stage), shard, table, rows_per_group)
        else:
            _write(self.table_dir(stage) / part_name(shard), table)

    def save(self, stage: str, shard: int, docs: Sequence[Document], params: dict, rows_per_group: int, stats: StageStats | None) -> None:
        """Stats first, then the part: a part that exists always has its stats."""
        if stats is not None:
            self.save_stats(stage, shard, stats)
        write_part(self.table_dir(stage), shard, docs, params, rows_per_group)

    def save_piece(self, stage: str, shard: int, first_row: int, table: pa.Table) -> None:
        """A piece of a shard's table (its rows from `first_row`), written by a worker for `join_pieces`."""
        _write(self._piece_path(stage, shard, first_row), table)

    def join_pieces(self, stage: str, shard: int, first_rows: Sequence[int]) -> pa.Table:
        """The pieces of a shard's table, in order, as one table."""
        return pa.concat_tables([_read(self._piece_path(stage, shard, r)) for r in first_rows]).combine_chunks()

    def drop_pieces(self, shard: int) -> None:
        for path in (self.state / "pieces").glob(f"*/{shard:05d}-*.parquet"):
            path.unlink(missing_ok=True)

    def _piece_path(self, stage: str, shard: int, first_row: int) -> Path:
        return self.state / "pieces" / stage / f"{shard:05d}-{first_row:07d}.parquet"

    def save_stats(self, stage: str, shard: int, stats: StageStats) -> None:
        write_json(self._stats_path(stage, shard), stats.as_dict())

    def stats(self, stage: str, shard: int) -> StageStats:
        return StageStats.from_dict(json.loads(self._stats_path(stage, shard).read_text()))

    def _stats_path(self, stage: str, shard: int) -> Path:
        return self.state / "stats" / stage / f"{shard:05d}.json"

    def done(self, step: str) -> bool:
        return (self.state / f"{step}.done").is_file()

    def mark_done(self, step: str) -> None:
        _write_text(self.state / f"{step}.done", "")

    def note(self, key: str, value: str | None = None) -> str | None:
        """A small record kept across a crash (set when `value` is given)."""
        path = self.state / f"{key}.note"
        if value is not None:
            _write_text(path, value)
            return value
        return path.read_text() if path.is_file() else None

    def forget(self) -> None:
        """Drop the run's records (its output stays)."""
        shutil.rmtree(self.state, ignore_errors=True)

    def drop_parts_from(self, shard_count: int, stages: Sequence[str]) -> None:
        """Remove parts numbered `shard_count` and up (left by a run over more shards)."""
        for directory in [self.table_dir(s) for s in stages] + [self.output / DOCUMENTS, self.output / REJECTED]:
            for part in directory.glob("part-*.parquet"):
                if int(part.stem.split("-")[1]) >= shard_count:
                    part.unlink()


def _remove_temporary_files(output: Path, folders: Sequence[Path]) -> None:
    """Half-written files of an attempt that was killed (never visible: their names start with a dot), only where
    this pipeline writes: its own tables and records, and its files at the top of the output folder."""
    for folder in folders:
        if folder.is_dir():
            for tmp in folder.rglob(".*.tmp"):
                tmp.unlink(missing_ok=True)
    for name in (STATS, REPORT):
        (output / f".{name}.tmp").unlink(missing_ok=True)


def _read(path: Path, columns: Sequence[str] | None = None) -> pa.Table:
    # ParquetFile, not read_table: read_table loads pyarrow.dataset, some 40 MB a worker need not carry.
    return pq.ParquetFile(path).read(columns=columns, use_threads=False)


def _write(path: Path, table: pa.Table) -> None:
    with atomic_target(path) as tmp:
        pq.write_table(table, tmp)


def _write_text(path: Path, text: str) -> None:
    with atomic_target(path) as tmp:
        tmp.write_text(text)
