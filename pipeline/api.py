"""The Python API: each stage as a function over documents, and `run` for whole directories.

    from pipeline import read, remove_boilerplate, remove_spillover, deduplicate
    docs = deduplicate(remove_spillover(remove_boilerplate(read(["raw"]))))
    kept = [d for d in docs if d.is_kept]

The CLI is a thin layer over `run`, which adds shards, resuming and the output tables.
(The functions are verbs so they do not shadow the subpackages `pipeline.boilerplate`,
`pipeline.segment` and `pipeline.dedup`.)
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from pipeline.boilerplate import BoilerplateStage
from pipeline.boilerplate.templates import TemplateCounter
from pipeline.config import Config
from pipeline.dedup import DedupStage
from pipeline.document import Document
from pipeline.readers import read_inputs
from pipeline.segment import SegmentStage
from pipeline.storage import is_uri


def read(paths: Sequence[str | Path], config: Config | None = None) -> Iterator[Document]:
    """Documents from files, directories or object store URIs (every format the CLI reads)."""
    config = config or Config()
    paths = [p if is_uri(p) else Path(p) for p in paths]
    return read_inputs(paths, int(config.limits.max_document_mb * 1_000_000), follow_links=config.input.follow_links)


def remove_boilerplate(docs: Iterable[Document], config: Config | None = None) -> Iterator[Document]:
    """Label site chrome in each document (HTML is extracted first); lines recurring across pages are site template."""
    config = config or Config()
    docs = list(docs)
    counter = TemplateCounter()
    counter.add_all(docs)
    templates = counter.templates(config.boilerplate.template_min_pages)
    return _stage(BoilerplateStage(config.boilerplate, templates), docs, config)


def remove_spillover(docs: Iterable[Document], config: Config | None = None) -> Iterator[Document]:
    """Label off-topic spillover in each document."""
    return _stage(SegmentStage((config or Config()).segment), docs, config)


def deduplicate(docs: Iterable[Document], config: Config | None = None) -> list[Document]:
    """Cluster exact and near-duplicates across all documents; all but each representative are rejected."""
    return list(_stage(DedupStage((config or Config()).dedup), docs, config))


def _stage(stage, docs: Iterable[Document], config: Config | None) -> Iterator[Document]:
    stage.seconds_per_document = (config or Config()).limits.document_seconds
    return stage.run(docs)
