import re

from pipeline import run
from pipeline.folders import REPORT


def test_report_is_self_contained_and_holds_the_plots(tmp_path, raw_dir):
    run([raw_dir], tmp_path / "out")
    page = (tmp_path / "out" / REPORT).read_text()
    for heading in ("Characters removed, per stage and reason", "Spillover", "Near-duplicate cluster sizes", "Per source", "Slowest documents"):
        assert heading in page
    assert page.count("<svg") >= 4
    assert "<script" not in page and "<link" not in page and "src=" not in page and "@import" not in page
    urls = set(re.findall(r"https?://[^'\" ]+", page))
    assert urls <= {"http://www.w3.org/2000/svg"}
    assert "segment.other_article" in page and "boilerplate.code" in page
    assert "c.bin.txt" in page  # the per-source table lists the rejected file too
