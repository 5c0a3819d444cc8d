"""Reliability: malformed input, kill -9 and resume, conservation, limits, no network."""
from __future__ import annotations

import gzip
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import Config, run
from pipeline.checks import ConservationError, check_counts, check_documents
from pipeline.document import Block, Document
from tests.conftest import ARTICLE, REPO, SHARED, SPILLOVER, html_page

ENGLISH = "\n".join(ARTICLE + SPILLOVER)
def prose(seed: int, sentences: int = 6) -> list[str]:
    """Distinct English sentences (different seeds share no 5-word runs to speak of)."""
    rng = random.Random(seed)
    nouns = [f"{w}{seed}" for w in ("council", "river", "market", "school", "factory", "harbour", "museum", "railway")]
    verbs = ["approved", "opened", "closed", "visited", "expanded", "reported on", "criticised", "praised"]
    places = ["the north", "the capital", "the old town", "the coast", "the valley", "the suburbs"]
    return [
        f"The {rng.choice(nouns)} {rng.choice(verbs)} the {rng.choice(nouns)} in {rng.choice(places)} "
        f"on {rng.choice(['Monday', 'Friday', 'Sunday'])}, and the {rng.choice(nouns)} said it was {rng.choice(['good', 'late', 'costly'])} for {rng.choice(places)}."
        for _ in range(sentences)
    ]


RUSSIAN = "\n".join(
    [
        "Грузовые перевозки по новому коридору выросли",
        "Объём грузовых перевозок по новому северному железнодорожному коридору резко вырос в первом квартале, сообщил в среду оператор.",
        "Коридор соединяет внутренние контейнерные терминалы с морскими портами и сокращает время доставки грузов на два дня.",
    ]
)


def malformed_corpus(root: Path) -> dict[str, str]:
    """Write every kind of bad input; return {source: expected status}."""
    root.mkdir()
    expected = {}

    def put(name: str, data: bytes, status: str) -> None:
        (root / name).write_bytes(data)
        expected[name] = status

    put("good.txt", ENGLISH.encode(), "kept")
    rng = random.Random(0)
    put("binary.txt", bytes(rng.randrange(256) for _ in range(4096)), "error")
    put("nul_bytes.txt", ENGLISH.encode()[:200] + b"\x00\x00" + ENGLISH.encode()[200:], "error")
    mixed = "\n".join(line.replace("museum", "Köln museum").replace("railway", "Grüße railway") for line in prose(1))
    # UTF-8 text with stray Latin-1 bytes, as when two sources are concatenated
    put("mixed_encoding.txt", mixed.encode().replace("Köln".encode(), b"K\xf6ln"), "kept")
    other_russian = ["Музей в старом городе открылся после ремонта, который продолжался почти три года и стоил городу много денег.",
                     "Посетители смогут увидеть новые залы, а также коллекцию картин, которую раньше хранили в подвале музея."]
    paragraphs = "".join(f"<p>{line}</p>" for line in other_russian)
    put("mislabeled.html", f'<html><head><meta charset="utf-8"></head><body><article>{paragraphs}</article></body></html>'.encode("cp1251"), "kept")
    put("empty.txt", b"", "empty")
    put("whitespace.txt", b" \n\t\n   \r\n", "empty")
    put("russian.txt", RUSSIAN.encode(), "kept")
    put("one_line.txt", " ".join(prose(2, 3000)).encode(), "kept")
    put("deep.html", b"<html><body>" + b"<div>" * 10000 + b"<p>Deep.</p>" + b"</div>" * 10000 + b"</body></html>", "error")
    put("truncated.txt.gz", gzip.compress(ENGLISH.encode() * 20)[:-30], "error")
    put("bomb.txt.gz", gzip.compress(b"\x20" * 60_000_000), "error")
    with open(root / "page_100mb.txt", "wb") as f:  # sparse: costs no disk, must not be read
        f.truncate(100_000_000)
    expected["page_100mb.txt"] = "error"
    lines = [json.dumps({"url": "https://e.org/1", "text": "\n".join(prose(3))}), '{"text": "unterminated', json.dumps({"html": 3})]
    put("records.jsonl", "\n".join(lines).encode(), "")
    expected |= {"records.jsonl#1": "kept", "records.jsonl#2": "error", "records.jsonl#3": "error"}
    pq.write_table(pa.table({"numbers": [1, 2, 3]}), root / "foreign.parquet")
    expected["foreign.parquet"] = "error"
    del expected["records.jsonl"]
    (root / "dangling.txt").symlink_to(root / "nowhere.txt")
    expected["dangling.txt"] = "error"
    (root / "loop_a.txt").symlink_to(root / "loop_b.txt")
    (root / "loop_b.txt").symlink_to(root / "loop_a.txt")
    expected |= {"loop_a.txt": "error", "loop_b.txt": "error"}
    (root / "sub").mkdir()
    (root / "sub" / "again").symlink_to(root)  # a directory loop
    expected["sub/again"] = "error"
    os.mkfifo(root / "pipe.txt")  # reading it would block forever
    expected["pipe.txt"] = "error"
    return expected


def _all_rows(out: Path) -> dict[str, dict]:
    rows = pq.read_table(out / "documents").to_pylist() + pq.read_table(out / "rejected").to_pylist()
    return {r["source"]: r for r in rows}


def test_every_malformed_input_is_accounted_for_with_a_reason(tmp_path):
    expected = malformed_corpus(tmp_path / "raw")
    stats = run([tmp_path / "raw"], tmp_path / "out")
    rows = _all_rows(tmp_path / "out")
    assert {s: r["status"] for s, r in rows.items()} == expected
    for source, row in rows.items():
        if row["status"] != "kept":
            assert row["reason"] and len(row["reason"]) > 15, source
    reasons = {s: r["reason"] for s, r in rows.items()}
    assert "binary" in reasons["binary.txt"] and "binary" in reasons["nul_bytes.txt"]
    assert "larger than the 50 MB limit" in reasons["page_100mb.txt"]
    assert "larger than" in reasons["bomb.txt.gz"]
    assert "truncated gzip" in reasons["truncated.txt.gz"]
    assert "256 levels" in reasons["deep.html"]
    assert "invalid JSON on line 2" in reasons["records.jsonl#2"]
    assert "symbolic link to a directory" in reasons["sub/again"]
    assert "not a regular file" in reasons["pipe.txt"]
    mixed = rows["mixed_encoding.txt"]["text"]
    assert "K\ufffdln museum" in mixed and "Grüße" in mixed  # the stray byte marked, the UTF-8 kept
    assert "музей" in rows["mislabeled.html"]["text"].lower() and "коридор" in rows["russian.txt"]["text"].lower()
    assert stats["conservation"] == "checked"


def test_a_page_over_the_time_limit_is_an_error_and_the_run_goes_on(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text(ENGLISH)
    # a huge page of many short lines keeps the classifier busy for longer than the limit
    (tmp_path / "raw" / "b.txt").write_text("\n".join(f"Line number {i} of a very long page." for i in range(300_000)))
    config = Config().override({"limits.document_seconds": "0.2"})
    run([tmp_path / "raw"], tmp_path / "out", config)
    rows = _all_rows(tmp_path / "out")
    assert rows["a.txt"]["status"] == "kept"
    assert rows["b.txt"]["status"] == "error" and "took longer than 0.2 s" in rows["b.txt"]["reason"]


def _busy() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


@pytest.mark.parametrize("pages", ["seeds", "dev"])
def test_a_short_time_limit_rejects_no_ordinary_page_even_on_a_busy_machine(tmp_path, pages):
    """Start-up work (models, stoplists) is done before the first page and the limit counts CPU time, not the clock."""
    if pages == "seeds":
        raw = tmp_path / "raw"
        raw.mkdir()
        for seed in (REPO / "raw").iterdir():
            (raw / seed.name).write_bytes(seed.read_bytes())
        (raw / "page.html").write_text(html_page(ARTICLE[0], ARTICLE[3:]))
    else:
        raw = SHARED / "bench" / "dev" / "pages"
        if not raw.is_dir():
            pytest.skip("../shared/bench/dev is not here")
    load = [_busy() for _ in range(2 * (os.cpu_count() or 1))]
    try:
        subprocess.run(
            [sys.executable, "-m", "pipeline.cli", "run", str(raw), "-o", str(tmp_path / "out"), "--set", "limits.document_seconds=0.5"],
            cwd=tmp_path, check=True, capture_output=True,
        )
    finally:
        for proc in load:
            proc.kill()
            proc.wait()
    errors = [r for r in _all_rows(tmp_path / "out").values() if r["status"] == "error"]
    assert errors == []


def test_conservation_checks_catch_lost_text_and_lost_documents():
    doc = Document(id="1", source="a.txt", blocks=[Block("one"), Block("two")])
    check_documents([doc])
    doc.blocks.pop()
    with pytest.raises(ConservationError, match="a.txt: blocks hold 3 characters, the page had 6"):
        check_documents([doc])
    with pytest.raises(ConservationError, match="5 documents read"):
        check_counts(5, {"documents": 3, "rejected": 1})


def test_the_table_check_counts_kept_and_removed_characters_as_the_document_check_does():
    from pipeline.checks import check_table
    from pipeline.document import BOILERPLATE
    from pipeline.schema import to_table

    removed = Block("Home", BOILERPLATE, "boilerplate.nav")
    docs = [Document(id="1", source="a.txt", blocks=[Block("one"), removed, Block("two")]), Document(id="2", source="b.txt", blocks=[removed])]
    table = to_table(docs, {})
    check_table(table)  # 3 + 4 + 3 and 4 characters, as input_chars says
    broken = table.set_column(table.schema.get_field_index("text"), table.schema.field("text"), pa.array(["one", ""]))
    with pytest.raises(ConservationError, match="a.txt: blocks hold 7 characters, the page had 10"):
        check_table(broken)


def test_no_network_is_touched(tmp_path, monkeypatch, raw_dir):
    def refuse(*args, **kwargs):
        raise AssertionError("the pipeline tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    run([raw_dir], tmp_path / "out")
    rows = _all_rows(tmp_path / "out")
    assert rows["a.txt"]["status"] == "kept" and rows["b.html"]["duplicate_of"] == rows["a.txt"]["id"]  # one article, two forms


def test_outputs_stay_inside_the_output_directory(tmp_path):
    (tmp_path / "raw").mkdir()
    record = {"id": "../../../escape", "url": "file:///etc/passwd", "title": "/abs/path", "text": ENGLISH}
    (tmp_path / "raw" / "..weird name;rm -rf.jsonl").write_text(json.dumps(record))
    run([tmp_path / "raw"], tmp_path / "out")
    written = [p for p in tmp_path.rglob("*") if p.is_file() and tmp_path / "raw" not in p.parents]
    assert all(tmp_path / "out" in p.parents for p in written)
    assert {p.name for p in written if p.suffix == ".parquet"} <= {"part-00000.parquet"}


# ---- kill -9 and resume -------------------------------------------------------------


def corpus(root: Path, pages: int = 240) -> None:
    root.mkdir()
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(3000)]
    for i in range(pages):
        body = [
            " ".join(f"the {a} and {b} of the {c} were in {d}," for a, b, c, d in zip(*[iter(rng.choices(vocab, k=32))] * 4)) + " said the council."
            for _ in range(6)
        ]
        lines = ["Home | News | Sport | Contact", f"Story number {i} about things"] + body + ["Subscribe to our newsletter"]
        if i % 10 == 0 and i:  # a near-duplicate of an earlier page
            lines = (root / f"p{i - 3:04d}.txt").read_text().splitlines()[:-2] + ["One more line added here for the copy, with words."]
        (root / f"p{i:04d}.txt").write_text("\n".join(lines))


def _command(raw: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "run", str(raw), "-o", str(out), "--set", "output.shard_size=4", *extra]


def _parts(path: Path) -> int:
    return len(list(path.glob("part-*.parquet"))) if path.is_dir() else 0


def _children(pid: int) -> set[int]:
    """Processes whose parent is `pid` (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _run_and_kill(command: list[str], out: Path, when) -> bool:
    """Start the run and SIGKILL it once `when(out)` holds; False if it finished first. No process of it may outlive it."""
    proc = subprocess.Popen(command, cwd=out.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if when(out):
            workers = _children(proc.pid)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            gone = time.monotonic() + 10
            while any(_alive(w) for w in workers) and time.monotonic() < gone:
                time.sleep(0.05)
            assert not any(_alive(w) for w in workers), "a worker outlived its run"
            return True
        time.sleep(0.001)
    assert proc.returncode == 0, proc.stderr.read().decode()
    return False


def _tables(out: Path, stages: bool = True) -> dict[str, pa.Table]:
    names = ["documents", "rejected"] + (["stages/boilerplate", "stages/segment", "stages/dedup"] if stages else [])
    return {n: pq.read_table(out / n) for n in names}


def _index_rows(index: Path) -> list[tuple]:
    parts = sorted(index.glob("part-*.parquet"))
    assert len(parts) == 1, parts  # a resumed run rewrites its own part, never adds a second
    table = pq.read_table(parts[0])
    return sorted(zip(table.column("id").to_pylist(), table.column("signature").to_pylist()))


@pytest.mark.parametrize(
    "workers, keep_stages, with_index", [(1, True, False), (2, True, True), (1, False, True), (2, False, False)]
)
def test_killed_runs_resume_to_the_same_output(tmp_path, workers, keep_stages, with_index):
    raw = tmp_path / "raw"
    corpus(raw)

    def command(out: Path) -> list[str]:
        extra = ["--set", f"output.workers={workers}", "--set", f"output.keep_stages={str(keep_stages).lower()}"]
        return _command(raw, out, *extra, *(["--index", str(out.parent / f"{out.name}-index")] if with_index else []))

    reference = tmp_path / "reference"
    subprocess.run(command(reference), cwd=tmp_path, check=True, capture_output=True)
    out = tmp_path / "out"
    kill_points = [
        lambda o: True,  # at once, during start-up
        lambda o: _parts(o / "stages" / "boilerplate") >= 3,
        lambda o: _parts(o / "stages" / "segment") >= 20,
        lambda o: _parts(o / "stages" / "segment") >= 45,
        lambda o: _parts(o / "stages" / "dedup") >= 1,  # inside dedup
        lambda o: _parts(o / "documents") >= 40,  # while writing the final tables
        lambda o: (o / "stats.json").exists(),  # while the stage tables go (keep_stages=false)
    ]
    killed = [_run_and_kill(command(out), out, when) for when in kill_points]
    assert sum(killed) >= 5, killed
    assert not (out / "_SUCCESS").exists() or not killed[-1]
    subprocess.run(command(out), cwd=tmp_path, check=True, capture_output=True)
    ours, theirs = _tables(out, keep_stages), _tables(reference, keep_stages)
    for name in ours:
        assert ours[name].equals(theirs[name]), name
    assert (out / "_SUCCESS").exists() and not list(out.rglob(".*.tmp"))
    if not keep_stages:
        assert not any((out / "stages").glob("*/part-*.parquet"))
    if with_index:
        assert _index_rows(tmp_path / "out-index") == _index_rows(tmp_path / "reference-index")
    stats = json.loads((out / "stats.json").read_text())
    assert stats["read"]["documents"] == 240 and stats["output"]["statuses"]["duplicate"] >= 20


def test_a_finished_run_started_again_changes_nothing(tmp_path):
    raw = tmp_path / "raw"
    corpus(raw, pages=20)
    out = tmp_path / "out"
    subprocess.run(_command(raw, out), cwd=tmp_path, check=True, capture_output=True)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}
    subprocess.run(_command(raw, out), cwd=tmp_path, check=True, capture_output=True)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet") if "stages/dedup" not in str(p) and "documents" not in str(p) and "rejected" not in str(p)} == {
        p: t for p, t in before.items() if "stages/dedup" not in str(p) and "documents" not in str(p) and "rejected" not in str(p)
    }


def test_changed_input_starts_afresh(tmp_path):
    raw = tmp_path / "raw"
    corpus(raw, pages=12)
    out = tmp_path / "out"
    subprocess.run(_command(raw, out), cwd=tmp_path, check=True, capture_output=True)
    (raw / "p0011.txt").unlink()
    subprocess.run(_command(raw, out), cwd=tmp_path, check=True, capture_output=True)
    assert len(_all_rows(out)) == 11


def test_several_workers_give_the_same_output(tmp_path):
    raw = tmp_path / "raw"
    corpus(raw, pages=30)
    one, two = tmp_path / "one", tmp_path / "two"
    run([raw], one, Config().override({"output.shard_size": "4"}))
    stats = run([raw], two, Config().override({"output.shard_size": "4", "output.workers": "2"}))
    for name in ("documents", "rejected", "stages/boilerplate", "stages/segment", "stages/dedup"):
        assert pq.read_table(one / name).equals(pq.read_table(two / name)), name
    assert stats["read"]["documents"] == 30 and stats["stages"]["boilerplate"]["documents_in"] == 30


def test_output_rows_do_not_depend_on_hash_seed_workers_shard_size_or_load(tmp_path):
    raw = tmp_path / "raw"
    corpus(raw, pages=60)
    for seed in (REPO / "raw").iterdir():
        (raw / seed.name).write_bytes(seed.read_bytes())
    settings = [("1", "4", "1", False), ("2", "7", "2", True), ("3", "1000", "1", True)]
    results = []
    for hash_seed, shard_size, workers, busy in settings:
        out = tmp_path / f"out-{hash_seed}"
        load = [_busy() for _ in range(os.cpu_count() or 1)] if busy else []
        try:
            subprocess.run(
                [sys.executable, "-m", "pipeline.cli", "run", str(raw), "-o", str(out), "--set", f"output.shard_size={shard_size}", "--set", f"output.workers={workers}"],
                cwd=tmp_path, check=True, capture_output=True, env=os.environ | {"PYTHONHASHSEED": hash_seed},
            )
        finally:
            for proc in load:
                proc.kill()
                proc.wait()
        results.append({t: sorted(pq.read_table(out / t).to_pylist(), key=lambda r: r["id"]) for t in ("documents", "rejected")})
    assert results[0] == results[1] == results[2]
    assert len(results[0]["documents"]) >= 50 and any(r["status"] == "duplicate" for r in results[0]["rejected"])
