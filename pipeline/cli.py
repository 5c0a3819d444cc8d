"""Command line: `pipeline run|boilerplate|segment|dedup`, each also its own `pipeline-<stage>` script.

A thin layer over `pipeline.runner.run`: it parses paths and flags, loads the
config, and turns every usage problem into a one-line error with exit status 2.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import click

# Only light modules here: `pipeline --help` and usage errors must not wait for trafilatura, scipy or pyarrow,
# which the commands import when they run.
from pipeline.config import STAGE_ORDER, Config, ConfigError, load_config
from pipeline.folders import STAGES, FolderProblem
from pipeline.progress import NORMAL, QUIET, VERBOSE, Progress
from pipeline.storage import is_uri

DEFAULT_CONFIG = "config.toml"
DEFAULT_OUTPUT = "clean"
# Where each command reads when given no input: segment and dedup read the stage before them in --output.
DEFAULT_INPUTS = {"run": "raw", "boilerplate": "raw", "segment": f"{STAGES}/boilerplate", "dedup": f"{STAGES}/segment"}


URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")  # anything that looks like a URI (not C:/); `is_uri` tells those we read


class UsageProblem(click.ClickException):
    """Printed as one line, `Error: ...`, with exit status 2."""

    exit_code = 2


def _common(f):
    """Arguments and options every processing command shares (listed in --help in this order)."""
    options = [
        click.option("--output", "-o", default=DEFAULT_OUTPUT, show_default=True,
                     help="Output directory or object store URI, s3://BUCKET/PREFIX (documents/, rejected/, stages/, stats.json, report.html)."),
        click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
                     help=f"TOML config file [default: ./{DEFAULT_CONFIG} if present]."),
        click.option("--set", "overrides", multiple=True, metavar="SECTION.KEY=VALUE",
                     help="Override one config value; repeatable."),
        click.option("--overwrite", is_flag=True,
                     help="Write into an output folder that holds other files (only the pipeline's own tables in it are replaced)."),
        click.option("--follow-links", is_flag=True, default=None,
                     help="input.follow_links: read the files symbolic links point to (default: report them, never follow)."),
        click.option("--engine", type=click.Choice(["local", "ray"]), default=None,
                     help="engine.name: run on this machine (output.workers processes) or on Ray (pip install '.[ray]'); the output is the same."),
        click.option("--address", default=None, metavar="auto|ray://HOST:PORT",
                     help="engine.address: the Ray cluster (default: start a Ray on this machine for the run)."),
        click.option("-q", "--quiet", is_flag=True, help="Print errors only."),
        click.option("-v", "--verbose", is_flag=True, help="Also print a line per shard."),
    ]
    for option in reversed(options):
        f = option(f)
    return click.argument("inputs", nargs=-1)(f)  # files, folders or object store URIs


def _execute(stages: tuple[str, ...], inputs: tuple[str, ...], output: str, config_path: Path | None,
             overrides: tuple[str, ...], flags: dict[str, object], options: dict[str, object]) -> None:
    """Run `stages`; `options`: the shared flags (overwrite, follow_links, engine, address, quiet, verbose)."""
    flags = flags | {"input.follow_links": options["follow_links"], "engine.name": options["engine"], "engine.address": options["address"]}
    config = _load(config_path, overrides, flags)
    for what, value in [("--output", output), ("--index", config.dedup.index)] + [("input", p) for p in inputs]:
        if URI.match(value or "") and not is_uri(value):
            raise UsageProblem(f"{what} '{value}' is not a URI this pipeline reads: write SCHEME://BUCKET/PATH (s3://, gs://, file://)")
    default = DEFAULT_INPUTS["run" if len(stages) > 1 else stages[0]]
    if not inputs:
        inputs = (f"{output.rstrip('/')}/{default}" if default.startswith(STAGES) else default,)
    paths: list[str | Path] = [p if is_uri(p) else Path(p) for p in inputs]
    for path in paths:
        if isinstance(path, Path) and not path.exists() and not path.is_symlink():
            raise UsageProblem(f"input '{path}' does not exist")
    quiet, verbose = options["quiet"], options["verbose"]
    if quiet and verbose:
        raise UsageProblem("-q and -v contradict each other: choose one")
    verbosity = QUIET if quiet else VERBOSE if verbose else NORMAL
    from pipeline.boilerplate.trees import ModelError
    from pipeline.checks import ConservationError
    from pipeline.dedup.index import IndexMismatch
    from pipeline.engine import EngineProblem
    from pipeline.runner import InputInOutput, run
    from pipeline.storage import StorageProblem

    if config.engine.address and config.engine.name != "ray":
        raise UsageProblem("--address names a Ray cluster: add --engine ray")
    try:
        stats = run(paths, output, config, stages, Progress(verbosity=verbosity), overwrite=bool(options["overwrite"]))
    except (IndexMismatch, InputInOutput, ModelError, FolderProblem, EngineProblem, StorageProblem) as e:
        raise UsageProblem(str(e)) from None
    except ConservationError as e:
        raise click.ClickException(f"conservation check failed (a bug, please report it): {e}") from None
    except OSError as e:
        where = f": {e.filename}" if e.filename else ""
        raise click.ClickException(f"the run stopped: {e.strerror or e}{where} (the finished parts are kept; run the same command again to resume)") from None
    out = stats["output"]
    if quiet:
        return
    click.echo(
        f"{stats['read']['documents']} documents read; {out['documents']} kept in {output}/documents, "
        f"{out['rejected']} in {output}/rejected ({_statuses(out['statuses'])}); report in {output}/report.html",
        err=True,
    )


def _load(config_path: Path | None, overrides: tuple[str, ...], flags: dict[str, object]) -> Config:
    try:
        if config_path is None and Path(DEFAULT_CONFIG).is_file():
            config_path = Path(DEFAULT_CONFIG)
        config = load_config(config_path)
        values: dict[str, object] = {}
        for item in overrides:
            key, sep, value = item.partition("=")
            if not sep:
                raise ConfigError(f"--set expects SECTION.KEY=VALUE, got '{item}'")
            values[key.strip()] = value.strip()
        values |= {k: v for k, v in flags.items() if v is not None}
        return config.override(values)
    except ConfigError as e:
        raise UsageProblem(str(e)) from None


def _statuses(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in counts.items() if status != "kept") or "none rejected"


EXAMPLE = """

\b
Example:
  pipeline run raw/ --output clean/ --set dedup.threshold=0.85
  python -c "import pyarrow.parquet as pq; print(pq.read_table('clean/documents').num_rows)"
"""


@click.group(help="Clean scraped pages: boilerplate, off-topic spillover, near-duplicates; Parquet out." + EXAMPLE)
@click.version_option(package_name="scrape-pipeline", message="pipeline %(version)s")
def main() -> None:
    pass


_INDEX = click.option("--index", default=None,
                      help="dedup.index: directory (or object store URI) of the incremental index of earlier runs (created if missing).")


@main.command("run", help="Run every stage in order on INPUTS (default: raw/)." + EXAMPLE)
@_common
@_INDEX
def run_command(inputs, output, config_path, overrides, index, **options):
    _execute(STAGE_ORDER, inputs, output, config_path, overrides, {"dedup.index": index}, options)


@main.command("boilerplate", help="""Remove site chrome from raw pages (default: raw/).

\b
Example:
  pipeline boilerplate raw/ --output clean/ --set boilerplate.min_sentence_words=12
  # writes clean/stages/boilerplate/, the input of `pipeline segment`""")
@_common
def boilerplate_command(inputs, output, config_path, overrides, **options):
    _execute(("boilerplate",), inputs, output, config_path, overrides, {}, options)


@main.command("segment", help=f"""Label other articles and teasers appended to a page as spillover (default input: OUTPUT/{STAGES}/boilerplate).

\b
Example:
  pipeline segment clean/{STAGES}/boilerplate --output clean/ --set segment.min_article_words=80""")
@_common
def segment_command(inputs, output, config_path, overrides, **options):
    _execute(("segment",), inputs, output, config_path, overrides, {}, options)


@main.command("dedup", help=f"""Find exact and near-duplicate documents (default input: OUTPUT/{STAGES}/segment).

\b
Example:
  pipeline dedup clean/{STAGES}/segment --output clean/ --threshold 0.9 --index dedup-index/""")
@_common
@click.option("--threshold", type=float, default=None, help="dedup.threshold: Jaccard at or above which pages are near-duplicates.")
@click.option("--num-perm", type=int, default=None, help="dedup.num_perm: MinHash permutations.")
@click.option("--shingle-size", type=int, default=None, help="dedup.shingle_size: words per shingle.")
@_INDEX
def dedup_command(inputs, output, config_path, overrides, threshold, num_perm, shingle_size, index, **options):
    flags = {"dedup.threshold": threshold, "dedup.num_perm": num_perm, "dedup.shingle_size": shingle_size, "dedup.index": index}
    _execute(("dedup",), inputs, output, config_path, overrides, flags, options)


@main.command("inspect", help="""Show a document's blocks with their labels and removal reasons.

ID_OR_SOURCE is a document id, or a source as in the tables (a file name, or
`file.jsonl#3` for a record; a file name shows all its records).

\b
Example:
  pipeline inspect 002_29286655cc9815db.txt --output clean/""")
@click.argument("key", metavar="ID_OR_SOURCE")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=DEFAULT_OUTPUT, show_default=True,
              help="The output directory to look in.")
@click.option("--color/--no-color", default=None, help="Colour the labels [default: on a terminal].")
def inspect_command(key, output, color):
    if not output.is_dir():
        raise UsageProblem(f"output '{output}' does not exist: run the pipeline first")
    from pipeline.inspect import find_documents, render

    docs = find_documents(output, key)
    if not docs:
        raise UsageProblem(f"no document with id or source '{key}' in {output}")
    use_color = sys.stdout.isatty() if color is None else color
    click.echo("\n\n".join(render(doc, use_color) for doc in docs), color=use_color)


if __name__ == "__main__":
    sys.exit(main())
