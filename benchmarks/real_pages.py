"""The full pipeline on real pages: `pipeline run` as a user runs it, scored with each benchmark's own scorer.

    python benchmarks/real_pages.py [--set dumps-scrapinghub ...] [--cv] [--out /tmp/real_pages] [--workers 2]

Sets: the public benchmarks in ../shared/bench-data as HTML (html-scrapinghub,
html-trafilatura, html-wcxb) and as text dumps (dumps-scrapinghub,
dumps-trafilatura, dumps-wcxb). For each set the pipeline's command line runs
over the pages as they lie (`.html.gz`, `.txt`), then the full pipeline
(`documents/` + `rejected/`, a rejected page scoring as empty) and each stage's
table under `stages/` are scored by the benchmark's own scorer
(eval_extraction.py). Baselines of the same run: trafilatura's `extract`
(HTML); every line kept, and jusText over the lines as paragraphs (dumps).

The shipped line models were trained on these pages. With `--cv` every page is
cleaned by models that saw no page of its site: the training tools write one
model per fold (folds grouped by site, as in tools/training.py; needs
`pip install -e '.[train]'`), and each fold's pages are run as their own input
with `--set boilerplate.html_model_file=... --set boilerplate.text_model_file=...`.
Without `--cv` the HTML and text-dump figures are in-sample.

Writes OUT/scores.json (every figure), OUT/table.md (the table printed) and
OUT/removals.jsonl: each page where a later stage (segment, dedup) removed at
least 20% of what the stage before it kept, with its reasons and the page's
score before and after, for inspection.
"""
from __future__ import annotations

import argparse
import html as html_escape
import json
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyarrow.dataset as ds
from common import ROOT, SHARED, print_table

sys.path.insert(0, str(ROOT / "tools"))
BENCH_DATA = SHARED / "bench-data"
sys.path.insert(0, str(BENCH_DATA))

FOLDS = 5
REMOVAL_SHARE = 0.2
STAGES = ("boilerplate", "segment")


@dataclass
class PageSet:
    name: str
    bench: str  # the benchmark's name in eval_extraction.py
    kind: str  # "html" or "dumps"
    folder: Path

    def ids(self) -> dict[str, str]:
        """{file name: benchmark page id} for every page of the set."""
        if self.kind == "dumps":
            return json.loads((self.folder.parent / "ids.json").read_text())["ids"]
        files = sorted(p.name for p in self.folder.glob("*.gz"))
        if self.bench == "trafilatura":
            by_file = {entry["file"]: url for url, entry in json.loads((BENCH_DATA / "trafilatura" / "evaldata.json").read_text()).items()}
            return {name: by_file[name[: -len(".gz")]] for name in files if name[: -len(".gz")] in by_file}
        return {name: name.split(".")[0] for name in files}


SETS = {
    "html-scrapinghub": PageSet("html-scrapinghub", "scrapinghub", "html", BENCH_DATA / "scrapinghub" / "html"),
    "html-trafilatura": PageSet("html-trafilatura", "trafilatura", "html", BENCH_DATA / "trafilatura" / "html"),
    "html-wcxb": PageSet("html-wcxb", "wcxb-dev", "html", BENCH_DATA / "wcxb" / "dev" / "html"),
    "dumps-scrapinghub": PageSet("dumps-scrapinghub", "scrapinghub", "dumps", BENCH_DATA / "textdumps" / "scrapinghub" / "pages"),
    "dumps-trafilatura": PageSet("dumps-trafilatura", "trafilatura", "dumps", BENCH_DATA / "textdumps" / "trafilatura" / "pages"),
    "dumps-wcxb": PageSet("dumps-wcxb", "wcxb-dev", "dumps", BENCH_DATA / "textdumps" / "wcxb-dev" / "pages"),
}


def train_fold_models(models: Path) -> None:
    """One model per fold for each line model, unless already there."""
    for tool, kind in (("train_html_model.py", "html"), ("train_text_model.py", "text")):
        if not all((models / kind / f"fold-{k}.json").is_file() for k in range(FOLDS)):
            print(f"training {kind} fold models ({tool}) ...", file=sys.stderr, flush=True)
            subprocess.run([sys.executable, str(ROOT / "tools" / tool), "--folds", str(FOLDS), "--out", str(models / kind)], check=True, cwd=ROOT / "tools")


def run_pipeline(inputs: Path, output: Path, workers: int, settings: list[str]) -> float:
    """`pipeline run` as a user runs it; returns its wall time."""
    shutil.rmtree(output, ignore_errors=True)
    cmd = [sys.executable, "-m", "pipeline.cli", "run", str(inputs), "--output", str(output), "-q", "--set", f"output.workers={workers}"]
    for setting in settings:
        cmd += ["--set", setting]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT)
    return time.perf_counter() - start


def read_rows(folder: Path) -> dict[str, dict]:
    """{file name: row} of a table folder (or of documents/ + rejected/ of an output)."""
    parts = [folder / "documents", folder / "rejected"] if (folder / "documents").is_dir() else [folder]
    rows = {}
    for part in parts:
        for row in ds.dataset(part, format="parquet").to_table(columns=["source", "text", "status", "removed", "input_chars"]).to_pylist():
            rows[Path(row["source"].split("#")[0]).name] = row
    return rows


def kept(row: dict | None) -> str:
    return row["text"] if row and row["status"] == "kept" else ""


def run_set(page_set: PageSet, out: Path, workers: int, folds: dict[str, int] | None, models: Path | None) -> tuple[dict, float]:
    """Run the set (once, or once per fold with that fold's models) and return {table: {file: row}}, seconds."""
    tables: dict[str, dict] = {"pipeline": {}, **{s: {} for s in STAGES}}
    seconds = 0.0
    groups = {None: sorted(page_set.ids())} if folds is None else {}
    if folds is not None:
        for name in sorted(page_set.ids()):
            groups.setdefault(folds[name], []).append(name)
    for fold, names in sorted(groups.items(), key=lambda item: -1 if item[0] is None else item[0]):
        if fold is None:
            inputs, settings = page_set.folder, []
        else:
            inputs = out / "inputs" / page_set.name / f"fold-{fold}"
            shutil.rmtree(inputs, ignore_errors=True)
            inputs.mkdir(parents=True)
            for name in names:
                shutil.copy(page_set.folder / name, inputs / name)
            settings = [f"boilerplate.html_model_file={models / 'html' / f'fold-{fold}.json'}",
                        f"boilerplate.text_model_file={models / 'text' / f'fold-{fold}.json'}"]
        output = out / "runs" / page_set.name / ("all" if fold is None else f"fold-{fold}")
        seconds += run_pipeline(inputs, output, workers, settings)
        tables["pipeline"] |= read_rows(output)
        for stage in STAGES:
            tables[stage] |= read_rows(output / "stages" / stage)
    return tables, seconds


def baselines(page_set: PageSet, items: list[dict], ids: dict[str, str], jobs: int) -> dict[str, dict[str, str]]:
    """The named baselines' texts, {baseline: {page id: text}}."""
    import eval_extraction as E

    if page_set.kind == "html":
        preds, _, _ = E.run_extractor("trafilatura", items, "native", jobs, 60.0)
        return {"trafilatura extract": {k: v or "" for k, v in preds.items()}}
    lines = {ids[name]: (page_set.folder / name).read_text(encoding="utf-8") for name in ids}
    return {"keep every line": lines, "jusText over the lines": {i: justext_lines(t) for i, t in lines.items()}}


def justext_lines(text: str) -> str:
    """jusText (default settings) over the dump's lines, each one a paragraph, with the stoplist of the page's language."""
    import justext

    from pipeline.language import detect

    stoplist = detect(text.splitlines()).stopwords
    page = "<html><body>" + "".join(f"<p>{html_escape.escape(line)}</p>" for line in text.splitlines()) + "</body></html>"
    return "\n".join(p.text for p in justext.justext(page, stoplist) if not p.is_boilerplate)


def page_score(bench: str, item: dict, text: str) -> float:
    """One page's figure under the benchmark's metric (snippet share found minus not-found for trafilatura's set)."""
    import eval_extraction as E

    if bench == "trafilatura":
        found = sum(E._norm_ws(w) in E._norm_ws(text) for w in item["with"]) / max(len(item["with"]), 1)
        leaked = sum(E._norm_ws(w) in E._norm_ws(text) for w in item["without"]) / max(len(item["without"]), 1)
        return round(found - leaked, 3)
    if bench.startswith("wcxb"):
        return round(E.word_prf(text, item["body"])[2], 3)
    tp, fp, fn = E.sh_tp_fp_fn(item["body"], text)
    return round(2 * tp / (2 * tp + fp + fn), 3) if tp + fp + fn else 1.0


def removals(page_set: PageSet, tables: dict, ids: dict[str, str], items: dict[str, dict]) -> list[dict]:
    """Pages where segment or dedup removed at least REMOVAL_SHARE of what the stage before kept."""
    found = []
    order = ["boilerplate", "segment", "pipeline"]
    for before, after in zip(order, order[1:]):
        for name in sorted(ids):
            old, new = tables[before].get(name), tables[after].get(name)
            had, has = len(kept(old)), len(kept(new))
            if not had or (had - has) / had < REMOVAL_SHARE:
                continue
            reasons: Counter = Counter()
            if after == "pipeline" and new and new["status"] != "kept":
                reasons[f"{new['status']}"] += had
            else:
                for r in (new or {}).get("removed") or []:
                    if r["label"] == "spillover":
                        reasons[(r["reason"] or "").split(":")[0]] += len(r["text"])
            item = items[ids[name]]
            found.append({
                "set": page_set.name, "file": name, "id": ids[name], "stage": "dedup" if after == "pipeline" else after,
                "kept_before": had, "kept_after": has, "removed_share": round((had - has) / had, 3),
                "reasons": dict(reasons), "score_before": page_score(page_set.bench, item, kept(old)),
                "score_after": page_score(page_set.bench, item, kept(new)),
            })
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", choices=sorted(SETS), help="default: all six")
    parser.add_argument("--cv", action="store_true", help="clean each page with line models that saw no page of its site")
    parser.add_argument("--models", type=Path, help="fold models (MODELS/html/fold-K.json, MODELS/text/fold-K.json; default OUT/models)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/real_pages"))
    parser.add_argument("--workers", type=int, default=2, help="output.workers of each run, and jobs for the baselines")
    args = parser.parse_args()
    if not BENCH_DATA.is_dir():
        print(f"no benchmark data at {BENCH_DATA}", file=sys.stderr)
        return 1
    import eval_extraction as E
    from training import benchmark_pages, fold_of

    args.out.mkdir(parents=True, exist_ok=True)
    models = args.models or args.out / "models"
    if args.cv:
        train_fold_models(models)
    sites = {(g.bench, g.id): g.site for g in benchmark_pages()}
    rows, report, inspect = [], {}, []
    for name in args.set or list(SETS):
        page_set = SETS[name]
        ids = page_set.ids()
        folds = {f: fold_of(sites[page_set.bench, i], FOLDS) for f, i in ids.items()} if args.cv else None
        items = [it for it in E.load_bench(page_set.bench, BENCH_DATA, None) if it["id"] in set(ids.values())]
        tables, seconds = run_set(page_set, args.out, args.workers, folds, models if args.cv else None)
        figures = {}
        for base, texts in baselines(page_set, items, ids, args.workers).items():
            figures[base] = E.score(page_set.bench, items, texts, 0)
        for table in STAGES + ("pipeline",):
            texts = {ids[f]: kept(tables[table].get(f)) for f in ids}
            figures[table] = E.score(page_set.bench, items, texts, 0)
        report[name] = {"pages": len(items), "seconds": round(seconds, 1), "cv": args.cv, "scores": figures,
                        "rejected": dict(Counter(r["status"] for r in tables["pipeline"].values() if r["status"] != "kept"))}
        inspect += removals(page_set, tables, ids, {it["id"]: it for it in items})
        f1 = {k: _headline(v) for k, v in figures.items()}
        full = _figures(figures["pipeline"])
        rows.append([name, len(items), ", ".join(f"{b} {f1[b]:.3f}" for b in figures if b not in STAGES + ("pipeline",)),
                     f"{f1['boilerplate']:.3f}", f"{f1['segment']:.3f}", f"{full['f1']:.3f} (P {full['precision']:.3f}, R {full['recall']:.3f})",
                     f"{f1['pipeline'] - f1['boilerplate']:+.3f}", sum(report[name]["rejected"].values()), round(seconds, 1)])
        print(f"{name}: full pipeline {f1['pipeline']:.3f}", file=sys.stderr, flush=True)
    header = ["set", "pages", "baselines (same run)", "boilerplate table", "segment table", "full pipeline", "after boilerplate", "rejected", "run s"]
    title = f"Full pipeline on real pages ({'line models cross-validated by site' if args.cv else 'shipped models: in-sample'}), each benchmark's own F1"
    print_table(title, header, rows)
    (args.out / "scores.json").write_text(json.dumps(report, indent=1, default=str))
    (args.out / "table.md").write_text(_markdown(title, header, rows))
    with (args.out / "removals.jsonl").open("w") as f:
        for row in inspect:
            f.write(json.dumps(row) + "\n")
    print(f"\n{len(inspect)} pages where segment or dedup removed at least {REMOVAL_SHARE:.0%}: {args.out / 'removals.jsonl'}")
    return 0


def _figures(result: dict) -> dict:
    return result.get("wcxb") or result.get("snippets") or result["shingle4"]


def _headline(result: dict) -> float:
    return _figures(result)["f1"]


def _markdown(title: str, header: list[str], rows: list[list]) -> str:
    lines = [f"**{title}**", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
