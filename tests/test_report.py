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


def test_report_figures_match_stats_json_and_examples_are_escaped(tmp_path, raw_dir):
    import html as html_module
    import json

    (raw_dir / "d.txt").write_text((raw_dir / "a.txt").read_text().replace("Subscribe to our newsletter", "<script>Subscribe</script> to our newsletter"))
    run([raw_dir], tmp_path / "out")
    page = (tmp_path / "out" / REPORT).read_text()
    stats = json.loads((tmp_path / "out" / "stats.json").read_text())
    out = stats["output"]
    assert f"{stats['read']['documents']:,} read, {out['documents']:,} kept, {out['rejected']:,} rejected" in page
    for stage, figures in stats["stages"].items():
        for reason, removed in figures["removed_by_reason"].items():
            label = reason if reason.startswith(stage) else f"{stage}: {reason}"
            assert f">{label}</text>" in page and f">{removed['chars']:,} characters</text>" in page
    shares = [float(x) for x in re.findall(r"<td>([0-9.]+)%</td>", page)]
    assert abs(sum(shares) - 100) < 0.3  # every character read is removed by one stage or kept
    assert "<script>" not in page and html_module.escape("<script>Subscribe</script> to our newsletter") in page
    assert "fill='#e45756'" in page and "fill='#f58518'" in page  # boilerplate and spillover keep their colours


def test_the_summary_is_the_same_whatever_the_batch(tmp_path, raw_dir):
    from pipeline.config import Config
    from pipeline.report import summarize

    run([raw_dir], tmp_path / "out", Config().override({"output.shard_size": "1"}))
    whole, small = summarize(tmp_path / "out"), summarize(tmp_path / "out", batch_rows=1)
    assert whole == small and whole.documents == 3 and sum(whole.by_file[f]["documents"] for f in whole.by_file) == 3
