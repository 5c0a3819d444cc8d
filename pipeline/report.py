"""`OUTPUT/report.html`: one self-contained page (inline SVG, no scripts, no network) showing what a run did.

Figures come from `stats.json`; cluster sizes, the per-source summary, the
spillover topics and the example lines come from one pass over the output
tables, a batch of rows at a time, into a `Summary` whose size does not grow
with the corpus (but for one counter per input file).
"""
from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.folders import DOCUMENTS, REJECTED, REPORT, STATS
from pipeline.output import atomic_target


# One colour per meaning: what the corpus keeps, each kind of removal, each way a document leaves.
COLOURS = {
    "kept": "#54a24b",
    "boilerplate": "#e45756",
    "spillover": "#f58518",
    "duplicate": "#4c78a8",
    "error": "#7f3c8d",
    "empty": "#9d9d9d",
}
NEUTRAL = "#72b7b2"
EXAMPLES_PER_REASON = 3


def write_report(output: Path) -> Path:
    """Build the report from the output directory's stats.json and tables."""
    stats = json.loads((output / STATS).read_text())
    rows = summarize(output)
    sections = [
        _section("Documents", _bars([(status, n, COLOURS.get(status, NEUTRAL)) for status, n in stats["output"]["statuses"].items()], "documents")
                 + _p(f"{stats['read']['documents']:,} read, {stats['output']['documents']:,} kept, "
                      f"{stats['output']['rejected']:,} rejected; conservation {stats.get('conservation', 'not checked')}.")),
        _section("What each stage removed", _share_table(stats, rows)),
        _section("Characters removed, per stage and reason", _removed_chart(stats)),
        _section("Removed lines, a few per reason", _examples_table(rows)),
        _section("Spillover, per topic", _spillover_chart(rows)),
        _section("Near-duplicate cluster sizes", _cluster_chart(rows)),
        _section("Per source", _source_table(rows)),
        _section("Slowest documents", _slowest_table(stats)),
        _section("Time per stage", _bars([(name, s["seconds"], NEUTRAL) for name, s in stats["stages"].items()], "seconds", digits=2)
                 + _p("Stage times add up every attempt of a resumed run; the wall time above is the last attempt's.")),
    ]
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Pipeline report</title>"
        "<style>body{font:14px/1.4 system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222}"
        "h1{font-size:22px}h2{font-size:17px;margin-top:2em}table{border-collapse:collapse}"
        "td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:left}td.n{text-align:right}"
        "svg text{font:12px system-ui,sans-serif}</style></head><body>"
        f"<h1>Pipeline report</h1><p>Output directory: {html.escape(str(output))}; wall time {stats['seconds']:.1f} s "
        f"(the last attempt, if the run resumed); stage work {sum(s['seconds'] for s in stats['stages'].values()):.1f} s.</p>"
        + _legend()
        + "".join(sections)
        + "</body></html>\n"
    )
    target = output / REPORT
    with atomic_target(target) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return target


@dataclass
class Summary:
    """What the report needs of the output tables, gathered row by row."""

    documents: int = 0
    input_chars: int = 0
    kept_chars: int = 0
    removed_chars: Counter = field(default_factory=Counter)  # by label
    gone_chars: Counter = field(default_factory=Counter)  # main text of documents not kept, by status
    removed_lines: Counter = field(default_factory=Counter)  # by rule
    examples: dict[str, list[str]] = field(default_factory=dict)  # the first few distinct lines of each rule
    spillover: Counter = field(default_factory=Counter)  # characters by topic (or rule)
    cluster_sizes: Counter = field(default_factory=Counter)  # kept documents by their cluster's size
    by_file: dict[str, Counter] = field(default_factory=dict)

    def add(self, row: dict) -> None:
        removed = row["removed"] or []
        chars = row["input_chars"] or 0
        self.documents += 1
        self.input_chars += chars
        main = chars - sum(len(b["text"]) for b in removed)
        if row["status"] == "kept":
            self.kept_chars += main
            if row["cluster_size"]:
                self.cluster_sizes[row["cluster_size"]] += 1
        else:
            self.gone_chars[row["status"]] += main
        for b in removed:
            rule = b["rule"] or "unknown"
            self.removed_chars[b["label"]] += len(b["text"])
            self.removed_lines[rule] += 1
            found = self.examples.setdefault(rule, [])
            line = b["text"] if len(b["text"]) <= 160 else b["text"][:157] + "..."
            if len(found) < EXAMPLES_PER_REASON and line not in found:
                found.append(line)
            if b["label"] == "spillover":
                self.spillover[b["topic"] or "untagged"] += len(b["text"])
        c = self.by_file.setdefault(row["source"].split("#", 1)[0], Counter())
        c["documents"] += 1
        c[row["status"]] += 1
        c["chars in"] += chars
        c["chars kept"] += main if row["status"] == "kept" else 0


def summarize(output: Path, batch_rows: int = 256) -> Summary:
    """One pass over `documents/` and `rejected/`, `batch_rows` rows in memory at a time."""
    summary = Summary()
    columns = ["source", "status", "cluster_size", "input_chars", "removed"]
    for table in (DOCUMENTS, REJECTED):
        for part in sorted((output / table).glob("part-*.parquet")):
            for batch in pq.ParquetFile(part).iter_batches(batch_size=batch_rows, columns=columns):
                for row in batch.to_pylist():
                    summary.add(row)
    return summary


def _legend() -> str:
    swatches = "".join(
        f"<span style='display:inline-block;width:11px;height:11px;background:{c};margin:0 4px 0 12px'></span>{html.escape(k)}"
        for k, c in COLOURS.items()
    )
    return f"<p>Colours: {swatches}</p>"


def _share_table(stats: dict, rows: Summary) -> str:
    """Characters each stage took out, as a share of everything read (every document's lines)."""
    total = rows.input_chars
    body = []
    for stage, s in stats["stages"].items():
        label = {"boilerplate": "boilerplate", "segment": "spillover"}.get(stage)
        chars = rows.removed_chars[label] if label else rows.gone_chars["duplicate"]
        what = {"boilerplate": "lines of site chrome", "segment": "spillover (other articles)", "dedup": "duplicate documents"}.get(stage, stage)
        body.append([stage, what, s["documents_in"], s["documents_out"], chars, _share(chars, total)])
    for status in sorted(rows.gone_chars.keys() - {"duplicate"}):
        body.append(["-", f"{status} documents (text left after cleaning)", "-", "-", rows.gone_chars[status], _share(rows.gone_chars[status], total)])
    body.append(["", "kept in documents/", "", stats["output"]["documents"], rows.kept_chars, _share(rows.kept_chars, total)])
    return _table(["stage", "removed", "documents in", "documents out", "characters", "share of input"], body) + _p(
        f"Input: {total:,} characters in the lines of {rows.documents:,} documents."
    )


def _share(part: int, total: int) -> str:
    return f"{100 * part / total:.1f}%" if total else "-"


def _examples_table(rows: Summary) -> str:
    """The first few distinct removed lines of each reason, in input order, so a user sees what went."""
    if not rows.examples:
        return _p("Nothing was removed.")
    ranked = sorted(rows.examples.items(), key=lambda x: (-rows.removed_lines[x[0]], x[0]))
    return _table(["reason", "lines", "examples"], [[rule, rows.removed_lines[rule], " | ".join(found)] for rule, found in ranked])


def _removed_chart(stats: dict) -> str:
    items = []
    for stage, s in stats["stages"].items():
        colour = COLOURS["spillover"] if stage == "segment" else COLOURS["duplicate"] if stage == "dedup" else COLOURS["boilerplate"]
        for reason, figures in s.get("removed_by_reason", {}).items():
            items.append((reason if reason.startswith(stage) else f"{stage}: {reason}", figures["chars"], colour))
    return _bars(sorted(items, key=lambda x: -x[1]), "characters") if items else _p("Nothing was removed.")


def _spillover_chart(rows: Summary) -> str:
    counts = rows.spillover
    return _bars([(k, n, COLOURS["spillover"]) for k, n in counts.most_common()], "characters") if counts else _p("No spillover was found.")


def _cluster_chart(rows: Summary) -> str:
    sizes = rows.cluster_sizes
    if not sizes:
        return _p("No clusters (dedup did not run).")
    return _bars([(f"{size} document{'s' if size > 1 else ''}", n, COLOURS["duplicate"] if size > 1 else COLOURS["kept"]) for size, n in sorted(sizes.items())], "clusters")


def _source_table(rows: Summary, limit: int = 50) -> str:
    by_file = rows.by_file
    biggest = sorted(by_file.items(), key=lambda x: (-x[1]["chars in"], x[0]))[:limit]
    statuses = sorted({k for _, c in biggest for k in c} - {"documents", "chars in", "chars kept"})
    header = ["source", "documents", *statuses, "chars in", "chars kept"]
    body = [[name, *(c[h] for h in header[1:])] for name, c in biggest]
    note = f" (the {limit} largest of {len(by_file)})" if len(by_file) > limit else ""
    return _table(header, body) + _p(f"Per input file{note}.")


def _slowest_table(stats: dict) -> str:
    body = [[stage, source, f"{seconds:.3f}"] for stage, s in stats["stages"].items() for seconds, source in s.get("slowest", [])]
    body.sort(key=lambda r: -float(r[2]))
    return _table(["stage", "document", "seconds"], body[:15]) if body else _p("No timings recorded.")


def _bars(items: list[tuple[str, float, str]], unit: str, digits: int = 0) -> str:
    """A horizontal bar chart as inline SVG; each item is (label, value, colour)."""
    if not items:
        return _p("Nothing to show.")
    width, label_w, bar_h = 900, 330, 20
    top = max(v for _, v, _ in items) or 1
    height = bar_h * len(items) + 10
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img' aria-label='{html.escape(unit)}'>"]
    for i, (label, value, colour) in enumerate(items):
        y = 5 + i * bar_h
        w = max(1, (width - label_w - 170) * value / top)
        parts.append(
            f"<text x='{label_w - 6}' y='{y + 14}' text-anchor='end'>{html.escape(str(label))[:60]}</text>"
            f"<rect x='{label_w}' y='{y + 3}' width='{w:.1f}' height='{bar_h - 6}' fill='{colour}'/>"
            f"<text x='{label_w + w + 6:.1f}' y='{y + 14}'>{value:,.{digits}f} {html.escape(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(header: list[str], body: list[list]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    rows = "".join(
        "<tr>" + "".join(f"<td class='n'>{v:,}</td>" if isinstance(v, int) else f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in body
    )
    return f"<table><tr>{head}</tr>{rows}</table>"


def _section(title: str, content: str) -> str:
    return f"<h2>{html.escape(title)}</h2>{content}"


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"
