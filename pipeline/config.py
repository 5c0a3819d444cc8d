"""The one config loader: `config.toml` sections map to the dataclasses below.

Every key has a default, a type and a help text; an unknown key or a value of
the wrong type or range raises `ConfigError` naming it. Command-line flags
override file values through `Config.override`.
"""
from __future__ import annotations

import dataclasses
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path


STAGE_ORDER = ("boilerplate", "segment", "dedup")  # the stages, each with its config section, in the order they run


class ConfigError(ValueError):
    """A config file, key or value that cannot be used."""


def _key(default, help: str, lo: float | None = None, hi: float | None = None):
    return field(default=default, metadata={"help": help, "min": lo, "max": hi})


def _choice(default: str, choices: tuple[str, ...], help: str):
    return field(default=default, metadata={"help": help, "choices": choices})


@dataclass(frozen=True)
class LimitsConfig:
    max_document_mb: float = _key(
        50.0, "Files or records larger than this (after decompression) are rejected, not loaded.", 0.001
    )
    document_seconds: float = _key(
        60.0, "A stage that spends longer than this on one document rejects it as an error (0: no limit).", 0
    )


@dataclass(frozen=True)
class InputConfig:
    follow_links: bool = _key(
        False, "Read the files that symbolic links point to (false: a link is reported as an error row, never followed)."
    )


@dataclass(frozen=True)
class BoilerplateConfig:
    min_words: int = _key(3, "Lines with fewer words than this count as chrome.", 1, 100)
    min_sentence_words: int = _key(
        15, "Lines without sentence punctuation need at least this many words to count as text.", 1, 500
    )
    min_stopword_ratio: float = _key(
        0.12, "Lines of 6+ words with a lower share of stopwords count as chrome (lists, tags).", 0, 1
    )
    max_code_ratio: float = _key(
        0.08, "Lines with a higher share of code symbols ({}[]();=<>) count as script residue.", 0, 1
    )
    text_model: bool = _key(
        True, "Let the text line model decide which paragraphs of a text dump are content (false: the line rules alone)."
    )
    text_model_file: str = _key("", "A text line model trained by tools/train_text_model.py ('': the one shipped).")
    text_threshold: float = _key(
        0.5, "The text line model's probability above which a paragraph of a text dump is kept (lower: more recall).", 0, 1
    )
    html_model: bool = _key(
        True, "Let the HTML line model decide which of a page's lines are content (false: trafilatura's lines alone)."
    )
    html_model_file: str = _key("", "An HTML line model trained by tools/train_html_model.py ('': the one shipped).")
    html_adaptive: bool = _key(
        True, "Choose each HTML page's cut-off to maximize the expected word F1 of what is kept (false: html_threshold)."
    )
    html_threshold: float = _key(
        0.5, "With html_adaptive false: the line model's probability above which an HTML line is kept (lower: more recall).", 0, 1
    )
    html_drop_repeats: bool = _key(
        True, "Keep one copy of a line an HTML page repeats among its content lines, the best-scored (code lines excepted)."
    )
    headline: bool = _key(
        True, "Keep a page's headline with its article: an HTML page's title or h1 just above the content, a text dump's headline-like line just above its first kept paragraph (false: the line models decide)."
    )
    template_min_pages: int = _key(
        5, "Lines found on at least this many different pages of a run are site template, removed (0: off).", 0
    )


# General news vocabulary, matched on English word stems (`crash` matches crashed, crashes). The three topics users
# asked for come first (a tie goes to the topic listed first); then the broad news desks.
DEFAULT_TOPICS = {
    "US politics": [
        "president", "white house", "congress", "congressional", "senate", "senator", "house of representatives",
        "republican", "democrat", "democratic party", "gop", "governor", "supreme court", "administration", "federal",
        "washington", "impeachment", "trump", "biden", "obama", "attorney general", "capitol", "midterm", "primary",
    ],
    "Sri Lanka": [
        "sri lanka", "sri lankan", "lankan", "colombo", "kandy", "jaffna", "tamil", "sinhalese", "sinhala", "rajapaksa",
        "ltte", "tamil tigers",
    ],
    "plane crashes": [
        "plane", "aircraft", "airliner", "jet", "helicopter", "crash", "flight", "pilot", "crew", "passengers",
        "runway", "airport", "aviation", "air traffic", "wreckage", "black box", "takeoff", "mid-air", "collision",
    ],
    "elections and government": [
        "election", "vote", "voters", "ballot", "campaign", "parliament", "minister", "prime minister", "government",
        "party", "opposition", "mp", "policy", "legislation", "bill", "cabinet", "referendum", "poll", "coalition", "mayor",
        "conservative", "labour", "liberal", "secretary", "tax", "reform", "council", "spokesman", "politician", "politics",
    ],
    "conflict": [
        "war", "troops", "military", "army", "soldiers", "attack", "killed", "forces", "militants", "rebels", "bomb",
        "airstrike", "ceasefire", "invasion", "insurgents", "terrorist", "missile", "clashes", "defence", "nato",
    ],
    "disasters and accidents": [
        "earthquake", "flood", "flooding", "storm", "hurricane", "wildfire", "fire", "tsunami", "landslide", "disaster",
        "accident", "collapse", "rescue", "victims", "injured", "death toll", "evacuated", "emergency services", "derailed",
    ],
    "crime": [
        "police", "arrested", "charged", "court", "trial", "judge", "jury", "guilty", "sentenced", "prison", "murder",
        "fraud", "theft", "suspect", "investigation", "prosecutors", "crime", "convicted", "detectives", "lawyer",
    ],
    "business and economy": [
        "shares", "profit", "sales", "market", "economy", "economic", "growth", "bank", "investors", "firm", "company",
        "prices", "inflation", "interest rates", "dollar", "oil", "trade", "revenue", "chief executive", "jobs",
    ],
    "technology": [
        "software", "internet", "computer", "mobile", "phone", "broadband", "digital", "online", "users", "technology",
        "web", "device", "app", "data", "network", "games", "console", "chip", "artificial intelligence", "website",
    ],
    "health": [
        "health", "hospital", "patients", "doctors", "nurses", "disease", "virus", "vaccine", "cancer", "treatment",
        "medical", "drug", "infection", "outbreak", "nhs", "surgery", "symptoms", "clinic", "mental health", "pandemic",
    ],
    "sport": [
        "match", "cup", "league", "club", "team", "players", "coach", "season", "goal", "win", "champion", "tennis",
        "football", "rugby", "olympic", "race", "final", "tournament", "striker", "victory",
    ],
    "entertainment": [
        "film", "music", "album", "band", "actor", "actress", "oscar", "award", "singer", "tv", "show", "movie",
        "box office", "star", "festival", "comedy", "director", "series", "chart", "theatre",
    ],
}  # fmt: skip


@dataclass(frozen=True)
class SegmentConfig:
    min_article_words: int = _key(
        50, "The page's article is a segment of 2+ paragraphs with at least this many words (the one its title names, else the first).", 1
    )
    min_main_words: int = _key(
        20, "Pages with fewer main words than this are left untouched by the segmenter.", 0
    )
    min_topic_hits: int = _key(
        2, "A spillover segment is tagged with a topic when its words match at least this many of the topic's keywords (by English stem), else 'other'.", 1
    )
    topics: dict = field(
        default_factory=lambda: {k: list(v) for k, v in DEFAULT_TOPICS.items()},
        metadata={"help": "Spillover topics, each a name = list of keywords (words or phrases); the nearest one tags each spillover segment."},
    )


@dataclass(frozen=True)
class DedupConfig:
    threshold: float = _key(0.8, "Estimated Jaccard similarity at or above which two documents are near-duplicates.", 0.01, 1)
    containment_threshold: float = _key(
        0.8,
        "A document with at least this share of its shingles in another (a truncated or re-headed copy) is its duplicate; 0 turns it off.",
        0,
        1,
    )
    containment_min_size: float = _key(
        0.15, "Containment is searched for copies down to this share of the other document's size.", 0.05, 1
    )
    containment_min_shingles: int = _key(
        50, "Containment is only tested when the smaller document has at least this many shingles (short texts share templates).", 1
    )
    candidates_per_document: float = _key(
        20,
        "A large run's containment search is narrowed (containment_min_size raised) until it expects at most this many false candidate pairs "
        "per document (about 9 at the defaults and 10^6 documents; see docs/stages.md); 0 never narrows.",
        0,
    )
    num_perm: int = _key(128, "MinHash permutations.", 16, 1024)
    shingle_size: int = _key(5, "Words per shingle.", 1, 20)
    seed: int = _key(1, "MinHash seed (datasketch's seed).", 0, 2**32 - 1)
    representative: str = _choice(
        "longest", ("longest", "first"), "Which cluster member is kept: the longest clean text, or the first in input order (ties: smallest id)."
    )
    index: str = _key("", "Directory of the incremental index of earlier runs ('' for none); new documents are added to it.")
    spread_above: int = _key(
        1_000_000,
        "Above this many documents, dedup's clustering runs as jobs on the engine, partitioned, so the run's process holds no signatures "
        "(and above this many near-duplicate pairs, not the pairs either); below, it runs in the run's process (faster). The output is the same.",
        0,
    )
    partitions: int = _key(0, "Hash partitions of the spread clustering (0: one per 100,000 documents, at least 2). The output is the same.", 0, 65536)


@dataclass(frozen=True)
class OutputConfig:
    keep_stages: bool = _key(True, "Also write each stage's full table under OUTPUT/stages/<stage>/.")
    rows_per_group: int = _key(1000, "Parquet row-group size.", 1)
    shard_size: int = _key(
        1000, "Documents per shard: the unit of work, of Parquet parts and of resuming after a crash.", 1
    )
    staging: str = _key(
        "", "Local folder where a run whose output or index is a URI (s3://, gs://) works before publishing ('': the system's temporary folder)."
    )
    workers: int = _key(1, "Local processes for every step (templates, stages, dedup's sketches), one job each at a time (output is the same).", 1, 64)


@dataclass(frozen=True)
class EngineConfig:
    name: str = _choice(
        "local", ("local", "ray"), "Where the steps run: this machine (output.workers processes) or a Ray cluster (pip install '.[ray]'); the output is the same."
    )
    address: str = _key(
        "", "With name = \"ray\": the cluster ('auto': the one `ray start` runs on this machine; 'ray://HOST:PORT': a remote one; '': start a Ray here)."
    )


@dataclass(frozen=True)
class Config:
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    input: InputConfig = field(default_factory=InputConfig)
    boilerplate: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    engine: EngineConfig = field(default_factory=EngineConfig)

    def override(self, values: dict[str, object]) -> Config:
        """A copy with `{"section.key": value}` applied; strings are parsed as TOML values."""
        sections = {name: {} for name in _sections()}
        for dotted, value in values.items():
            section, _, key = dotted.partition(".")
            if section not in sections or not key:
                raise ConfigError(f"unknown config key '{dotted}' (use section.key, sections: {', '.join(sections)})")
            sections[section][key] = _parse_override(value) if isinstance(value, str) else value
        return _build(sections, base=self, origin="override")

    def section(self, name: str) -> dict:
        """A section's values as a plain dict (for Parquet metadata and stats)."""
        return dataclasses.asdict(getattr(self, name))


def load_config(path: str | Path | None) -> Config:
    """Read a TOML config; `None` gives the defaults."""
    if path is None:
        return Config()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file '{path}' does not exist") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"config file '{path}' cannot be read: {e}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"config file '{path}' is not valid TOML: {e}") from None
    for name, value in data.items():
        if name not in _sections():
            raise ConfigError(f"unknown config section '[{name}]' in {path} (known: {', '.join(_sections())})")
        if not isinstance(value, dict):
            raise ConfigError(f"'{name}' in {path} must be a [section]")
    return _build(data, base=Config(), origin=str(path))


def describe() -> list[tuple[str, object, str]]:
    """Every key as (section.key, default, help), for docs and --help."""
    rows = []
    for section, cls in _sections().items():
        for f in dataclasses.fields(cls):
            default = f.default_factory() if f.default is dataclasses.MISSING else f.default
            rows.append((f"{section}.{f.name}", default, f.metadata["help"]))
    return rows


def reference() -> str:
    """The configuration reference (docs/configuration.md): every key with its default and help, by section.

    `tools/write_config_docs.py` writes it to the file; a test keeps the file in step.
    """
    lines = [
        "# Configuration reference",
        "",
        "Generated from the keys' own descriptions in `pipeline/config.py` by `tools/write_config_docs.py`.",
        "Every key is optional (`config.toml` lists them all with their defaults); `--set SECTION.KEY=VALUE`",
        "overrides one on the command line. An unknown key or a value of the wrong type or range is a one-line",
        "error naming it.",
    ]
    section = None
    for key, default, help_text in describe():
        name = key.split(".", 1)[0]
        if name != section:
            section = name
            lines += ["", f"## [{name}]", "", "| key | default | meaning |", "|---|---|---|"]
        lines.append(f"| `{key}` | {_shown(default)} | {help_text} |")
    return "\n".join(lines) + "\n"


def _shown(default) -> str:
    if isinstance(default, dict):
        return "(a table: see config.toml)"
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    return f'`"{default}"`' if isinstance(default, str) else f"`{default}`"


def _sections() -> dict[str, type]:
    hints = typing.get_type_hints(Config)
    return {f.name: hints[f.name] for f in dataclasses.fields(Config)}


def _build(data: dict, base: Config, origin: str) -> Config:
    sections = {}
    for name, cls in _sections().items():
        values = data.get(name, {})
        hints = typing.get_type_hints(cls)
        known = {f.name: f for f in dataclasses.fields(cls)}
        for key, value in values.items():
            if key not in known:
                raise ConfigError(f"unknown config key '{name}.{key}' in {origin} (known: {', '.join(known)})")
            values[key] = _check(f"{name}.{key}", value, hints[key], known[key].metadata, origin)
        sections[name] = dataclasses.replace(getattr(base, name), **values)
    return Config(**sections)


def _check(name: str, value, kind, meta: dict, origin: str):
    expected = {int: "an integer", float: "a number", bool: "true or false", str: "a string"}
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if kind is dict:
        if not isinstance(value, dict) or not all(
            isinstance(v, list) and all(isinstance(w, str) for w in v) for v in value.values()
        ):
            raise ConfigError(f"bad value for '{name}' in {origin}: expected a table of name = [\"keyword\", ...]")
        return {str(k): [w.lower() for w in v] for k, v in value.items()}
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"bad value for '{name}' in {origin}: expected {expected[kind]}, got {value!r}")
    choices = meta.get("choices")
    if choices and value not in choices:
        raise ConfigError(f"bad value for '{name}' in {origin}: {value!r} is not one of {', '.join(choices)}")
    lo, hi = meta.get("min"), meta.get("max")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        bounds = f"at least {lo}" if hi is None else f"between {lo} and {hi}"
        raise ConfigError(f"bad value for '{name}' in {origin}: {value!r} is out of range ({bounds})")
    return value


def _parse_override(text: str):
    """Parse a command-line value as TOML (numbers, booleans, lists), else keep the string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
