"""Run stages over inputs and write the output directory: the Python API behind the CLI.

Documents flow in shards of `output.shard_size`. The per-document stages
(boilerplate, segment) run shard by shard, each writing one part per shard;
dedup reads every shard twice (signatures, then labels). Parts are the
completion records (see `checkpoint`), so a run killed at any point and
started again with the same inputs and settings resumes and ends with the
same output, row for row.
"""
from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import signal
import time
from contextlib import nullcontext
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

from pipeline.boilerplate import BoilerplateStage
from pipeline.boilerplate.templates import TemplateCounter
from pipeline.checkpoint import Checkpoint, fingerprint
from pipeline.checks import check_counts, check_documents
from pipeline.config import STAGE_ORDER, Config
from pipeline.dedup import DedupStage
from pipeline.document import Document
from pipeline.progress import NoProgress, Progress
from pipeline.dedup.index import check_index
from pipeline.dedup.index import part_name as index_part_name
from pipeline.dedup.minhash import Signer
from pipeline.folders import DOCUMENTS, REJECTED, STAGES, STATS, claim_output, locked, mark_finished, mark_unfinished
from pipeline.output import complete_table, final_counts, write_final, write_json
from pipeline.readers import discover, read_file
from pipeline.report import write_report
from pipeline.schema import SCHEMA_VERSION
from pipeline.segment import SegmentStage
from pipeline.stage import Stage, StageStats

_PR_SET_PDEATHSIG = 1


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
    tables in it are replaced); one run at a time writes it. Raises FolderProblem, InputInOutput or
    IndexMismatch, before any work, for an output or index that cannot be used.
    """
    config = config or Config()
    progress = progress or NoProgress()
    output, paths = Path(output), [Path(p) for p in inputs]
    claim_output(output, paths, overwrite)
    with locked(output, "the output folder"):
        return _run(paths, output, config, stages, progress)


def _run(paths: list[Path], output: Path, config: Config, stages: Sequence[str], progress: Progress) -> dict:
    started = time.perf_counter()
    later = STAGE_ORDER[STAGE_ORDER.index(stages[0]) :]
    _refuse_overwriting_inputs(paths, output, later)
    if "dedup" in stages and config.dedup.index:
        check_index(Path(config.dedup.index), Signer(config.dedup.num_perm, config.dedup.seed, config.dedup.shingle_size).params())
    files = discover(paths, exclude=[output])
    mark_unfinished(output)
    templates, document_count = _site_templates(files, config, progress) if "boilerplate" in stages else (frozenset(), None)
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
    last = per_document[-1].name if per_document else "input"
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

    job = ShardJob(per_document, checkpoint, params, config, output, final=dedup is None, tick=tick if config.output.workers <= 1 else None)
    for shard, statuses, (stats, counts) in _map_shards(job, _shards(_read(files, config), config.output.shard_size), config.output.workers):
        shard_count += 1
        progress.advance(sum(statuses.values()) - ticked, f"shard {shard}")
        ticked = 0
        read.update(statuses)
        for name, figures in stats.items():
            totals[name].merge(figures)
        written.update(counts)
    progress.done(f"{shard_count} shard{'s' if shard_count != 1 else ''}")
    read_seconds = time.perf_counter() - read_start - sum(t.seconds for t in totals.values())
    if dedup is not None:
        written.update(_dedup(dedup, shard_count, sum(read.values()), last, checkpoint, output, params, config, totals, progress))
    checkpoint.drop_parts_from(shard_count, list(later) + ["input"])
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


def _refuse_overwriting_inputs(inputs: Sequence[Path], output: Path, stages: Sequence[str]) -> None:
    written = [output / STAGES / s for s in stages] + [output / DOCUMENTS, output / REJECTED]
    for path in inputs:
        for target in written:
            if path.resolve() == target.resolve() or target.resolve() in path.resolve().parents:
                raise InputInOutput(f"input '{path}' is inside '{target}', which this command rewrites; choose another --output")


def _site_templates(files: Sequence[tuple[Path, str]], config: Config, progress: Progress) -> tuple[frozenset[int], int | None]:
    """Pass 1 over the input: lines recurring on many pages (text dumps; HTML is not extracted yet), and the
    number of documents read (None when the pass is off), the total the next steps' progress shows."""
    if config.boilerplate.template_min_pages <= 0:
        return frozenset(), None
    counter = TemplateCounter()
    documents = 0
    progress.start("templates", len(files), unit="files")
    for file in files:
        for doc in _read([file], config):
            counter.add(doc)
            documents += 1
        progress.advance(1)
    templates = counter.templates(config.boilerplate.template_min_pages)
    progress.done(f"{documents:,} documents, {len(templates)} template lines")
    return templates, documents


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
    """The per-document stages for one shard, runnable in a worker process: results are written as parts."""

    stages: list[Stage]
    checkpoint: Checkpoint
    params: dict
    config: Config
    output: Path
    final: bool  # no dedup follows: write documents/ and rejected/ too
    tick: Callable[[], None] | None = None  # in-process only: called per document as the first stage to run finishes it

    def __call__(self, shard: int, docs: list[Document]) -> tuple[dict[str, StageStats], Counter]:
        """Run (or load what an earlier attempt finished) and write; returns stats per stage and rows written."""
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
            stage.stats = StageStats()
            docs = list(_ticking(stage.run(docs), tick))
            tick = None  # the later stages are quick: the first one to run shows the progress
            self.checkpoint.save(stage.name, shard, docs, self.params, rows, stage.stats)
            stats[stage.name] = stage.stats
        if not self.stages and not self.checkpoint.has("input", shard):
            self.checkpoint.save("input", shard, docs, self.params, rows, None)  # what dedup will read
        if not self.final:
            return stats, Counter()
        if docs is None:
            docs = self.checkpoint.load(self.stages[-1].name, shard)
        check_documents(docs)
        return stats, write_final(self.output, shard, docs, self.params, rows)


def _ticking(docs: Iterator[Document], tick: Callable[[], None] | None) -> Iterator[Document]:
    for doc in docs:
        yield doc
        if tick is not None:
            tick()


def _map_shards(job: ShardJob, shards: Iterator[list[Document]], workers: int) -> Iterator[tuple[int, Counter, tuple]]:
    """(shard, statuses as read, job result) in shard order; with several workers, shards run in parallel."""
    if workers <= 1:
        for shard, docs in enumerate(shards):
            statuses = Counter(d.status for d in docs)
            yield shard, statuses, job(shard, docs)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
        pending: deque = deque()
        for shard, docs in enumerate(shards):
            pending.append((shard, Counter(d.status for d in docs), pool.submit(job, shard, docs)))
            while len(pending) > workers:  # bounded: one shard per worker and one being read, not the whole input
                done, statuses, future = pending.popleft()
                yield done, statuses, future.result()
        while pending:
            done, statuses, future = pending.popleft()
            yield done, statuses, future.result()


def _die_with_parent(parent: int) -> None:
    """Worker set-up: end when the run's process ends, however it ends (Linux's PR_SET_PDEATHSIG), so no worker
    goes on writing parts for a run that is gone."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown still ends idle workers
        pass
    if os.getppid() != parent:  # the run died before the signal was set up
        os._exit(1)


def _previous(stages: Sequence[Stage], stage: Stage) -> str:
    return stages[stages.index(stage) - 1].name


def _dedup(dedup: DedupStage, shard_count: int, documents: int, source: str, checkpoint: Checkpoint, output: Path, params: dict, config: Config, totals, progress: Progress) -> Counter:
    """Plan over every shard, label each shard, write it; then add the run to the index, once."""
    written = Counter()
    if checkpoint.done("dedup"):
        totals["dedup"].merge(checkpoint.stats("dedup", 0))
        for shard in range(shard_count):
            written.update(final_counts(checkpoint.load("dedup", shard)))
        return written
    dedup.stats = StageStats()
    first_loads: set[int] = set()

    def load_counted(shard: int) -> list[Document]:
        docs = checkpoint.load(source, shard)
        if shard not in first_loads:  # the containment check loads a few shards again: not progress
            first_loads.add(shard)
            progress.advance(len(docs))
        return docs

    # The run's own index part, named after it and its output: one an attempt that died wrote is left out, then
    # written again; another run (other input, settings or output) never writes the same part.
    part = index_part_name(hashlib.sha256(f"{checkpoint.run_id} {output.resolve()}".encode()).hexdigest())
    with locked(Path(config.dedup.index), "the index") if config.dedup.index else nullcontext():
        progress.start("dedup: signatures", documents)
        plan = dedup.plan(shard_count, load_counted, exclude_index_part=part)
        figures = plan.figures
        progress.done(f"{figures['exact_duplicates']:,} exact duplicates, {figures['verified_pairs']:,} near-duplicate pairs")
        progress.start("dedup: labels", documents)
        for shard in range(shard_count):
            docs = list(dedup.apply(checkpoint.load(source, shard), plan, first=shard * config.output.shard_size))
            progress.advance(len(docs), f"shard {shard}")
            check_documents(docs)
            checkpoint.save("dedup", shard, docs, params, config.output.rows_per_group, None)
            written.update(write_final(output, shard, docs, params, config.output.rows_per_group))
        progress.done()
        dedup.finish(plan, part)
    checkpoint.save_stats("dedup", 0, dedup.stats)
    checkpoint.mark_done("dedup")
    totals["dedup"].merge(dedup.stats)
    return written


__all__ = ["run", "build_stages", "STAGE_ORDER"]
