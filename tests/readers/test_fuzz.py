"""Seeded fuzzing of readers and writer: hostile bytes, encodings, nesting and names never end a run."""
from __future__ import annotations

import gzip
import io
import json
import os
import random

import pyarrow.parquet as pq
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline import Config, run
from tests.test_reliability import prose

ENCODINGS = ["utf-8", "utf-16", "shift_jis", "gbk", "cp1252", "latin-1", "koi8-r", "utf-8-sig"]
SAMPLES = ["Grüße aus Köln, schöne Straße.", "東京の天気は晴れです。今日は暑い。", "北京今天天气很好，我们去公园。", "Привет, как дела у вас сегодня?"]


def _text(rng: random.Random) -> str:
    parts = prose(rng.randrange(10_000), rng.randrange(1, 6)) + rng.sample(SAMPLES, 2)
    if rng.random() < 0.3:
        parts.append("".join(chr(rng.choice([0, 0x85, 0x9C, 0xD800, 0xFFFE, 0x202E, rng.randrange(0x110000)])) for _ in range(20)))
    return "\n".join(parts)


def _encoded(rng: random.Random, text: str) -> bytes:
    if rng.random() < 0.1:
        return rng.randbytes(rng.randrange(1, 3000))
    encoding = rng.choice(ENCODINGS)
    return text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf-8") else "replace")


def _jsonl(rng: random.Random) -> bytes:
    lines = []
    for _ in range(rng.randrange(1, 8)):
        kind = rng.random()
        if kind < 0.5:
            lines.append(json.dumps({"text": _text(rng), "url": f"https://example.org/{rng.randrange(99)}"}).encode())
        elif kind < 0.6:
            lines.append(b"[" * rng.choice([10, 5000, 100_000]) + b"]" * 3)
        elif kind < 0.7:
            lines.append(b'{"text": "lone \\ud800 surrogate", "html": null}')
        elif kind < 0.8:
            lines.append(json.dumps({"html": f"<p>{_text(rng)}</p>", "text": 5}).encode())
        elif kind < 0.9:
            lines.append(rng.randbytes(rng.randrange(1, 200)))
        else:
            lines.append(b'{"text": "nul\x00byte"}')
    return b"\n".join(lines)


def _html(rng: random.Random) -> bytes:
    depth = rng.choice([3, 300, 3000])
    charset = rng.choice(ENCODINGS + ["bogus-charset"])
    body = "<div>" * depth + "".join(f"<p>{line}</p>" for line in _text(rng).splitlines()) + "</div>" * rng.randrange(depth + 1)
    page = f'<html><head><meta charset="{charset}"><title>t</title></head><body>{body}</body></html>'
    return page.encode(charset if charset != "bogus-charset" else "utf-8", errors="replace")


def _warc(rng: random.Random) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=rng.random() < 0.5)
    for k in range(rng.randrange(1, 4)):
        status = rng.choice(["200 OK", "404 Not Found", "500 Server Error"])
        headers = StatusAndHeaders(status, [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(f"https://example.org/{k}", "response", payload=io.BytesIO(_html(rng)), http_headers=headers)
        writer.write_record(record)
    data = buffer.getvalue()
    return data[: rng.randrange(len(data))] if rng.random() < 0.2 else data


def _name(rng: random.Random, k: int) -> bytes:
    stem = rng.choice([b"page", b"caf\xe9", b"\xff\xfe", "日本".encode(), b"a b", b"-dash", b"new\nline", b"tab\tname"])
    return stem + f"-{k}".encode() + rng.choice([b".txt", b".html", b".jsonl", b".jsonl.gz", b".warc", b".txt.gz", b".bin"])


def _content(rng: random.Random, name: bytes) -> bytes:
    if b".jsonl" in name:
        data = _jsonl(rng)
    elif b".html" in name:
        data = _html(rng)
    elif b".warc" in name:
        data = _warc(rng)
    else:
        data = _encoded(rng, _text(rng))
    if name.endswith(b".gz"):
        data = gzip.compress(data)
        return data[: rng.randrange(len(data))] if rng.random() < 0.2 else data
    return data


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_hostile_inputs_never_end_a_run_and_every_file_is_accounted_for(tmp_path, seed):
    rng = random.Random(seed)
    raw = tmp_path / "raw"
    raw.mkdir()
    names = [_name(rng, k) for k in range(30)]
    for name in names:
        with open(os.path.join(os.fsencode(raw), name), "wb") as f:
            f.write(_content(rng, name))
    config = Config().override({"output.shard_size": "7", "limits.document_seconds": "20"})
    stats = run([raw], tmp_path / "out", config)  # no exception leaves the run
    rows = pq.read_table(tmp_path / "out" / "documents").to_pylist() + pq.read_table(tmp_path / "out" / "rejected").to_pylist()
    assert stats["conservation"] == "checked" and len(rows) == stats["read"]["documents"] >= len(names)
    sources = [r["source"] for r in rows]
    assert len(set(sources)) == len(sources) and all(s.isprintable() for s in sources)
    assert len({r["id"] for r in rows}) == len(rows)
    for name in names:  # every file shows up under a printable name of its own
        stem = name.split(b"-")[-1].split(b".")[0].decode()
        assert any(f"-{stem}." in s for s in sources), name
    assert all(r["reason"] for r in rows if r["status"] != "kept")
