"""Progress: true totals, one line per step off a terminal, a bar on one."""
import io

from pipeline.progress import QUIET, VERBOSE, Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_off_a_terminal_one_line_per_step_and_per_noted_shard():
    out = io.StringIO()
    progress = Progress(out, verbosity=VERBOSE)
    progress.start("dedup: labels", 300)
    for k in range(300):
        progress.advance(1)
    progress.advance(0, "shard 0")
    progress.done("0 duplicates")
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and lines[0].startswith("dedup: labels: 300/300 documents") and lines[0].endswith("shard 0")
    assert lines[1].startswith("dedup: labels: 300 documents in ") and lines[1].endswith("; 0 duplicates")


def test_a_terminal_gets_a_bar_with_total_and_time_left():
    out = Terminal()
    progress = Progress(out)
    progress.start("boilerplate+segment", 1000)
    progress.advance(10)
    progress.bar.refresh()
    shown = out.getvalue()
    assert "boilerplate+segment" in shown and "10/1000" in shown and "<" in shown  # tqdm's elapsed<left
    progress.note("removed stages/dedup")
    progress.done()
    assert "removed stages/dedup\n" in out.getvalue() and out.getvalue().rstrip().splitlines()[-1].startswith("boilerplate+segment: 10 documents in")


def test_quiet_says_nothing():
    out = Terminal()
    progress = Progress(out, verbosity=QUIET)
    progress.start("x", 3)
    progress.advance(3, "shard 0")
    progress.note("hello")
    progress.done()
    assert out.getvalue() == ""
