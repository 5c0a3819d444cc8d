"""Web-scrape cleaning and deduplication: boilerplate, off-topic spillover, near-duplicates.

The names below are imported when first used, so `import pipeline.cli` (and
`pipeline --help`) does not pay for trafilatura, scipy and pyarrow.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_WHERE = {
    "Block": "pipeline.document",
    "Config": "pipeline.config",
    "Document": "pipeline.document",
    "deduplicate": "pipeline.api",
    "load_config": "pipeline.config",
    "read": "pipeline.api",
    "remove_boilerplate": "pipeline.api",
    "remove_spillover": "pipeline.api",
    "run": "pipeline.runner",
}
__all__ = sorted(_WHERE)

if TYPE_CHECKING:
    from pipeline.api import deduplicate, read, remove_boilerplate, remove_spillover
    from pipeline.config import Config, load_config
    from pipeline.document import Block, Document
    from pipeline.runner import run


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
