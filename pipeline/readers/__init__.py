"""Input discovery and readers: each file format is one function yielding documents.

A reader takes `(path, source, max_bytes)` and yields `Document`s; adding a
format (WARC, say) means adding one function to `READERS`. A file or record
that cannot be read becomes a document with status `error` and the reason, so
nothing silently disappears.
"""
from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from pipeline.document import Document, unreadable
from pipeline.limits import DocumentTimeout, time_limit
from pipeline.readers.decode import ReadError
from pipeline.readers.jsonl import read_jsonl
from pipeline.readers.pages import read_html, read_text
from pipeline.readers.parquet import read_parquet
from pipeline.readers.warc import read_warc
from pipeline.storage import Remote, StorageProblem, fetched, is_uri, list_objects

Reader = Callable[[Path, str, int], Iterator[Document]]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".parquet": read_parquet,
    ".warc": read_warc,
    ".arc": read_warc,
    ".wet": read_warc,
}

# A directory holding these is a pipeline output: read its tables, not its stages.
OUTPUT_TABLES = ("documents", "rejected")
OUTPUT_MARKER = "stats.json"


def read_inputs(paths: Sequence[Path | str], max_bytes: int, exclude: Sequence[Path] = (), follow_links: bool = False) -> Iterator[Document]:
    """Every document under `paths` (files, or directories walked recursively), in a stable order.

    Directories in `exclude` (the run's own output) are not read.
    """
    for path, source in discover(paths, exclude):
        yield from read_file(path, source, max_bytes, follow_links)


def read_file(path: Path | Remote, source: str, max_bytes: int, follow_links: bool = False, seconds: float = 0) -> Iterator[Document]:
    """The documents of one file (or object store object, fetched first); `follow_links`: read what a symbolic link
    to a file points to.

    `seconds`: CPU time allowed for reading one record (0: no limit); a record over it ends the file's reading
    with an error row saying so.
    """
    if isinstance(path, Remote):
        yield from _read_remote(path, source, max_bytes, seconds)
        return
    problem = _not_readable(path, follow_links)
    if problem:
        yield unreadable(source, problem)
        return
    reader = READERS.get(format_suffix(path))
    if reader is None:
        yield unreadable(source, f"unsupported file type '{''.join(path.suffixes[-2:]) or path.name}'")
        return
    count = 0
    records = reader(path, source, max_bytes)
    try:
        while True:
            with time_limit(seconds, "reading one record took"):
                doc = next(records, None)
            if doc is None:
                if count == 0:  # a file is never silently absent from the output
                    yield unreadable(source, "the file holds no page or record to read")
                return
            count += 1
            yield doc
    except Exception as e:  # noqa: BLE001 - a reader's or its library's failure on one file must not end the run
        yield unreadable(source if count == 0 else f"{source}#{count + 1}", _read_failure(e))


def _read_remote(remote: Remote, source: str, max_bytes: int, seconds: float) -> Iterator[Document]:
    try:
        with fetched(remote) as local:
            yield from read_file(local, source, max_bytes, False, seconds)
    except (OSError, StorageProblem) as e:  # the object went, or the store failed mid-way: this object's error row
        yield unreadable(source, f"fetching {remote.uri} failed ({type(e).__name__}: {e})".splitlines()[0])


def _read_failure(e: Exception) -> str:
    """Why reading stopped, for the error row that stands for the record it stopped at."""
    if isinstance(e, ReadError):
        return str(e)
    rest = "the rest of the file was not read"
    if isinstance(e, DocumentTimeout):
        return f"{e}; {rest}"
    if isinstance(e, RecursionError):
        return f"nested too deeply to read; {rest}"
    return f"reading failed ({type(e).__name__}: {e}); {rest}"


def discover(paths: Sequence[Path | str], exclude: Sequence[Path] = ()) -> list[tuple[Path | Remote, str]]:
    """(file, source) pairs; `source` is the path relative to the common input root. A URI (`s3://...`) is an
    object or a prefix of objects, each with its key below the prefix as its source (with several inputs, after
    the prefix's last part)."""
    found_remote: list[tuple[Path | Remote, str]] = []
    for uri in (str(p) for p in paths if is_uri(p)):
        prefix = posixpath.basename(uri.rstrip("/"))
        for remote, source in list_objects(uri):
            found_remote.append((remote, posixpath.join(prefix, source) if len(paths) > 1 and source != prefix else source))
    paths = [Path(p) for p in paths if not is_uri(p)]
    skip = {p.resolve() for p in exclude}
    roots = [p if p.is_dir() else p.parent for p in paths]
    # abspath, not resolve: a file's own symbolic link (even a looping one) is not followed here.
    base = Path(os.path.commonpath([os.path.abspath(r) for r in roots])) if roots else Path(".")
    found: list[tuple[Path, str]] = []
    for path in paths:
        files = _walk(path, skip) if path.is_dir() else [path]
        found.extend((f, printable(Path(os.path.relpath(os.path.abspath(f), base)).as_posix())) for f in files)
    return found + found_remote


def printable(name: str) -> str:
    """A file name as a source anyone can read and no two names share: bytes that are not UTF-8 as `\\xNN`,
    control characters as their escapes, a backslash doubled."""
    if name.isprintable() and "\\" not in name:
        return name
    out = []
    for c in name:
        if "\udc80" <= c <= "\udcff":  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
            out.append(f"\\x{ord(c) - 0xDC00:02x}")
        elif c == "\\":
            out.append("\\\\")
        elif not c.isprintable():
            out.append(repr(c)[1:-1] if c.isascii() else f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return "".join(out)


def format_suffix(path: Path) -> str:
    """The format's suffix, looking through a trailing .gz: `a.jsonl.gz` -> `.jsonl`."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _not_readable(path: Path, follow_links: bool = False) -> str | None:
    """Why `path` is no file to read, checked without opening it (a FIFO would block)."""
    if path.is_symlink() and path.is_dir():
        return "symbolic link to a directory: not followed, so link loops cannot trap the run"
    if path.is_symlink() and not follow_links:
        return "symbolic link: not followed, so nothing outside the input is read unless asked (--follow-links)"
    if not path.exists():
        return "file is missing, or a broken or looping symbolic link"
    if not path.is_file():
        return "not a regular file (a directory, pipe, socket or device)"
    return None


def _walk(root: Path, skip: set[Path]) -> list[Path]:
    """Files under `root` in sorted order; hidden entries are skipped, symlinked dirs not followed."""
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here.resolve() in skip and here.resolve() != root.resolve():
            dirnames[:] = []
            continue
        if OUTPUT_MARKER in filenames and any(d in dirnames for d in OUTPUT_TABLES):
            dirnames[:] = sorted(d for d in dirnames if d in OUTPUT_TABLES)
            continue
        visible = sorted(d for d in dirnames if not d.startswith("."))
        # Symlinked directories are not walked (os.walk does not follow them) but reported.
        links = [d for d in visible if (here / d).is_symlink()]
        dirnames[:] = [d for d in visible if d not in links]
        files.extend(sorted([here / name for name in filenames if not name.startswith(".")] + [here / d for d in links]))
    return files
