"""The output folder: what a run refuses to write, one run at a time, the completion marker."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import Config, run
from pipeline.folders import SUCCESS, FolderProblem, claim_output, is_output, locked
from tests.conftest import REPO

RAW = REPO / "raw"


def _cli(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_a_foreign_folder_is_refused_and_left_as_it_was(tmp_path):
    mine = tmp_path / "mine"
    (mine / "documents").mkdir(parents=True)
    (mine / "documents" / "notes.txt").write_text("my notes")
    (mine / ".draft.tmp").write_text("hidden work")
    (mine / "stats.txt").write_text("keep")
    result = _cli("run", RAW, "-o", mine, cwd=tmp_path)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "not a pipeline output" in result.stderr and "--overwrite" in result.stderr
    assert sorted(p.name for p in mine.rglob("*")) == [".draft.tmp", "documents", "notes.txt", "stats.txt"]


def test_overwrite_writes_the_tables_and_keeps_other_files(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes")
    (mine / ".draft.tmp").write_text("hidden work")
    assert _cli("run", RAW, "-o", mine, "--overwrite", cwd=tmp_path).returncode == 0
    assert (mine / "notes.txt").read_text() == "my notes" and (mine / ".draft.tmp").read_text() == "hidden work"
    assert pq.read_table(mine / "documents").num_rows == 5 and is_output(mine)


def test_an_output_that_is_an_input_or_a_file_is_refused(tmp_path):
    first = tmp_path / "o5"
    run([RAW], first)
    with pytest.raises(FolderProblem, match="also an input"):
        run([first], first)
    assert pq.read_table(first / "documents").num_rows == 5  # untouched
    afile = tmp_path / "f.txt"
    afile.write_text("x")
    with pytest.raises(FolderProblem, match="not a folder"):
        claim_output(afile, [RAW])
    result = _cli("run", RAW, "-o", afile / "below", cwd=tmp_path)
    assert result.returncode == 2 and "cannot be written" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_our_own_output_and_an_empty_folder_are_accepted(tmp_path):
    (tmp_path / "empty").mkdir()
    claim_output(tmp_path / "empty", [RAW])
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / ".gitkeep").write_text("")  # as the repository's own clean/ ships
    claim_output(tmp_path / "kept", [RAW])
    run([RAW], tmp_path / "empty")
    run([RAW], tmp_path / "empty")  # a second run on its own output


def test_one_run_at_a_time_per_output(tmp_path):
    out = tmp_path / "out"
    with locked(out, "the output folder"):
        with pytest.raises(FolderProblem, match="another run is writing"):
            run([RAW], out)
        result = _cli("run", RAW, "-o", out, cwd=tmp_path)
        assert result.returncode == 2 and "another run is writing" in result.stderr
    run([RAW], out)  # the lock went with its holder


def test_the_completion_marker_comes_last_and_goes_first(tmp_path, monkeypatch):
    out = tmp_path / "out"
    run([RAW], out)
    assert (out / SUCCESS).is_file()

    def fail(*args, **kwargs):
        assert not (out / SUCCESS).exists()  # a run that is writing has no marker
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pipeline.runner.write_report", fail)
    with pytest.raises(OSError):
        run([RAW], out, Config().override({"boilerplate.min_words": "4"}))
    assert not (out / SUCCESS).exists()


def test_a_full_disk_is_one_line(tmp_path, monkeypatch):
    import pipeline.cli
    import pipeline.runner

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline.runner, "run", full)
    from click.testing import CliRunner

    result = CliRunner().invoke(pipeline.cli.main, ["run", str(RAW), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and result.output.strip().count("\n") == 0 and "No space left on device" in result.output
