"""Engines: the local pool and Ray give the same output, table for table; Ray problems are one-line usage errors.

The Ray tests carry the `ray` marker (`make test` runs them; `pytest -m "not ray"` leaves them out) and share
one local Ray with 2 CPUs, started here.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import Config, run
from pipeline.config import EngineConfig
from pipeline.engine import EngineProblem, LocalEngine, open_engine
from tests.conftest import ARTICLE, REPO, SHARED, SPILLOVER, html_page
from tests.test_reliability import corpus

TABLES = ("documents", "rejected", "stages/boilerplate", "stages/segment", "stages/dedup")


def _double(x: int) -> int:
    return 2 * x


def test_the_local_engine_keeps_the_items_order_with_one_worker_or_several():
    for workers in (1, 2):
        assert list(LocalEngine(workers).map(_double, ((i,) for i in range(7)))) == [0, 2, 4, 6, 8, 10, 12]


def test_without_ray_installed_the_ray_engine_is_a_clear_problem(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    with pytest.raises(EngineProblem, match=r"pip install 'scrape-pipeline\[ray\]'"):
        open_engine(EngineConfig(name="ray"), workers=1)


def test_address_without_the_ray_engine_is_a_usage_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(REPO / "raw"), "-o", str(tmp_path / "o"), "--address", "auto"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.strip() == "Error: --address names a Ray cluster: add --engine ray"


# ---- Ray ----------------------------------------------------------------------------


def mixed_input(root: Path) -> Path:
    """Text pages with near-duplicates, a contained copy, the sample pages, HTML, JSONL, WARC and Parquet records."""
    corpus(root, pages=40)
    first = (root / "p0001.txt").read_text().splitlines()
    (root / "contained.txt").write_text("\n".join(first[2:5]))  # half of an article, without its chrome
    for seed in (REPO / "raw").iterdir():
        (root / seed.name).write_bytes(seed.read_bytes())
    (root / "page.html").write_text(html_page(ARTICLE[0], ARTICLE[3:] + SPILLOVER), encoding="utf-8")
    records = [{"id": f"r{i}", "url": f"https://e.org/{i}", "text": "\n".join(ARTICLE if i % 2 else ARTICLE + SPILLOVER)} for i in range(4)]
    (root / "records.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n{broken\n", encoding="utf-8")
    import pyarrow as pa

    pq.write_table(pa.table({"url": ["https://e.org/p"], "text": ["\n".join(SPILLOVER + ARTICLE)]}), root / "table.parquet")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(root / "crawl.warc.gz", "wb") as f:
        writer = WARCWriter(f, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        page = html_page(ARTICLE[0], ARTICLE[3:]).encode()
        writer.write_record(writer.create_warc_record("https://e.org/w", "response", payload=BytesIO(page), http_headers=headers))
    return root


def without_timings(value):
    """stats.json without what depends on the clock."""
    if isinstance(value, dict):
        return {k: without_timings(v) for k, v in value.items() if k not in ("seconds", "slowest")}
    return value


def assert_same_output(one: Path, two: Path) -> None:
    for name in TABLES:
        if (one / name).is_dir() or (two / name).is_dir():
            assert sorted(p.name for p in (one / name).iterdir()) == sorted(p.name for p in (two / name).iterdir()), name
            a, b = pq.read_table(one / name), pq.read_table(two / name)
            assert a.equals(b) and a.schema.metadata == b.schema.metadata, name
    stats = [without_timings(json.loads((out / "stats.json").read_text())) for out in (one, two)]
    assert stats[0] == stats[1]


@pytest.mark.ray
@pytest.mark.parametrize("shard_size, representative, spread", [("4", "longest", {}), ("1000", "first", {}),
                                                                  ("4", "first", {"dedup.spread_above": "0", "dedup.partitions": "7"})])
def test_ray_gives_the_local_output(tmp_path, local_ray, shard_size, representative, spread):
    """`spread`: dedup's clustering as Ray tasks, components in star rounds, against the local in-process fit."""
    raw = mixed_input(tmp_path / "raw")
    settings = {"output.shard_size": shard_size, "dedup.representative": representative}
    run([raw], tmp_path / "local", Config().override(settings | {"output.workers": "2"}))
    stats = run([raw], tmp_path / "ray", Config().override(settings | spread | {"engine.name": "ray"}))
    assert_same_output(tmp_path / "local", tmp_path / "ray")
    statuses = stats["output"]["statuses"]
    assert statuses["duplicate"] >= 5 and statuses["error"] >= 1
    rows = pq.read_table(tmp_path / "ray" / "documents").to_pylist() + pq.read_table(tmp_path / "ray" / "rejected").to_pylist()
    cluster = {r["source"]: r["cluster_id"] for r in rows}
    assert cluster["contained.txt"] == cluster["p0001.txt"]  # the contained copy and its article are one cluster


@pytest.mark.ray
def test_ray_with_an_index_of_earlier_runs_gives_the_local_output(tmp_path, local_ray):
    raw = mixed_input(tmp_path / "raw")
    more = tmp_path / "more"
    corpus(more, pages=12)  # some of its pages repeat the first input's
    for engine in ("local", "ray"):
        config = Config().override({"engine.name": engine, "output.shard_size": "5", "dedup.index": str(tmp_path / f"index-{engine}")})
        run([raw], tmp_path / f"{engine}-1", config)
        run([more], tmp_path / f"{engine}-2", config)
    assert_same_output(tmp_path / "local-1", tmp_path / "ray-1")
    assert_same_output(tmp_path / "local-2", tmp_path / "ray-2")
    rejected = pq.read_table(tmp_path / "ray-2" / "rejected").to_pylist()
    assert any("seen in an earlier run" in (r["reason"] or "") for r in rejected)
    index = [pq.read_table(tmp_path / f"index-{e}").sort_by("id") for e in ("local", "ray")]
    assert index[0].equals(index[1])


@pytest.mark.ray
@pytest.mark.skipif(not (SHARED / "bench" / "dev" / "pages").is_dir(), reason="needs ../shared/bench/dev")
def test_ray_gives_the_local_output_on_the_development_pages(tmp_path, local_ray):
    pages = sorted((SHARED / "bench" / "dev" / "pages").iterdir())
    raw = tmp_path / "raw"
    raw.mkdir()
    for page in pages[:50] + [p for p in pages if p.suffix == ".html"][:10]:  # text dumps and HTML
        (raw / page.name).write_bytes(page.read_bytes())
    settings = {"output.shard_size": "16"}
    run([raw], tmp_path / "local", Config().override(settings))
    run([raw], tmp_path / "ray", Config().override(settings | {"engine.name": "ray"}))
    assert_same_output(tmp_path / "local", tmp_path / "ray")


def _dies_the_first_time(marker: str, x: int) -> int:
    if not os.path.exists(marker):
        Path(marker).write_text("died once")
        os._exit(1)  # the worker process dies, as a killed or lost node would
    return 2 * x


@pytest.mark.ray
def test_a_task_whose_worker_dies_is_retried_with_the_same_result(tmp_path, local_ray):
    engine = open_engine(EngineConfig(name="ray"), workers=1)
    marker = str(tmp_path / "marker")
    assert list(engine.map(_dies_the_first_time, [(marker, 3)])) == [6]
    assert Path(marker).read_text() == "died once"


@pytest.mark.ray
def test_an_unreachable_cluster_is_a_one_line_usage_error(tmp_path):
    pytest.importorskip("ray")
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "run", str(REPO / "raw"), "-o", str(tmp_path / "o"), "--engine", "ray", "--address", "ray://127.0.0.1:9"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("Error: cannot use the Ray cluster at ray://127.0.0.1:9") and len(lines[-1]) < 400
    assert "Traceback" not in result.stderr


def _ray_run_killed_when(command: list[str], cwd: Path, ready) -> bool:
    """Start a Ray run in its own process group and SIGKILL the group once `ready()` holds (its driver, and the Ray
    it started with it); False if it finished first."""
    import signal
    import time

    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if ready():
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.005)
    assert proc.returncode == 0, proc.stderr.read().decode()[-2000:]
    return False


@pytest.mark.ray
def test_a_ray_run_killed_at_any_step_resumes_to_the_local_output(tmp_path):
    pytest.importorskip("ray")
    raw = tmp_path / "raw"
    corpus(raw, pages=120)
    settings = ["--set", "output.shard_size=4", "--set", "dedup.spread_above=0", "--set", "dedup.partitions=3"]
    local = [sys.executable, "-m", "pipeline.cli", "run", str(raw), "-q", *settings]
    subprocess.run(local + ["-o", str(tmp_path / "local"), "--index", str(tmp_path / "local-index")], check=True, cwd=tmp_path)
    out = tmp_path / "ray"
    command = local + ["-o", str(out), "--index", str(tmp_path / "ray-index"), "--engine", "ray"]
    steps = [
        lambda: len(list((out / "stages" / "segment").glob("part-*.parquet"))) >= 10,  # in the map steps
        lambda: (out / ".run" / "spread" / "pairs").is_dir(),  # in the spread clustering
        lambda: len(list((out / "stages" / "dedup").glob("part-*.parquet"))) >= 5,  # while labelling
    ]
    killed = [_ray_run_killed_when(command, tmp_path, ready) for ready in steps]
    assert sum(killed) >= 2, killed
    subprocess.run(command, check=True, cwd=tmp_path)
    assert_same_output(tmp_path / "local", out)
    index = [pq.read_table(tmp_path / f"{kind}-index") for kind in ("local", "ray")]
    assert len(list((tmp_path / "ray-index").glob("part-*.parquet"))) == 1  # resumed: its own part rewritten, never a second
    assert index[0].sort_by("id").equals(index[1].sort_by("id"))


@pytest.fixture(scope="module")
def two_nodes():
    """A Ray cluster of two nodes on this machine (so they share its folders), in processes of its own."""
    cluster_utils = pytest.importorskip("ray.cluster_utils")
    cluster = cluster_utils.Cluster(initialize_head=True, connect=False, head_node_args={"num_cpus": 1})
    cluster.add_node(num_cpus=1)
    yield cluster.address
    cluster.shutdown()


@pytest.mark.ray
def test_a_cluster_of_nodes_that_share_the_folders_gives_the_local_output(tmp_path, two_nodes):
    raw = mixed_input(tmp_path / "raw")
    run([raw], tmp_path / "local", Config().override({"output.shard_size": "6"}))
    command = [sys.executable, "-m", "pipeline.cli", "run", str(raw), "-o", str(tmp_path / "ray"), "-q", "--set", "output.shard_size=6",
               "--engine", "ray", "--address", two_nodes]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert_same_output(tmp_path / "local", tmp_path / "ray")
    assert not list((tmp_path / "ray").glob(".probe-*"))


@pytest.mark.ray
def test_a_cluster_whose_nodes_miss_a_path_is_a_one_line_usage_error(tmp_path, two_nodes):
    code = (f"from pathlib import Path; from pipeline.engine import RayEngine; "
            f"RayEngine({two_nodes!r}, [Path({str(tmp_path)!r}), Path('/no/such/folder/input.txt')])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert result.returncode != 0 and "EngineProblem: 2 of the Ray cluster's 2 nodes cannot see what the run reads or writes" in result.stderr
    assert "/no/such/folder/input.txt" in result.stderr and not list(tmp_path.glob(".probe-*"))
