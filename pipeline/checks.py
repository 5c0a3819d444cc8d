"""Conservation, checked on every run: nothing read is lost, no stage changes a page's text.

A violation is a bug in the pipeline, so it stops the run with ConservationError.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.document import Document


class ConservationError(RuntimeError):
    """The output does not account for the input."""


def check_documents(docs: Iterable[Document]) -> None:
    """Every document's blocks, kept and removed, hold exactly the characters it had when first split."""
    for doc in docs:
        if doc.block_chars() != doc.input_chars:
            raise ConservationError(
                f"{doc.source}: blocks hold {doc.block_chars()} characters, the page had {doc.input_chars}"
            )


def check_table(table: pa.Table) -> None:
    """`check_documents` for a table of this pipeline's rows, in Arrow: the kept lines (`text`, joined with newlines)
    and the removed ones hold exactly `input_chars` characters."""
    text = table["text"].combine_chunks()
    kept = pc.subtract(pc.utf8_length(text), pc.count_substring(text, "\n")).to_numpy(zero_copy_only=False)
    removed = table["removed"].combine_chunks()
    lengths = pc.utf8_length(pc.struct_field(pc.list_flatten(removed), "text")).to_numpy(zero_copy_only=False)
    parents = pc.list_parent_indices(removed).to_numpy(zero_copy_only=False)
    held = kept + np.bincount(parents, weights=lengths, minlength=table.num_rows).astype(np.int64)
    had = table["input_chars"].to_numpy()
    for row in np.flatnonzero(held != had)[:1]:
        raise ConservationError(f"{table['source'][row].as_py()}: blocks hold {held[row]} characters, the page had {had[row]}")


def check_counts(read: int, written: dict[str, int]) -> None:
    """Every document read is in exactly one of documents/ and rejected/."""
    if read != sum(written.values()):
        raise ConservationError(
            f"{read} documents read but {written.get('documents', 0)} in documents/ and {written.get('rejected', 0)} in rejected/"
        )
