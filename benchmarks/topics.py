"""How well spillover is tagged with a topic, on the generated dev set whose articles carry their BBC category.

    python benchmarks/topics.py [--out /tmp/topics-run]

Two measures, each for the shipped topics (config.toml) and for the named
baselines of the same run: the topics shipped before (keywords lifted from the
five sample pages, plus the BBC desks) and always answering the most frequent
category.
1. Gold articles: every main and spillover article of ../shared/bench/dev, its
   text from the gold lines, tagged on its own.
2. The pipeline: `pipeline run` over the dev pages; each spillover segment it
   removed (blocks sharing a document and a tag) against the category of the
   gold spillover article most of its lines come from.
A tag is right when it names the article's category: politics is any of the
politics topics (the BBC's is UK politics; the shipped topics call it
'elections and government'), business 'business and economy', tech
'technology', sport and entertainment themselves. 'other' is always wrong.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow.dataset as ds
from common import ROOT, SHARED, print_table

from pipeline.config import DEFAULT_TOPICS, Config
from pipeline.segment.topics import OTHER, nearest_topic

DEV = SHARED / "bench" / "dev"
RIGHT = {
    "politics": {"US politics", "UK politics", "elections and government"},
    "business": {"business and economy"},
    "tech": {"technology"},
    "sport": {"sport"},
    "entertainment": {"entertainment"},
}
BEFORE = {  # the topics shipped before this benchmark: the sample pages' own words, then the BBC's desks
    "US politics": ["trump", "biden", "obama", "clinton", "sanders", "pompeo", "kash patel", "congress", "senate", "senator", "republican", "republicans", "democrat", "democrats", "democratic party", "white house", "gop", "fbi", "cia", "primaries", "nominee", "veto", "washington", "us president", "2020 candidate"],
    "Sri Lanka": ["sri lanka", "sri lankan", "colombo", "negombo", "batticaloa", "tamil", "sinhalese", "easter sunday", "st anthony", "churches and hotels"],
    "plane crashes": ["plane", "crash", "crashed", "aircraft", "airliner", "airline", "flight", "helicopter", "black hawk", "airport", "collision", "collided", "runway", "pilot", "passengers", "aviation", "potomac"],
    "UK politics": ["labour", "tory", "tories", "conservatives", "lib dems", "liberal democrats", "blair", "brown", "howard", "kennedy", "mps", "westminster", "downing street", "chancellor", "home secretary", "general election"],
    "business and economy": ["shares", "profits", "profit", "sales", "market", "economy", "economic", "growth", "bank", "investors", "firm", "company", "prices", "inflation", "interest rates", "dollar", "oil", "trade"],
    "technology": ["software", "internet", "computer", "mobile", "phone", "broadband", "microsoft", "apple", "google", "digital", "online", "users", "console", "games", "technology", "web", "net"],
    "sport": ["match", "cup", "league", "club", "team", "players", "coach", "season", "goal", "win", "champion", "tennis", "football", "rugby", "olympic", "race", "final"],
    "entertainment": ["film", "films", "music", "album", "band", "actor", "actress", "oscar", "award", "awards", "singer", "tv", "show", "movie", "box office", "star", "festival"],
}  # fmt: skip


def gold_articles() -> list[tuple[str, str, str]]:
    """(kind, category, text) of every main and spillover article of the dev pages."""
    found = []
    for path in sorted((DEV / "gold").glob("*.json")):
        gold = json.loads(path.read_text())
        main = [line["text"] for line in gold["lines"] if line["label"] == "main"]
        if main:
            found.append(("main", gold["main"]["category"], "\n".join(main)))
        for spill in gold["spillover"]:
            lines = [l["text"] for l in gold["lines"] if l["label"] == "spillover" and l.get("spill_idx") == spill["idx"]]
            if lines:
                found.append(("spillover", spill["category"], "\n".join(lines)))
    return found


def accuracy(pairs: list[tuple[str, str]]) -> float:
    return sum(tag in RIGHT[category] for category, tag in pairs) / max(1, len(pairs))


def pipeline_segments(out: Path) -> list[tuple[str, str]]:
    """(gold category, tag) of each spillover segment the pipeline removed and tagged."""
    gold_of = {}
    for path in (DEV / "gold").glob("*.json"):
        gold = json.loads(path.read_text())
        cats = {s["idx"]: s["category"] for s in gold["spillover"]}
        gold_of[gold["source"]] = {l["text"].strip(): cats.get(l.get("spill_idx")) for l in gold["lines"] if l["label"] == "spillover"}
    pairs = []
    for table in ("documents", "rejected"):
        for row in ds.dataset(out / table).to_table(columns=["source", "removed"]).to_pylist():
            segments: dict[str, Counter] = defaultdict(Counter)
            for block in row["removed"]:
                tag = re.search(r"topic=([^;]+)$", block["reason"] or "")
                category = gold_of.get(row["source"], {}).get(block["text"].strip())
                if block["label"] == "spillover" and tag and category:
                    segments[tag.group(1)][category] += 1
            pairs += [(counts.most_common(1)[0][0], tag) for tag, counts in segments.items()]
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/topics-run"))
    args = parser.parse_args()
    if not DEV.is_dir():
        sys.exit(f"no dev set at {DEV}")
    hits = Config().segment.min_topic_hits
    articles = gold_articles()
    majority = Counter(category for _, category, _ in articles).most_common(1)[0][0]
    rows = []
    for kind in ("main", "spillover"):
        chosen = [(category, text) for k, category, text in articles if k == kind]
        shipped = [(c, nearest_topic(t, DEFAULT_TOPICS, hits)) for c, t in chosen]
        before = [(c, nearest_topic(t, BEFORE, hits)) for c, t in chosen]
        other = sum(tag == OTHER for _, tag in shipped) / max(1, len(shipped))
        rows.append([f"gold {kind} articles", len(chosen), accuracy(shipped), accuracy(before), accuracy([(c, next(iter(RIGHT[majority]))) for c, _ in chosen]), other])
    runs = {}
    for name, topics in (("shipped", None), ("before", BEFORE)):
        out = args.out / name
        shutil.rmtree(out, ignore_errors=True)
        command = [sys.executable, "-m", "pipeline.cli", "run", str(DEV / "pages"), "-o", str(out), "-q"]
        if topics is not None:
            out.mkdir(parents=True)
            config = out.parent / f"{name}.toml"
            config.write_text("[segment.topics]\n" + "".join(f"{json.dumps(k)} = {json.dumps(v)}\n" for k, v in topics.items()))
            command += ["--config", str(config)]
        subprocess.run(command, check=True, cwd=ROOT)
        runs[name] = pipeline_segments(out)
    segments = runs["shipped"]
    other = sum(tag == OTHER for _, tag in segments) / max(1, len(segments))
    rows.append(["pipeline spillover segments", len(segments), accuracy(segments), accuracy(runs["before"]), accuracy([(c, next(iter(RIGHT[majority]))) for c, _ in segments]), other])
    print_table(
        f"Topic tags on the dev set (right: the tag names the article's category; min_topic_hits={hits})",
        ["articles", "count", "shipped topics", "topics shipped before", f"majority ({majority})", "shipped: share 'other'"],
        [[r[0], r[1], *(f"{x:.3f}" for x in r[2:])] for r in rows],
    )


if __name__ == "__main__":
    main()
