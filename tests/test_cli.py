"""End to end: the commands on the sample pages in raw/, read back with pyarrow."""
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.schema import METADATA_PARAMS_KEY, METADATA_VERSION_KEY, SCHEMA, SCHEMA_VERSION
from tests.conftest import REPO

RAW = REPO / "raw"


def _invoke(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


def _rows(out: Path, table: str) -> list[dict]:
    return pq.read_table(out / table).to_pylist()


@pytest.fixture(scope="module")
def seed_output(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("clean")
    assert _invoke("run", RAW, "--output", out).exit_code == 0
    return out


def test_output_follows_the_contract(seed_output):
    docs, rejected = _rows(seed_output, "documents"), _rows(seed_output, "rejected")
    sources = sorted(r["source"] for r in docs + rejected)
    assert sources == sorted(p.name for p in RAW.iterdir() if not p.name.startswith("."))
    assert all(r["status"] == "kept" and r["cluster_id"] == r["id"] and r["text"] for r in docs)
    for table in ("documents", "rejected"):
        file = pq.ParquetFile(next((seed_output / table).glob("*.parquet")))
        assert file.schema_arrow.remove_metadata() == SCHEMA
        meta = file.schema_arrow.metadata
        assert meta[METADATA_VERSION_KEY] == SCHEMA_VERSION.encode()
        assert set(json.loads(meta[METADATA_PARAMS_KEY])) == {"limits", "boilerplate", "segment", "dedup"}
        if file.metadata.num_rows:
            assert file.metadata.row_group(0).column(0).compression == "ZSTD"
    stats = json.loads((seed_output / "stats.json").read_text())
    assert list(stats["stages"]) == ["boilerplate", "segment", "dedup"]
    assert stats["stages"]["boilerplate"]["chars_removed"]["boilerplate"] > 0
    assert stats["stages"]["segment"]["chars_removed"]["spillover"] > 0
    assert stats["output"]["documents"] + stats["output"]["rejected"] == stats["read"]["documents"]


def test_seed_spillover_is_gone_and_articles_stay_whole(seed_output):
    text = {r["source"]: r["text"] for r in _rows(seed_output, "documents")}
    everything = "\n".join(text.values())
    for spill in ("Sri Lanka", "Kash Patel", "Bernie", "Pompeo", "helicopter", "adsbygoogle", "Budanov", "Armenia-Azerbaijan Peace Deal", "Russian House in Baku"):
        assert spill not in everything, spill
    # the seeds' own headlines and standfirsts stay with their articles
    assert "The summit meeting in Baku suggests a mending of relations" in text["004_08aac5d7139b77c0.txt"]
    assert "Here’s what happened in Baku between Russia, Iran, and Azerbaijan" in text["004_08aac5d7139b77c0.txt"]
    for name, body in text.items():
        raw_lines = [l.strip() for l in (RAW / name).read_text(encoding="utf-8").splitlines()]
        long_lines = [l for l in raw_lines if len(l.split()) > 40]
        # every long paragraph up to the seed's own article's last one is kept
        own = [l for l in long_lines if l in body]
        assert own and own == long_lines[: len(own)], name


def test_two_runs_give_identical_parquet(seed_output, tmp_path):
    assert _invoke("run", RAW, "--output", tmp_path).exit_code == 0
    for table in ("documents", "rejected", "stages/boilerplate", "stages/segment", "stages/dedup"):
        a, b = pq.read_table(seed_output / table), pq.read_table(tmp_path / table)
        assert a.equals(b) and a.schema.metadata == b.schema.metadata, table


def test_stages_run_one_by_one_equal_the_full_run(seed_output, tmp_path):
    assert _invoke("boilerplate", RAW, "-o", tmp_path).exit_code == 0
    assert _invoke("segment", tmp_path / "stages" / "boilerplate", "-o", tmp_path).exit_code == 0
    assert _invoke("dedup", tmp_path / "stages" / "segment", "-o", tmp_path).exit_code == 0
    for table in ("documents", "rejected"):
        assert pq.read_table(tmp_path / table).equals(pq.read_table(seed_output / table))


def test_a_stage_reads_its_own_output_folder_and_stale_later_tables_go(seed_output, tmp_path):
    out = tmp_path / "st"
    assert _invoke("run", RAW, "-o", out).exit_code == 0
    again = _invoke("segment", "-o", out)  # no input: out/stages/boilerplate, not clean/stages/boilerplate
    assert again.exit_code == 0, again.output
    assert "removed stages/dedup" in again.output and not (out / "stages" / "dedup").exists()
    kept = [r["id"] for r in _rows(out, "stages/segment") if r["status"] == "kept"]
    assert [r["id"] for r in _rows(out, "documents")] == kept  # the final tables are the segment stage's now


def test_mixed_and_bad_inputs_are_accounted_for(raw_dir, tmp_path):
    result = _invoke("run", raw_dir, "--output", tmp_path / "out")
    assert result.exit_code == 0
    rejected = {r["source"]: r for r in _rows(tmp_path / "out", "rejected")}
    kept = {r["source"]: r for r in _rows(tmp_path / "out", "documents")}
    assert set(kept) | set(rejected) == {"a.txt", "b.html", "c.bin.txt"}
    assert rejected["c.bin.txt"]["status"] == "error" and "binary" in rejected["c.bin.txt"]["reason"]
    assert rejected["c.bin.txt"]["text"] == ""
    assert "1 error" in result.output


def test_flags_override_config(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[dedup]\nthreshold = 0.5\n")
    assert _invoke("run", RAW, "-o", tmp_path / "o", "--config", config, "--set", "dedup.num_perm=64").exit_code == 0
    params = json.loads(pq.read_schema(tmp_path / "o" / "documents" / "part-00000.parquet").metadata[METADATA_PARAMS_KEY])
    assert params["dedup"]["threshold"] == 0.5 and params["dedup"]["num_perm"] == 64


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "no/such/dir"], "Error: input 'no/such/dir' does not exist"),
        (["run", str(RAW), "--set", "dedup.nope=1"], "Error: unknown config key 'dedup.nope'"),
        (["run", str(RAW), "--set", "dedup.threshold=2"], "Error: bad value for 'dedup.threshold'"),
        (["run", str(RAW), "--config", "missing.toml"], "Error: config file 'missing.toml' does not exist"),
        (["dedup", str(RAW), "--threshold", "-1"], "Error: bad value for 'dedup.threshold'"),
    ],
)
def test_usage_errors_are_one_line_with_status_2(tmp_path, args, message):
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", *args, "-o", str(tmp_path)], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), proc.stderr


def test_help_shows_an_example():
    for command in ("run", "boilerplate", "segment", "dedup"):
        result = _invoke(command, "--help")
        assert result.exit_code == 0 and "Example:" in result.output and "pipeline " + command in result.output


def test_each_stage_has_its_own_console_script():
    bin_dir = Path(sys.executable).parent
    for name in ("pipeline", "pipeline-run", "pipeline-boilerplate", "pipeline-segment", "pipeline-dedup", "pipeline-inspect"):
        assert (bin_dir / name).exists(), name


def test_incremental_index_across_runs(tmp_path):
    index = tmp_path / "index"
    assert _invoke("run", RAW, "-o", tmp_path / "first", "--index", index).exit_code == 0
    assert len(_rows(tmp_path / "first", "documents")) == 5
    assert _invoke("run", RAW, "-o", tmp_path / "second", "--index", index).exit_code == 0
    assert _rows(tmp_path / "second", "documents") == []
    rejected = _rows(tmp_path / "second", "rejected")
    assert len(rejected) == 5 and all("seen in an earlier run" in r["reason"] for r in rejected)
    wrong = _invoke("dedup", tmp_path / "first" / "stages" / "segment", "-o", tmp_path / "third", "--index", index, "--num-perm", "64")
    assert wrong.exit_code == 2 and "other MinHash settings" in wrong.output


def test_inspect_shows_blocks_with_labels_and_reasons(seed_output):
    result = _invoke("inspect", "002_29286655cc9815db.txt", "-o", seed_output, "--no-color")
    assert result.exit_code == 0
    assert "status kept" in result.output and "spillover" in result.output and "[segment.other_article: " in result.output
    colored = _invoke("inspect", "002_29286655cc9815db.txt", "-o", seed_output, "--color")
    assert "\x1b[" in colored.output
    missing = _invoke("inspect", "nope.txt", "-o", seed_output)
    assert missing.exit_code == 2 and "no document with id or source 'nope.txt'" in missing.output


def test_quiet_and_verbose(tmp_path):
    quiet = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(RAW), "-o", str(tmp_path / "q"), "-q"], capture_output=True, text=True, cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""
    loud = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(RAW), "-o", str(tmp_path / "v"), "-v"], capture_output=True, text=True, cwd=tmp_path)
    lines = loud.stderr.splitlines()
    assert any(l.startswith("boilerplate+segment: 5 documents in") for l in lines)
    assert any(l.startswith("templates: 5 files in") and "5 documents" in l for l in lines)
    assert any(l.startswith("dedup: clustering: 1 shards in") and "exact duplicates" in l for l in lines)
    assert any(l.startswith("boilerplate+segment: 5/5 documents") and l.endswith("shard 0") for l in lines)
    assert len(lines) < 12  # a line per shard and step, never one per document


def test_without_stage_tables_a_second_run_still_works(tmp_path):
    for _ in range(2):
        result = _invoke("run", RAW, "-o", tmp_path, "--set", "output.keep_stages=false")
        assert result.exit_code == 0, result.output
    assert not (tmp_path / "stages").exists() or not any((tmp_path / "stages").iterdir())
    assert len(_rows(tmp_path, "documents")) == 5


def test_version_and_contradicting_flags():
    version = _invoke("--version")
    assert version.exit_code == 0 and version.output.startswith("pipeline ") and version.output.strip()[-1].isdigit()
    both = _invoke("run", RAW, "-q", "-v")
    assert both.exit_code == 2 and "-q and -v" in both.output


def test_help_imports_no_heavy_library():
    code = "import sys, pipeline.cli; print(sorted(m for m in ('trafilatura', 'pyarrow', 'scipy', 'datasketch', 'pandas') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_uri_of_no_store_we_read_is_a_one_line_usage_error_not_a_local_folder(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(RAW), "-o", "ftp://host/out"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("Error: cannot use 'ftp://host/out'") and "Traceback" not in result.stderr
    assert not (tmp_path / "ftp:").exists()
