"""What every reader shares: bounded reading of files (gzip included), decoding bytes to text, and the
reasons for input over the size limit or without text."""
from __future__ import annotations

import codecs
import gzip
import re
import zlib
from pathlib import Path

import charset_normalizer
from charset_normalizer.md import mess_ratio

from pipeline.document import EMPTY, Document


class ReadError(Exception):
    """A file or record that cannot be read; the message is the reason a person reads."""


_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
# What browsers read these labels as (WHATWG Encoding): windows-1252, a superset.
_BROWSER_ALIASES = {name: "cp1252" for name in ("iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "windows-1252")}
MAX_MESS = 0.2  # charset_normalizer's mess ratio above which a declared charset is not believed
_SURROGATE = re.compile("[\ud800-\udfff]")
_C1_CHARS = re.compile("[\x80-\x9f]")
_C1 = {c: bytes([c]).decode("cp1252", errors="ignore") or "\ufffd" for c in range(0x80, 0xA0)}


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's content, gunzipped if it ends in .gz, refusing more than `max_bytes`.

    Decompression stops at the limit, so a gzip bomb costs no more memory than a
    file of the limit's size.
    """
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as f:
                data = f.read(max_bytes + 1)
        else:
            if path.stat().st_size > max_bytes:
                raise ReadError(over_limit("file", max_bytes))
            data = path.read_bytes()
    except ReadError:
        raise
    except EOFError:
        raise ReadError("truncated gzip file (compressed data ends early)") from None
    except (gzip.BadGzipFile, zlib.error) as e:
        raise ReadError(f"corrupt gzip file: {e}") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as e:
        raise ReadError(f"cannot read file: {e.strerror or e}") from None
    if len(data) > max_bytes:
        raise ReadError(over_limit("decompressed content", max_bytes))
    return data


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode bytes: BOM, then UTF-8, then a declared charset that fits, then detection.

    A declared charset is taken as browsers take it (ISO-8859-1 and ASCII mean
    windows-1252) and only when the text it gives reads as text: a page that
    declares Latin-1 but holds Shift-JIS is detected instead. The result is
    valid text (`valid_text`). Raises ReadError for content that is not text
    (binary data).
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):  # the BOM wins, as in browsers; bytes it does not fit are marked, not fatal
            return valid_text(data.decode(encoding, errors="replace"))
    if _looks_binary(data):
        raise ReadError("binary content, not text (NUL or control bytes)")
    try:
        return valid_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few broken or foreign bytes (mixed encodings): keep it, marking the bad bytes.
    replaced = data.decode("utf-8", errors="replace")
    if replaced.count("\ufffd") <= max(3, len(replaced) // 100) and _looks_utf8(data):
        return valid_text(replaced)
    if declared:
        try:
            text = data.decode(_BROWSER_ALIASES.get(declared.lower(), declared))
            if mess_ratio(text[:100_000]) < MAX_MESS:
                return valid_text(text)
        except (LookupError, UnicodeDecodeError):
            pass
    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise ReadError("cannot decode text: not UTF-8 and no other encoding fits")
    return valid_text(_decode_as(data, best.encoding))


def valid_text(text: str) -> str:
    """Text every table can hold and every reader shows: lone surrogates become U+FFFD, and C1 control
    characters, which are windows-1252 bytes read as Latin-1 (curly quotes, dashes), become what they stood for."""
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return text.translate(_C1) if _C1_CHARS.search(text) else text


def _looks_utf8(data: bytes) -> bool:
    """Some multi-byte UTF-8 sequences decode cleanly, so the text is UTF-8 and not a legacy charset."""
    sample = data[:65536]
    return any(b >= 0x80 for b in sample) and sample.decode("utf-8", errors="ignore") != sample.decode("ascii", errors="ignore")


def declared_charset(html: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 KB, if any."""
    match = _CHARSET.search(html[:4096])
    return match.group(1).decode("ascii") if match else None


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as e:
        raise ReadError(f"cannot decode text as {encoding}: {e}") from None


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    controls = sum(sample.count(bytes([c])) for c in range(9)) + sample.count(b"\x0e") + sample.count(b"\x1a")
    return controls / len(sample) > 0.01 or b"\x00" in sample


def over_limit(what: str, max_bytes: int) -> str:
    """The reason given for input over the size limit."""
    return f"{what} is larger than the {max_bytes / 1_000_000:g} MB limit (limits.max_document_mb)"


def without_text_rejected(doc: Document, empty: bool | None = None) -> Document:
    """Input with nothing but whitespace (no blocks, or `empty`) is rejected as empty right away."""
    if empty is None:
        empty = not doc.blocks
    if empty:
        doc.reject(EMPTY, "empty input: no text")
    return doc
