"""Object storage (`s3://`, `gs://`, `file://`) for the input, the output and the index, through pyarrow's file systems.

A run itself works on local folders, where it is crash-safe and resumable:
- an input object is fetched to a temporary folder when it is read, one object at a time;
- an output URI is written to a local staging folder (the same one for the same URI, so a
  killed run resumes), then *published*: each table's parts are uploaded, the parts of an
  earlier run that this one does not write again are deleted, a `_SUCCESS` object marks
  the table's folder done, and the top `_SUCCESS` comes last. An object appears only when
  its upload completes, so a reader never sees half a part, and `_SUCCESS` tells a finished
  output from one being published;
- an index URI is mirrored to a local folder before the run and the run's new part uploaded
  after it.
Credentials and endpoints come from the environment, as pyarrow reads them (`AWS_ACCESS_KEY_ID`,
`AWS_ENDPOINT_URL`, `GOOGLE_APPLICATION_CREDENTIALS`, ...). An object store has no locks: one
run at a time per output or index URI is the user's to keep.
"""
from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")  # s3://, gs://, file:// (not C:/)
CHUNK = 8 << 20


class StorageProblem(ValueError):
    """An object store path that cannot be used (an unknown scheme, a bucket out of reach): a usage error."""


def is_uri(value: object) -> bool:
    return isinstance(value, str) and bool(URI.match(value))


def open_uri(uri: str):
    """(pyarrow FileSystem, path inside it) of `uri`."""
    from pyarrow import fs

    try:
        return fs.FileSystem.from_uri(uri.rstrip("/"))
    except (ValueError, OSError) as e:  # pyarrow: ArrowInvalid (a ValueError) for an unknown scheme, OSError for a bad bucket
        raise StorageProblem(f"cannot use '{uri}': {e}".splitlines()[0]) from None


@dataclass(frozen=True)
class Remote:
    """An input object: read by fetching it to a local file."""

    uri: str
    size: int
    mtime_ns: int | None

    @property
    def name(self) -> str:
        return posixpath.basename(self.uri)


def list_objects(uri: str) -> list[tuple[Remote, str]]:
    """The objects at `uri` (one object, or every object under a prefix but hidden ones, sorted), each with its
    source: its key relative to the prefix (an object alone: its name)."""
    from pyarrow import fs

    filesystem, root = open_uri(uri)
    scheme = uri.split("://", 1)[0]
    info = filesystem.get_file_info(root)
    if info.type == fs.FileType.File:
        return [(_remote(scheme, info), posixpath.basename(root))]
    if info.type == fs.FileType.NotFound:
        raise StorageProblem(f"input '{uri}' does not exist")
    found = []
    for entry in filesystem.get_file_info(fs.FileSelector(root, recursive=True)):
        relative = posixpath.relpath(entry.path, root)
        if entry.type == fs.FileType.File and not any(part.startswith((".", "_")) for part in relative.split("/")):
            found.append((_remote(scheme, entry), relative))
    return sorted(found, key=lambda item: item[1])


def _remote(scheme: str, info) -> Remote:
    mtime = info.mtime_ns if info.mtime is not None else None
    return Remote(f"{scheme}://{info.path}", info.size, mtime)


@contextmanager
def fetched(remote: Remote) -> Iterator[Path]:
    """A local copy of `remote` (same name, so its format is told the same way), removed after the block."""
    with tempfile.TemporaryDirectory(prefix="scrape-pipeline-input-") as folder:
        local = Path(folder) / (remote.name or "object")
        filesystem, path = open_uri(remote.uri)
        with filesystem.open_input_stream(path) as source, local.open("wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        yield local


def staging_folder(uri: str, root: str = "") -> Path:
    """The local folder a run on `uri` works in: the same for the same URI, so a killed run resumes there."""
    base = Path(root) if root else Path(tempfile.gettempdir()) / "scrape-pipeline"
    return base / hashlib.sha256(uri.rstrip("/").encode()).hexdigest()[:16]


def is_remote_output(uri: str, marker: str) -> bool | None:
    """True: `uri` holds a pipeline output (its `marker` object); False: it holds other objects; None: nothing."""
    from pyarrow import fs

    filesystem, root = open_uri(uri)
    if filesystem.get_file_info(posixpath.join(root, marker)).type == fs.FileType.File:
        return True
    if filesystem.get_file_info(root).type == fs.FileType.NotFound:
        return None
    entries = filesystem.get_file_info(fs.FileSelector(root, recursive=False, allow_not_found=True))
    return False if entries else None


def publish(local: Path, uri: str, tables: Sequence[str], files: Sequence[str], success: str) -> None:
    """Upload a finished local output to `uri`: first `success` goes, then each of `tables` (folders: its parts,
    the parts it no longer has deleted, then `<table>/<success>`), then `files` (a table folder that is not
    here locally is emptied), and `success` last."""
    filesystem, root = open_uri(uri)
    _delete(filesystem, [posixpath.join(root, success)])
    for table in tables:
        remote = posixpath.join(root, table)
        here = local / table
        names = sorted(p.name for p in here.glob("*.parquet")) if here.is_dir() else []
        for name in names:
            _upload(filesystem, here / name, posixpath.join(remote, name))
        _delete(filesystem, [path for path in _files(filesystem, remote) if posixpath.basename(path) not in names])
        if here.is_dir():
            _write(filesystem, posixpath.join(remote, success), b"")
    for name in files:
        if (local / name).is_file():
            _upload(filesystem, local / name, posixpath.join(root, name))
    _write(filesystem, posixpath.join(root, success), b"")


def mirror(uri: str, local: Path) -> Path:
    """Make `local` hold the index parts at `uri` (downloading those it lacks, dropping those gone there)."""
    filesystem, root = open_uri(uri)
    local.mkdir(parents=True, exist_ok=True)
    remote = {posixpath.basename(p): p for p in _files(filesystem, root) if posixpath.basename(p).endswith(".parquet")}
    for part in local.glob("*.parquet"):
        if part.name not in remote:
            part.unlink()
    for name, path in sorted(remote.items()):
        target = local / name
        if not target.is_file() or target.stat().st_size != filesystem.get_file_info(path).size:
            with filesystem.open_input_stream(path) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
    return local


def upload_new(local: Path, uri: str) -> None:
    """Upload the index parts in `local` that `uri` lacks or holds at another size (a part is named per run)."""
    filesystem, root = open_uri(uri)
    sizes = {posixpath.basename(p): filesystem.get_file_info(p).size for p in _files(filesystem, root)}
    for part in sorted(local.glob("*.parquet")):
        if sizes.get(part.name) != part.stat().st_size:
            _upload(filesystem, part, posixpath.join(root, part.name))


def _files(filesystem, root: str) -> list[str]:
    from pyarrow import fs

    entries = filesystem.get_file_info(fs.FileSelector(root, recursive=False, allow_not_found=True))
    return sorted(e.path for e in entries if e.type == fs.FileType.File)


def _upload(filesystem, local: Path, path: str) -> None:
    """One object, visible once the whole of it is uploaded (a local `file://` path: written beside it and renamed)."""
    from pyarrow import fs

    if isinstance(filesystem, fs.LocalFileSystem):
        filesystem.create_dir(posixpath.dirname(path), recursive=True)
        hidden = posixpath.join(posixpath.dirname(path), f".{posixpath.basename(path)}.tmp")
        shutil.copyfile(local, hidden)
        filesystem.move(hidden, path)
        return
    with local.open("rb") as source, filesystem.open_output_stream(path) as target:
        shutil.copyfileobj(source, target, CHUNK)


def _write(filesystem, path: str, data: bytes) -> None:
    from pyarrow import fs

    if isinstance(filesystem, fs.LocalFileSystem):
        filesystem.create_dir(posixpath.dirname(path), recursive=True)
    with filesystem.open_output_stream(path) as target:
        target.write(data)


def _delete(filesystem, paths: Sequence[str]) -> None:
    from pyarrow import fs

    for path in paths:
        if filesystem.get_file_info(path).type == fs.FileType.File:
            filesystem.delete_file(path)
