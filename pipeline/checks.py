"""Conservation, checked on every run: nothing read is lost, no stage changes a page's text.

A violation is a bug in the pipeline, so it stops the run with ConservationError.
"""
from __future__ import annotations

from collections.abc import Iterable

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


def check_counts(read: int, written: dict[str, int]) -> None:
    """Every document read is in exactly one of documents/ and rejected/."""
    if read != sum(written.values()):
        raise ConservationError(
            f"{read} documents read but {written.get('documents', 0)} in documents/ and {written.get('rejected', 0)} in rejected/"
        )
