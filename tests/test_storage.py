"""Object storage: inputs, output and index as s3:// URIs (a moto S3 server on 127.0.0.1) give the local run's output."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from pyarrow import fs

from pipeline import Config, run
from pipeline.readers import read_file
from pipeline.storage import Remote, StorageProblem, list_objects, publish
from tests.conftest import REPO
from tests.test_engine import without_timings
from tests.test_reliability import corpus

TABLES = ("documents", "rejected", "stages/boilerplate", "stages/segment", "stages/dedup")


@pytest.fixture(scope="module")
def s3():
    """An S3 server on 127.0.0.1 with bucket `bkt`; pyarrow and child processes find it through the environment."""
    server_module = pytest.importorskip("moto.server")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {"AWS_ENDPOINT_URL": f"http://{host}:{port}", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1",
           "AWS_EC2_METADATA_DISABLED": "true"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    filesystem = fs.S3FileSystem(endpoint_override=env["AWS_ENDPOINT_URL"], scheme="http", region="us-east-1", access_key="test",
                                 secret_key="test", allow_bucket_creation=True)
    filesystem.create_dir("bkt")
    yield filesystem
    server.stop()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def upload(filesystem, local: Path, prefix: str) -> str:
    for path in sorted(p for p in local.rglob("*") if p.is_file()):
        with filesystem.open_output_stream(f"{prefix}/{path.relative_to(local).as_posix()}") as out:
            out.write(path.read_bytes())
    return f"s3://{prefix}"


def remote_table(filesystem, prefix: str):
    files = sorted(i.path for i in filesystem.get_file_info(fs.FileSelector(prefix)) if i.path.endswith(".parquet"))
    return [pq.read_table(filesystem.open_input_file(f)) for f in files], [f.rsplit("/", 1)[1] for f in files]


def assert_same(filesystem, prefix: str, local: Path) -> None:
    for name in TABLES:
        tables, names = remote_table(filesystem, f"{prefix}/{name}")
        assert names == sorted(p.name for p in (local / name).glob("*.parquet")), name
        for table, part in zip(tables, names):
            mine = pq.read_table(local / name / part)
            assert table.equals(mine) and table.schema.metadata == mine.schema.metadata, (name, part)
        assert filesystem.get_file_info(f"{prefix}/{name}/_SUCCESS").type == fs.FileType.File
    stats = json.loads(filesystem.open_input_stream(f"{prefix}/stats.json").read())
    assert without_timings(stats) == without_timings(json.loads((local / "stats.json").read_text()))
    assert filesystem.get_file_info(f"{prefix}/_SUCCESS").type == fs.FileType.File


def test_input_output_and_index_on_s3_give_the_local_output(tmp_path, s3):
    raw, more = tmp_path / "raw", tmp_path / "more"
    corpus(raw, pages=30)
    corpus(more, pages=12)  # repeats some of raw's pages
    (raw / "a.jsonl").write_text('{"text": "A record in a JSONL file, long enough to keep as text for the test."}\n{broken\n')
    remote_raw, remote_more = upload(s3, raw, "bkt/in/raw"), upload(s3, more, "bkt/in/more")
    settings = {"output.shard_size": "4", "output.staging": str(tmp_path / "staging")}
    local = Config().override(settings | {"dedup.index": str(tmp_path / "index")})
    remote = Config().override(settings | {"dedup.index": "s3://bkt/index"})
    run([raw], tmp_path / "local-1", local)
    run([remote_raw], "s3://bkt/out-1", remote)
    assert_same(s3, "bkt/out-1", tmp_path / "local-1")
    run([more], tmp_path / "local-2", local)
    stats = run([remote_more], "s3://bkt/out-2", remote)
    assert_same(s3, "bkt/out-2", tmp_path / "local-2")
    assert stats["output"]["statuses"]["duplicate"] >= 1  # found in the index the first run left on S3
    index = [pq.read_table(s3.open_input_file(f)) for f in sorted(i.path for i in s3.get_file_info(fs.FileSelector("bkt/index")))]
    mine = [pq.read_table(p) for p in sorted((tmp_path / "index").glob("*.parquet"))]
    assert sorted(t.num_rows for t in index) == sorted(t.num_rows for t in mine)
    assert not list((tmp_path / "staging").glob("*/documents"))  # a published output's staging folder goes


def test_a_second_run_replaces_every_part_of_the_first(tmp_path, s3):
    raw = tmp_path / "raw"
    corpus(raw, pages=20)
    config = {"output.staging": str(tmp_path / "staging")}
    run([raw], "s3://bkt/again", Config().override(config | {"output.shard_size": "4"}))
    assert len(remote_table(s3, "bkt/again/documents")[1]) == 5
    run([raw], "s3://bkt/again", Config().override(config | {"output.shard_size": "1000", "output.keep_stages": "false"}))
    assert remote_table(s3, "bkt/again/documents")[1] == ["part-00000.parquet"]
    assert remote_table(s3, "bkt/again/stages/segment")[1] == []  # stale stage tables go when the run keeps none


def test_the_command_line_reads_and_writes_uris_and_refuses_a_foreign_prefix(tmp_path, s3):
    with s3.open_output_stream("bkt/theirs/notes.txt") as out:
        out.write(b"not ours")
    base = [sys.executable, "-m", "pipeline.cli", "run", upload(s3, REPO / "raw", "bkt/seeds"), "--set", f"output.staging={tmp_path}"]
    refused = subprocess.run(base + ["-o", "s3://bkt/theirs"], capture_output=True, text=True, cwd=tmp_path)
    assert refused.returncode == 2 and "holds other objects" in refused.stderr and "Traceback" not in refused.stderr
    done = subprocess.run(base + ["-o", "s3://bkt/seeds-out", "-q"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(pq.read_table(s3.open_input_file("bkt/seeds-out/documents/part-00000.parquet"))) == 5
    bad = subprocess.run(base[:4] + ["ftp://host/x", "-o", str(tmp_path / "o")], capture_output=True, text=True, cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("Error: cannot use 'ftp://host/x'") and len(bad.stderr.splitlines()) == 1


def test_an_object_that_cannot_be_fetched_is_an_error_row(s3):
    (doc,) = read_file(Remote("s3://bkt/gone/missing.txt", 10, None), "missing.txt", 10**6)
    assert doc.status == "error" and doc.reason.startswith("unreadable: fetching s3://bkt/gone/missing.txt failed")
    with pytest.raises(StorageProblem, match="does not exist"):
        list_objects("s3://bkt/no/such/prefix")


def test_publishing_that_dies_leaves_no_success_marker_and_no_half_part(tmp_path, monkeypatch):
    local = tmp_path / "staging"
    (local / "documents").mkdir(parents=True)
    for k in range(3):
        (local / "documents" / f"part-0000{k}.parquet").write_bytes(b"x" * 1000)
    (local / "stats.json").write_text("{}")
    target = tmp_path / "published"
    publish(local, f"file://{target}", ["documents"], ["stats.json"], "_SUCCESS")
    assert (target / "_SUCCESS").is_file() and (target / "documents" / "_SUCCESS").is_file()
    calls = []

    def dies_on_the_second(filesystem, path, where):
        calls.append(where)
        if len(calls) == 2:
            raise OSError("connection reset")
        real(filesystem, path, where)

    import pipeline.storage as storage

    real = storage._upload
    monkeypatch.setattr(storage, "_upload", dies_on_the_second)
    with pytest.raises(OSError):
        publish(local, f"file://{target}", ["documents"], ["stats.json"], "_SUCCESS")
    assert not (target / "_SUCCESS").exists()  # a reader sees the output is not complete
    assert all(p.stat().st_size == 1000 for p in (target / "documents").glob("*.parquet"))
    assert not list(target.rglob(".*.tmp"))
    monkeypatch.setattr(storage, "_upload", real)
    publish(local, f"file://{target}", ["documents"], ["stats.json"], "_SUCCESS")
    assert (target / "_SUCCESS").is_file()


@pytest.mark.ray
def test_ray_reads_and_writes_s3_as_the_local_run_does(tmp_path, s3, local_ray):
    raw = tmp_path / "raw"
    corpus(raw, pages=20)
    settings = {"output.shard_size": "4", "output.staging": str(tmp_path / "staging")}
    run([raw], tmp_path / "local", Config().override(settings))
    run([upload(s3, raw, "bkt/ray-in")], "s3://bkt/ray-out", Config().override(settings | {"engine.name": "ray"}))
    assert_same(s3, "bkt/ray-out", tmp_path / "local")


def test_the_python_api_reads_objects(tmp_path, s3):
    from pipeline import read

    docs = list(read([upload(s3, REPO / "raw", "bkt/api-seeds")]))
    assert len(docs) == 5 and all(d.status == "kept" for d in docs) and sorted(d.source for d in docs) == sorted(p.name for p in (REPO / "raw").iterdir())
