"""Find a document in an output directory and lay out its blocks with their labels and reasons."""
from __future__ import annotations

from pathlib import Path

import click
import pyarrow.compute as pc
import pyarrow.dataset as ds

from pipeline.document import BOILERPLATE, MAIN, SPILLOVER, Document
from pipeline.folders import DOCUMENTS, REJECTED, STAGES
from pipeline.config import STAGE_ORDER
from pipeline.schema import from_table

_STYLE = {MAIN: {"fg": "green"}, BOILERPLATE: {"dim": True}, SPILLOVER: {"fg": "yellow"}}


def find_documents(output: Path, key: str, limit: int = 20) -> list[Document]:
    """Documents whose id or source is `key` (or whose source is `key#N`, a record of that file).

    Read from the last stage table, which keeps every document's text; without
    stage tables, from documents/ and rejected/ (where rejected text is empty).
    """
    tables = [output / STAGES / s for s in reversed(STAGE_ORDER) if (output / STAGES / s).is_dir()][:1]
    tables = tables or [output / t for t in (DOCUMENTS, REJECTED) if (output / t).is_dir()]
    found: list[Document] = []
    for path in tables:
        dataset = ds.dataset(path, format="parquet")
        source, ident = pc.field("source"), pc.field("id")
        match = (ident == key) | (source == key) | pc.starts_with(source, key + "#") | pc.ends_with(source, "/" + key)
        found += list(from_table(dataset.to_table(filter=match)))
    return found[:limit]


def render(doc: Document, color: bool) -> str:
    """A document's header and its blocks, one per line, numbered from 0 as in `removed.position`."""
    head = f"{doc.source}  id {doc.id}  status {doc.status}"
    if doc.reason:
        head += f" ({doc.reason})"
    if doc.cluster_id:
        size = doc.cluster_size or 0
        head += f"  cluster {doc.cluster_id} ({size} document{'' if size == 1 else 's'})"
    lines = [click.style(head, bold=True) if color else head]
    if doc.url or doc.title:
        lines.append(f"  {doc.url or ''}  {doc.title or ''}".rstrip())
    for i, block in enumerate(doc.blocks):
        text = f"{i:5d}  {block.label:<11}  {block.text}"
        if color:
            text = click.style(text, **_STYLE[block.label])
        if block.reason:
            reason = f"  [{block.reason}]"
            text += click.style(reason, fg="cyan") if color else reason
        lines.append(text)
    return "\n".join(lines)
