"""Run stages over inputs and write the output directory: the Python API behind the CLI.

Two kinds of step. Map steps (boilerplate, segment: `pipeline.stage`) run shard by
shard, `output.shard_size` documents each, each writing one part per shard. Fit/apply
steps aggregate over every document first: the site-template count (`fit` over the
files, applied by the boilerplate stage) and dedup (each shard's sketch is computed
with its map steps; `fit` clusters the sketches; `apply` labels each shard's table by
document id). Every step's jobs go through one engine (`pipeline.engine`: this
process, local processes, or Ray) in shard order. Parts are the completion records
(see `checkpoint`), so a run killed at any point and started again with the same
inputs and settings resumes and ends with the same output, row for row.
"""
from __future__ import annotations

import hashlib
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.boilerplate import BoilerplateStage
from pipeline.boilerplate.templates import TemplateCounter
from pipeline.checkpoint import RUN, Checkpoint, fingerprint
from pipeline.checks import check_counts, check_documents, check_table
from pipeline.config import STAGE_ORDER, Config
from pipeline.dedup import DedupStage, Labels, Verdict
from pipeline.dedup.index import check_index, index_part_paths
from pipeline.dedup.index import part_name as index_part_name
from pipeline.dedup.minhash import Signer
from pipeline.dedup.spread import Spread, partition_count
from pipeline.document import Document
from pipeline.engine import Engine, open_engine
from pipeline.folders import DOCUMENTS, OWNER, REJECTED, REPORT, STAGES, STATS, SUCCESS, FolderProblem, claim_output, locked, mark_finished, mark_unfinished
from pipeline.output import complete_table, part_name, table_counts, write_final, write_final_table, write_json
from pipeline.progress import NoProgress, Progress
from pipeline.readers import discover, read_file
from pipeline.report import write_report
from pipeline.routes import gather, route
from pipeline.schema import SCHEMA_VERSION, schema_with_metadata, to_table
from pipeline.segment import SegmentStage
from pipeline.stage import Stage, StageStats
from pipeline.storage import is_remote_output, is_uri, mirror, publish, staging_folder, upload_new
from pipeline.text import normalize

TEMPLATE_FILES_PER_JOB = 64
TEMPLATE_JOBS_PER_PARTITION = 16  # the template count's partitions: one per 16 jobs (1,024 files), up to
MAX_TEMPLATE_PARTITIONS = 256

def build_stages(names: Sequence[str], config: Config, templates: frozenset[int] = frozenset()) -> list[Stage]:
    makers = {
        "boilerplate": lambda: BoilerplateStage(config.boilerplate, templates),
        "segment": lambda: SegmentStage(config.segment),
        "dedup": lambda: DedupStage(config.dedup),
    }
    stages = [makers[name]() for name in names]
    for stage in stages:
        stage.seconds_per_document = config.limits.document_seconds
    return stages


def run(
    inputs: Sequence[str | Path],
    output: str | Path,
    config: Config | None = None,
    stages: Sequence[str] = STAGE_ORDER,
    progress: Progress | None = None,
    overwrite: bool = False,
) -> dict:
    """Read `inputs`, apply `stages` in order, write `output/` and return the stats written to stats.json.

    `output` must be new, empty or a pipeline output (`overwrite`: any folder; only the pipeline's own
    tables in it are replaced); one run at a time writes it. Inputs, `output` and the index may be object
    store URIs (`s3://`, `gs://`, `file://`; `pipeline.storage`). Raises FolderProblem, InputInOutput,
    IndexMismatch or StorageProblem, before any work, for an output or index that cannot be used.
    """
    config = config or Config()
    progress = progress or NoProgress()
    paths = [p if is_uri(p) else Path(p) for p in inputs]
    if is_uri(str(output)) or is_uri(config.dedup.index):
        return _run_on_storage(paths, str(output), config, stages, progress, overwrite)
    output = Path(output)
    claim_output(output, [p for p in paths if isinstance(p, Path)], overwrite)
    with locked(output, "the output folder"):
        return _run(paths, output, config, stages, progress)


def _run_on_storage(paths: list, output: str, config: Config, stages: Sequence[str], progress: Progress, overwrite: bool) -> dict:
    """A run whose output or index is a URI: on local folders, then published (`pipeline.storage`)."""
    staging = config.output.staging
    index = config.dedup.index if is_uri(config.dedup.index) else None
    if is_uri(output):
        if is_remote_output(output, OWNER) is False and not overwrite:
            raise FolderProblem(f"output '{output}' holds other objects, not a pipeline output: choose an empty or new prefix, "
                                "or add --overwrite to write the pipeline's tables into it")
        local = staging_folder(output, staging)
    else:
        local = Path(output)
    if index:
        mirrored = mirror(index, staging_folder(index, staging))
        progress.note(f"index {index}: mirrored to {mirrored}")
        config = config.override({"dedup.index": str(mirrored)})
    claim_output(local, [p for p in paths if isinstance(p, Path)], overwrite or not is_uri(output))
    with locked(local, "the output folder"):
        stats = _run(paths, local, config, stages, progress)
    if index:
        upload_new(Path(config.dedup.index), index)
    if is_uri(output):
        publish(local, output, [DOCUMENTS, REJECTED] + [f"{STAGES}/{s}" for s in _later(stages)], [STATS, REPORT, OWNER], SUCCESS)
        shutil.rmtree(local, ignore_errors=True)
    return stats


def _run(paths: list[Path], output: Path, config: Config, stages: Sequence[str], progress: Progress) -> dict:
    started = time.perf_counter()
    later = _later(stages)
    _refuse_overwriting_inputs(paths, output, later)
    if "dedup" in stages and config.dedup.index:
        check_index(Path(config.dedup.index), Signer(config.dedup.num_perm, config.dedup.seed, config.dedup.shingle_size).params())
    files = discover(paths, exclude=[output])
    engine = open_engine(config.engine, config.output.workers, _shared(files, output, config))
    pool = pa.default_memory_pool()
    # Arrow's system allocator gives freed memory back at once; mimalloc, its default, keeps tens of MB per process.
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        mark_unfinished(output)
        return _steps(files, output, config, stages, later, progress, engine, started)
    finally:
        pa.set_memory_pool(pool)
        engine.close()


def _later(stages: Sequence[str]) -> tuple[str, ...]:
    """The stages a run of `stages` writes and those after them (whose tables it makes stale)."""
    return STAGE_ORDER[STAGE_ORDER.index(stages[0]) :]


def _shared(files: Sequence[tuple[Path | str, str]], output: Path, config: Config) -> list[Path]:
    """What every node of a cluster must see: the output folder, a local index and an input file of each of the
    first 8 local input folders (objects in a store every node reaches anyway)."""
    index = [Path(config.dedup.index)] if config.dedup.index and Path(config.dedup.index).is_dir() else []
    parents: dict[Path, Path] = {}
    for path, _ in files:
        if isinstance(path, Path):
            parents.setdefault(path.parent, path)
    return [output, *index, *list(parents.values())[:8]]


def _steps(files: list[tuple[Path, str]], output: Path, config: Config, stages: Sequence[str], later: Sequence[str], progress: Progress,
           engine: Engine, started: float) -> dict:
    """`later`: the stages this run writes and those after them."""
    templates, document_count = (_site_templates(files, config, progress, engine, output / RUN / "templates") if "boilerplate" in stages
                                 else (frozenset(), None))
    built = build_stages(stages, config, templates)
    params: dict = {"limits": config.section("limits")}
    for stage in built:
        params |= stage.params()
    settings = {"schema": SCHEMA_VERSION, "stages": list(stages), "params": params, "output": config.section("output")}
    checkpoint = Checkpoint(output, fingerprint(files, settings), later)
    for name in checkpoint.removed:
        progress.note(f"removed {name}: it was made from tables this run rewrites")
    per_document = [s for s in built if not isinstance(s, DedupStage)]
    dedup = next((s for s in built if isinstance(s, DedupStage)), None)
    totals = {s.name: StageStats() for s in built}
    read = Counter()
    written = Counter()
    shard_count = 0
    read_start = time.perf_counter()
    progress.start("+".join(s.name for s in per_document) or "read", document_count)
    ticked = 0  # documents the in-process job showed one by one, in the shard it is on

    def tick() -> None:
        nonlocal ticked
        ticked += 1
        progress.advance(1)

    job = ShardJob(per_document, dedup, checkpoint, params, config, output, tick=tick if engine.in_process else None)
    first_table = per_document[0].name if per_document else "input"  # a shard already begun is not cut into pieces
    statuses_of: dict[int, Counter] = {}
    pieces_of: dict[int, int] = {}
    total = document_count if not engine.in_process else None

    def items() -> Iterator[tuple[int, list[Document], int | None]]:
        for shard, docs in enumerate(_shards(_read(files, config), config.output.shard_size)):
            statuses_of[shard] = Counter(d.status for d in docs)
            pieces = _pieces(shard, total, config.output.shard_size, engine.workers) if not checkpoint.has(first_table, shard) else 1
            pieces_of[shard] = pieces
            size = -(-len(docs) // pieces)
            for lo in range(0, len(docs), size):
                yield (shard, docs[lo : lo + size], lo) if pieces > 1 else (shard, docs, None)

    pieces: list[Piece] = []
    for result in engine.map(job, items()):
        if isinstance(result, Piece):
            pieces.append(result)
            if len(pieces) < pieces_of[result.shard]:
                continue
            result, pieces = job.assemble(pieces), []
        shard = shard_count
        stats, counts = result
        shard_count += 1
        statuses = statuses_of.pop(shard)
        progress.advance(sum(statuses.values()) - ticked, f"shard {shard}")
        ticked = 0
        read.update(statuses)
        for name, figures in stats.items():
            totals[name].merge(figures)
        written.update(counts)
    progress.done(f"{shard_count} shard{'s' if shard_count != 1 else ''}")
    read_seconds = time.perf_counter() - read_start - sum(t.seconds for t in totals.values())
    if dedup is not None:
        written.update(_dedup(engine, dedup, shard_count, job.last, checkpoint, output, params, config, totals, progress))
    checkpoint.drop_parts_from(shard_count, list(later) + ["input", "sketch"])
    for table in [output / DOCUMENTS, output / REJECTED] + [checkpoint.table_dir(s.name) for s in built]:
        complete_table(table, params)  # a table without rows still has its schema
    check_counts(sum(read.values()), {"documents": written["documents"], "rejected": written["rejected"]})
    stats = _summary(read, read_seconds, totals, written, shard_count, time.perf_counter() - started)
    write_json(output / STATS, stats)
    write_report(output)
    if not config.output.keep_stages:
        checkpoint.forget()  # first: a run killed while the tables go starts afresh instead of resuming from them
        for name in stages:
            shutil.rmtree(output / STAGES / name, ignore_errors=True)
    mark_finished(output)
    return stats


def _summary(read: Counter, read_seconds: float, totals: dict, written: Counter, shard_count: int, seconds: float) -> dict:
    """The content of stats.json."""
    return {
        "schema_version": SCHEMA_VERSION,
        "read": {"documents": sum(read.values()), "statuses": dict(sorted(read.items())), "seconds": round(max(read_seconds, 0.0), 3)},
        "stages": {name: t.as_dict() for name, t in totals.items()},
        "output": {
            "documents": written["documents"],
            "rejected": written["rejected"],
            "statuses": {k.split(":", 1)[1]: v for k, v in sorted(written.items()) if k.startswith("status:")},
            "shards": shard_count,
        },
        "conservation": "checked",
        "seconds": round(seconds, 3),
    }


class InputInOutput(ValueError):
    """An input lies where this run writes, so the run would destroy what it reads."""


def _refuse_overwriting_inputs(inputs: Sequence[Path | str], output: Path, stages: Sequence[str]) -> None:
    written = [output / STAGES / s for s in stages] + [output / DOCUMENTS, output / REJECTED]
    for path in (p for p in inputs if isinstance(p, Path)):
        for target in written:
            if path.resolve() == target.resolve() or target.resolve() in path.resolve().parents:
                raise InputInOutput(f"input '{path}' is inside '{target}', which this command rewrites; choose another --output")


def _site_templates(files: Sequence[tuple[Path, str]], config: Config, progress: Progress, engine: Engine,
                    folder: Path) -> tuple[frozenset[int], int | None]:
    """The template fit over the input: lines recurring on many pages (text dumps; HTML is not extracted yet), and
    the number of documents read (None when the pass is off), the total the next steps' progress shows.

    A distributed count: each job counts a group of files and routes its distinct (line, page) pairs by line
    to a partition (files under `folder`); each partition's job counts the pages of its lines and returns its
    template lines. The run's process holds only the template lines."""
    if config.boilerplate.template_min_pages <= 0:
        return frozenset(), None
    shutil.rmtree(folder, ignore_errors=True)
    progress.start("templates", len(files), unit="files")
    groups = [files[i : i + TEMPLATE_FILES_PER_JOB] for i in range(0, len(files), TEMPLATE_FILES_PER_JOB)]
    job = TemplateJob(config, folder, min(max(1, len(groups) // TEMPLATE_JOBS_PER_PARTITION), MAX_TEMPLATE_PARTITIONS))
    documents = 0
    for group, count in zip(groups, engine.map(job, enumerate(groups))):
        documents += count
        progress.advance(len(group))
    templates = frozenset(h for found in engine.map(job.templates, ((p,) for p in range(job.partitions)), light=job.partitions == 1)
                          for h in found.tolist())
    shutil.rmtree(folder, ignore_errors=True)
    progress.done(f"{documents:,} documents, {len(templates)} template lines")
    return templates, documents


@dataclass
class TemplateJob:
    """Count the template candidates of a group of files, route its distinct (line, page) pairs to `partitions`
    partitions by line; `templates` finds one partition's template lines."""

    config: Config
    folder: Path
    partitions: int

    def __call__(self, group: int, files: Sequence[tuple[Path, str]]) -> int:
        """Returns the documents read."""
        counter = TemplateCounter()
        documents = 0
        for doc in _read(files, self.config):
            counter.add(doc)
            documents += 1
        pairs = counter.pairs()
        table = pa.table({"line": pairs[:, 0], "page": pairs[:, 1]})
        route(self.folder, table, (pairs[:, 0] % np.uint64(self.partitions)).astype(np.int64), group)
        return documents

    def templates(self, partition: int) -> np.ndarray:
        pairs = gather(self.folder, partition, pa.schema([("line", pa.uint64()), ("page", pa.uint64())]))
        counter = TemplateCounter()
        counter.merge(np.stack([pairs["line"].to_numpy(), pairs["page"].to_numpy()], axis=1))
        return np.array(sorted(counter.templates(self.config.boilerplate.template_min_pages)), dtype=np.uint64)


def _read(files: Sequence[tuple[Path, str]], config: Config) -> Iterator[Document]:
    max_bytes = int(config.limits.max_document_mb * 1_000_000)
    for path, source in files:
        yield from read_file(path, source, max_bytes, config.input.follow_links, config.limits.document_seconds)


def _shards(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    docs = iter(docs)
    while shard := list(islice(docs, size)):
        yield shard


@dataclass
class ShardJob:
    """A shard's map steps, and dedup's sketch when dedup follows, runnable on any engine: results are written as
    parts (a step whose part exists is not run again)."""

    stages: list[Stage]
    dedup: DedupStage | None  # None: no dedup follows, so write documents/ and rejected/ too
    checkpoint: Checkpoint
    params: dict
    config: Config
    output: Path
    tick: Callable[[], None] | None = None  # in-process only: called per document as the first stage to run finishes it

    @property
    def last(self) -> str:
        """The table the map steps end with: the last stage's, or the read documents when there is none."""
        return self.stages[-1].name if self.stages else "input"

    def __call__(self, shard: int, docs: list[Document], first_row: int | None = None) -> tuple[dict[str, StageStats], Counter] | Piece:
        """Run (or load what an earlier attempt finished) and write; returns stats per stage and rows written.
        With `first_row`, `docs` are a piece of the shard, from that row: the piece's tables are returned, unwritten,
        for `assemble`."""
        if first_row is not None:
            return self._piece(shard, docs, first_row)
        stats: dict[str, StageStats] = {}
        rows = self.config.output.rows_per_group
        tick = self.tick
        for stage in self.stages:
            if self.checkpoint.has(stage.name, shard):
                stats[stage.name] = self.checkpoint.stats(stage.name, shard)
                docs = None  # loaded below, once the last finished stage is known
                continue
            if docs is None:
                docs = self.checkpoint.load(_previous(self.stages, stage), shard)
            stats[stage.name] = StageStats()
            docs = list(_ticking(stage.run(docs, stats[stage.name]), tick))
            tick = None  # the later stages are quick: the first one to run shows the progress
            self.checkpoint.save(stage.name, shard, docs, self.params, rows, stats[stage.name])
        if not self.stages and not self.checkpoint.has("input", shard):
            self.checkpoint.save("input", shard, docs, self.params, rows, None)  # what dedup will read
        if self.dedup is not None:
            if not self.checkpoint.has("sketch", shard):
                start = time.perf_counter()
                sketch = self.dedup.sketch(docs if docs is not None else self.checkpoint.load(self.last, shard))
                self.checkpoint.save_table("sketch", shard, sketch, rows)
                stats["dedup"] = StageStats(seconds=time.perf_counter() - start)
            return stats, Counter()
        if docs is None:
            docs = self.checkpoint.load(self.last, shard)
        check_documents(docs)
        return stats, write_final(self.output, shard, docs, self.params, rows)

    def _piece(self, shard: int, docs: list[Document], first_row: int) -> Piece:
        """Run a piece of a shard and write its tables as piece files (`Checkpoint.piece_path`)."""
        piece = Piece(shard, first_row, [], {})
        for stage in self.stages:
            piece.stats[stage.name] = StageStats()
            docs = list(stage.run(docs, piece.stats[stage.name]))
            self.checkpoint.save_piece(stage.name, shard, first_row, to_table(docs, self.params))
            piece.tables.append(stage.name)
        if not self.stages:
            self.checkpoint.save_piece("input", shard, first_row, to_table(docs, self.params))
            piece.tables.append("input")
        if self.dedup is not None:
            start = time.perf_counter()
            self.checkpoint.save_piece("sketch", shard, first_row, self.dedup.sketch(docs, first_row))
            piece.tables.append("sketch")
            piece.stats["dedup"] = StageStats(seconds=time.perf_counter() - start)
        else:
            check_documents(docs)
        return piece

    def assemble(self, pieces: list[Piece]) -> tuple[dict[str, StageStats], Counter]:
        """Write a shard's parts from its pieces (in order), one table at a time: the same parts as the shard run
        whole."""
        shard, rows = pieces[0].shard, self.config.output.rows_per_group
        stats: dict[str, StageStats] = {}
        for name in pieces[0].stats:
            stats[name] = StageStats()
            for piece in pieces:
                stats[name].merge(piece.stats[name])
        counts = Counter()
        for name in pieces[0].tables:
            table = self.checkpoint.join_pieces(name, shard, [p.first_row for p in pieces])
            if name in stats and name != "dedup":
                self.checkpoint.save_stats(name, shard, stats[name])
            self.checkpoint.save_table(name, shard, table, rows)
            if name == self.last and self.dedup is None:
                counts = write_final_table(self.output, shard, table, rows)
            del table
        self.checkpoint.drop_pieces(shard)
        return stats, counts


@dataclass
class Piece:
    """What a piece of a shard made: the tables it wrote as piece files (per stage, and dedup's sketch) and figures."""

    shard: int
    first_row: int
    tables: list[str]
    stats: dict[str, StageStats]


def _pieces(shard: int, documents: int | None, shard_size: int, workers: int) -> int:
    """Into how many pieces a shard is cut so that the last, partial wave of shards keeps every worker busy: the
    shards of that wave are cut, the others are not (the run's documents must be known; None: no cut)."""
    if not documents or workers <= 1:
        return 1
    shard_count = -(-documents // shard_size)
    last_wave = shard_count % workers
    if not last_wave or shard < shard_count - last_wave:
        return 1
    return -(-workers // last_wave)


@dataclass
class LabelJob:
    """Dedup's apply step for one shard: label the table of the step before by document id, in Arrow, and write
    the dedup part and the shard's documents/ and rejected/ parts."""

    dedup: DedupStage
    checkpoint: Checkpoint
    source: str  # the step whose parts dedup reads
    params: dict
    rows_per_group: int
    output: Path

    def __call__(self, shard: int, verdicts: dict[str, Verdict]) -> tuple[StageStats, Counter]:
        start = time.perf_counter()
        table = self.checkpoint.read_table(self.source, shard)
        table = table.replace_schema_metadata(schema_with_metadata(self.params).metadata)
        table, stats = self.dedup.label_table(table, verdicts, shard)
        check_table(table)
        self.checkpoint.save_table("dedup", shard, table, self.rows_per_group)
        counts = write_final_table(self.output, shard, table, self.rows_per_group)
        stats.seconds = time.perf_counter() - start
        return stats, counts


def _ticking(docs: Iterator[Document], tick: Callable[[], None] | None) -> Iterator[Document]:
    for doc in docs:
        yield doc
        if tick is not None:
            tick()


def _previous(stages: Sequence[Stage], stage: Stage) -> str:
    return stages[stages.index(stage) - 1].name


@dataclass
class ShardTexts:
    """Dedup's TextLoader: normalized texts of documents by (shard, row), from the parts of the step before dedup."""

    checkpoint: Checkpoint
    source: str

    def __call__(self, wanted: dict[int, tuple[int, int]]) -> dict[int, str]:
        by_shard: dict[int, list[tuple[int, int]]] = {}
        for key, (shard, row) in wanted.items():
            by_shard.setdefault(shard, []).append((key, row))
        found = {}
        for shard, items in sorted(by_shard.items()):
            column = self.checkpoint.read_table(self.source, shard, columns=["text"])["text"]
            found |= {key: normalize(column[row].as_py()) for key, row in items}
        return found


def _fit(dedup: DedupStage, engine: Engine, checkpoint: Checkpoint, shard_count: int, texts: ShardTexts, own_index_part: str) -> Labels:
    """Dedup's fit in this process, or spread over the engine when the run has more than `dedup.spread_above`
    documents (the index's included); a large run's containment search narrowed (`DedupStage.for_run`)."""
    c = dedup.config
    sketches = [checkpoint.table_dir("sketch") / part_name(shard) for shard in range(shard_count)]
    index_parts = index_part_paths(Path(c.index), exclude=own_index_part) if c.index else []
    documents = sum(pq.ParquetFile(p).metadata.num_rows for p in sketches + index_parts)
    dedup = dedup.for_run(documents)
    if documents <= c.spread_above:
        return dedup.fit([checkpoint.read_table("sketch", shard) for shard in range(shard_count)], texts, exclude_index_part=own_index_part)
    spread = Spread(dedup, checkpoint.state / "spread", index_parts, sketches, partition_count(documents, c.partitions), texts)
    return dedup.fit_spread(spread, engine)


def _dedup(engine: Engine, dedup: DedupStage, shard_count: int, source: str, checkpoint: Checkpoint, output: Path, params: dict,
           config: Config, totals: dict[str, StageStats], progress: Progress) -> Counter:
    """Fit over every shard's sketch, label each shard on the engine, write it; then add the run to the index, once."""
    written = Counter()
    if checkpoint.done("dedup"):
        totals["dedup"] = checkpoint.stats("dedup", 0)
        for shard in range(shard_count):
            written.update(table_counts(checkpoint.read_table("dedup", shard, columns=["status"])))
        return written
    stats = totals["dedup"]

    texts = ShardTexts(checkpoint, source)

    # The run's own index part, named after it and its output: one an attempt that died wrote is left out, then
    # written again; another run (other input, settings or output) never writes the same part.
    part = index_part_name(hashlib.sha256(f"{checkpoint.run_id} {output.resolve()}".encode()).hexdigest())
    with locked(Path(config.dedup.index), "the index") if config.dedup.index else nullcontext():
        start = time.perf_counter()
        progress.start("dedup: clustering", shard_count, unit="shards")
        labels = _fit(dedup, engine, checkpoint, shard_count, texts, part)
        stats.seconds += time.perf_counter() - start
        figures = labels.figures
        progress.advance(shard_count)
        progress.done(f"{figures['exact_duplicates']:,} exact duplicates, {figures['verified_pairs']:,} near-duplicate pairs")
        progress.start("dedup: labels", shard_count, unit="shards")
        job = LabelJob(dedup, checkpoint, source, params, config.output.rows_per_group, output)
        for shard_stats, counts in engine.map(job, ((shard, labels.of_shard(shard)) for shard in range(shard_count)), light=True):
            stats.merge(shard_stats)
            written.update(counts)
            progress.advance(1)
        progress.done()
        stats.extra = figures
        dedup.finish(labels, part)
        if labels.spread is not None:
            shutil.rmtree(labels.spread.folder, ignore_errors=True)
    checkpoint.save_stats("dedup", 0, stats)
    checkpoint.mark_done("dedup")
    return written


__all__ = ["STAGE_ORDER", "build_stages", "run"]
