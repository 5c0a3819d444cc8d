"""The folders a run writes: claiming the output folder, one writer at a time, the completion marker.

Spark refuses an existing output folder and marks a finished write with
`_SUCCESS`; this does the same for a pipeline output. A folder is ours when it
holds the `.pipeline` marker (or, from before the marker, `stats.json` and
`documents/`); any other folder that is not empty is refused unless the user
says `--overwrite`, and even then only the pipeline's own tables in it are
replaced. A run holds an OS lock on its output (and on an index it appends to),
released when the process ends however it ends, so a second run on the same
folder stops with a one-line error instead of mixing its tables in.
"""
from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

# The output folder's layout.
DOCUMENTS, REJECTED, STAGES, STATS, REPORT = "documents", "rejected", "stages", "stats.json", "report.html"
OWNER = ".pipeline"
LOCK = ".lock"
SUCCESS = "_SUCCESS"


class FolderProblem(ValueError):
    """A folder the run must not or cannot write: the message says which and why."""


def claim_output(output: Path, inputs: Sequence[Path], overwrite: bool = False) -> None:
    """Make `output` this pipeline's output folder, or refuse it.

    Refused: a path that is a file; a folder that is also an input; a folder that
    is neither empty nor a pipeline output (unless `overwrite`); one that cannot
    be written.
    """
    if output.exists() and not output.is_dir():
        raise FolderProblem(f"output '{output}' exists and is not a folder")
    for path in inputs:
        if path.exists() and path.resolve() == output.resolve():
            raise FolderProblem(f"output '{output}' is also an input: write the output somewhere else")
    if output.is_dir() and not overwrite and not is_output(output) and _holds_other_files(output):
        raise FolderProblem(
            f"output '{output}' is a folder with other files in it, not a pipeline output: choose an empty or new folder, "
            "or add --overwrite to write the pipeline's tables into it"
        )
    try:
        output.mkdir(parents=True, exist_ok=True)
        probe = output / f".probe-{os.getpid()}.tmp"
        probe.write_bytes(b"")
        probe.unlink()
        if not (output / OWNER).is_file():
            (output / OWNER).write_text(json.dumps({"written_by": "scrape-pipeline"}) + "\n")
    except OSError as e:
        raise FolderProblem(f"output '{output}' cannot be written: {e.strerror or e}") from None


# Files that keep an empty folder in version control or are a file browser's: they hold nothing of the user's.
PLACEHOLDERS = frozenset({".gitkeep", ".keep", ".gitignore", ".DS_Store"})


def _holds_other_files(folder: Path) -> bool:
    """Anything in the folder but placeholders and what a run starting on it at this moment writes first (lock, probe)."""
    return any(p.name not in PLACEHOLDERS and p.name != LOCK and not p.name.startswith(".probe-") for p in folder.iterdir())


def is_output(folder: Path) -> bool:
    """The folder was written by this pipeline."""
    return (folder / OWNER).is_file() or ((folder / STATS).is_file() and (folder / DOCUMENTS).is_dir())


@contextmanager
def locked(folder: Path, what: str) -> Iterator[None]:
    """Hold the folder's lock for the block; raise FolderProblem at once when another process holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderProblem(f"another run is writing {what} '{folder}': wait for it to finish, or choose another folder") from None
        yield
    finally:
        os.close(handle)  # closing releases the lock; so does the process's end, however it ends


def mark_unfinished(output: Path) -> None:
    (output / SUCCESS).unlink(missing_ok=True)


def mark_finished(output: Path) -> None:
    """The completion marker readers check: every table and stats.json of the run are written."""
    (output / SUCCESS).write_text("")
