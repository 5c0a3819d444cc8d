"""Run stages over inputs and write the output directory: the Python API behind the CLI."""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pipeline.boilerplate import BoilerplateStage
from pipeline.config import Config
from pipeline.dedup import DedupStage
from pipeline.document import Document
from pipeline.output import DOCUMENTS, REJECTED, STAGES, STATS, clear_stages, write_final, write_json, write_table
from pipeline.readers import read_inputs
from pipeline.schema import SCHEMA_VERSION
from pipeline.segment import SegmentStage
from pipeline.stage import Stage

STAGE_ORDER = ("boilerplate", "segment", "dedup")


def build_stages(names: Sequence[str], config: Config) -> list[Stage]:
    makers = {
        "boilerplate": lambda: BoilerplateStage(config.boilerplate),
        "segment": lambda: SegmentStage(config.segment),
        "dedup": lambda: DedupStage(config.dedup),
    }
    return [makers[name]() for name in names]


def run(inputs: Sequence[str | Path], output: str | Path, config: Config | None = None, stages: Sequence[str] = STAGE_ORDER) -> dict:
    """Read `inputs`, apply `stages` in order, write `output/` and return the stats written to stats.json."""
    config = config or Config()
    output = Path(output)
    started = time.perf_counter()
    read_start = time.perf_counter()
    max_bytes = int(config.input.max_document_mb * 1_000_000)
    docs: list[Document] = list(read_inputs([Path(p) for p in inputs], max_bytes, exclude=[output]))
    read_stats = {
        "documents": len(docs),
        "statuses": dict(sorted(Counter(d.status for d in docs).items())),
        "seconds": round(time.perf_counter() - read_start, 3),
    }
    params: dict = {"input": config.section("input")}
    stage_stats: dict = {}
    later = STAGE_ORDER[STAGE_ORDER.index(stages[0]) :] if stages else ()
    clear_stages(output, later)
    for stage in build_stages(stages, config):
        docs = list(stage.run(docs))
        params |= stage.params()
        stage_stats[stage.name] = stage.stats.as_dict()
        if config.output.keep_stages:
            write_table(output / STAGES / stage.name, docs, params, config.output.rows_per_group)
    counts = write_final(output, docs, params, config.output.rows_per_group)
    stats = {
        "schema_version": SCHEMA_VERSION,
        "read": read_stats,
        "stages": stage_stats,
        "output": counts | {"statuses": dict(sorted(Counter(d.status for d in docs).items()))},
        "seconds": round(time.perf_counter() - started, 3),
    }
    write_json(output / STATS, stats)
    return stats


__all__ = ["run", "build_stages", "STAGE_ORDER", "DOCUMENTS", "REJECTED"]
