"""The `archiver` command line (also `python -m archiver`); the README lists every command.

Each command is a thin shell over a library function, so everything here is also usable from
Python. Errors in user input print one line on stderr and exit non-zero, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from archiver import __version__

app = typer.Typer(
    name="archiver",
    help="Archive articles (records with full comment threads + faithful WARC files) and work with the archives.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        typer.echo(f"archiver {__version__}")
        raise typer.Exit(0)


@app.command()
def extract(
    file: Annotated[str, typer.Argument(help="Saved HTML page ('-' reads stdin).")],
    url: Annotated[str, typer.Option("--url", help="The URL the page was fetched from.")],
    compact: Annotated[bool, typer.Option("--compact", help="One line instead of indented JSON.")] = False,
) -> None:
    """Print the record (JSON) of one saved page. No network."""
    from archiver.crawl.inputs import InputError, check_url
    from archiver.extract import extract_page

    try:
        page_url = check_url(url, "--url")
    except InputError as exc:
        fail(str(exc))
    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}")
    record = extract_page(data, page_url)
    typer.echo(json.dumps(record, ensure_ascii=False, indent=None if compact else 2))


@app.command()
def demo(
    output: Annotated[Path, typer.Option("--output", "-o", help="ARCHIVE_DIR for the demo crawl.")] = Path("output"),
    port: Annotated[int, typer.Option(help="Port of the demo site (0 = any free port).")] = 0,
) -> None:
    """Serve the bundled demo site on 127.0.0.1, crawl it into OUTPUT, print a summary."""
    from archiver.demo.run import run_demo

    raise typer.Exit(run_demo(output, port))


# --- downstream: show, stats, verify, export (archiver.tools.show / stats / verify / export) ---

_JSON_HELP = "Machine-readable JSON on stdout instead of tables."


@app.command()
def show(
    target: Annotated[Path, typer.Argument(help="Archive dir, crawl dir or records JSONL file.")],
    url: Annotated[str | None, typer.Option("--url", help="Only captures of this URL (or canonical URL).")] = None,
    latest: Annotated[bool, typer.Option("--latest", help="Only the newest capture of each URL.")] = False,
    full: Annotated[bool, typer.Option("--full", help="Whole body and comment texts, not excerpts.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON record per line, thread nested.")] = False,
) -> None:
    """Records for people: metadata, media and the comment thread drawn as a tree."""
    from rich.console import Console
    from rich.rule import Rule

    from archiver.load import comments_tree
    from archiver.tools.show import render, select

    console, shown = Console(), 0
    try:
        for record in select(target, url, latest):
            if as_json:
                thread = [node.to_dict() for node in comments_tree(record)]
                typer.echo(json.dumps({**record, "thread": thread}, ensure_ascii=False))
            else:
                if shown:
                    console.print(Rule(style="dim"))
                console.print(render(record, full=full))
            shown += 1
    except (OSError, ValueError) as exc:  # LoadError is a ValueError
        fail(str(exc))
    if not shown:
        fail(f"no record for {url} under {target}" if url else f"no records under {target}", 1)


@app.command()
def stats(
    target: Annotated[Path, typer.Argument(help="Archive dir, crawl dir or records JSONL file.")],
    as_json: Annotated[bool, typer.Option("--json", help=_JSON_HELP)] = False,
) -> None:
    """Counts per site and day, comments, media, and crawl errors (from crawl.json)."""
    from rich.console import Console

    from archiver.load import discover
    from archiver.load.files import total_bytes
    from archiver.tools.progressbar import byte_progress
    from archiver.tools.stats import archive_stats, render_stats

    try:
        with byte_progress("Counting", total_bytes(discover(target))) as progress:
            result = archive_stats(target, progress)
    except (OSError, ValueError) as exc:  # LoadError is a ValueError
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        Console().print(render_stats(result))


@app.command()
def verify(
    target: Annotated[Path, typer.Argument(help="Archive dir, crawl dir, JSONL file or WARC file.")],
    repair: Annotated[bool, typer.Option("--repair", help="Finish .open files left by dead writers.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help=_JSON_HELP)] = False,
) -> None:
    """Check WARC + JSONL integrity and every record's WARC pointer; exit 1 listing the problems."""
    from archiver.tools.progressbar import byte_progress
    from archiver.tools.verify import verify as verify_archive
    from archiver.tools.verify import work_bytes

    try:
        with byte_progress("Verifying", work_bytes(target)) as progress:
            report = verify_archive(target, repair=repair, progress=progress)
    except OSError as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        for action in report.repaired:
            typer.echo(f"repaired: {action}")
        for problem in report.problems:
            typer.echo(str(problem))
        verdict = "OK" if report.ok else f"{len(report.problems)} problem(s)"
        typer.echo(f"{verdict}: {report.crawls} crawl(s), {report.jsonl_files} JSONL file(s), "
                   f"{report.records} record(s), {report.pointers} pointer(s), {report.warc_files} WARC file(s)")
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def index(
    target: Annotated[Path, typer.Argument(help="Archive dir or crawl dir holding .warc.gz files.")],
) -> None:
    """Write a sorted CDXJ index (index.cdxj) into every crawl directory with WARC files."""
    from archiver.warc.index import write_indexes

    if not target.is_dir():
        fail(f"not a directory: {target}")
    try:
        written = write_indexes(target)
    except (OSError, ValueError) as exc:
        fail(str(exc), 1)
    if not written:
        fail(f"no closed .warc.gz files under {target}", 1)
    for path in written:
        typer.echo(str(path))


@app.command()
def wacz(
    target: Annotated[Path, typer.Argument(help="Archive dir or crawl dir holding .warc.gz files.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The .wacz file to write.")],
) -> None:
    """Package WARCs + indexes + pages.jsonl (the articles) as one WACZ file for ReplayWeb.page."""
    from archiver.tools.wacz import write_wacz

    if not target.is_dir():
        fail(f"not a directory: {target}")
    try:
        path = write_wacz(target, output)
    except (OSError, ValueError) as exc:
        fail(str(exc), 1)
    typer.echo(str(path))


@app.command()
def export(
    target: Annotated[Path, typer.Argument(help="Archive dir, crawl dir or records JSONL file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Directory for the table files.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="parquet, csv or jsonl.")] = "parquet",
    latest: Annotated[bool, typer.Option("--latest", help="Only the newest capture of each URL.")] = False,
    since: Annotated[str | None, typer.Option("--since", help="Only records fetched at/after (ISO 8601).")] = None,
    site: Annotated[str | None, typer.Option("--site", help="Only records of this host.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_JSON_HELP)] = False,
) -> None:
    """Write flat tables articles / comments / media (joined on article_id or url)."""
    from archiver.load import discover
    from archiver.load.files import total_bytes
    from archiver.tools.export import FORMATS
    from archiver.tools.export import export as export_tables
    from archiver.tools.progressbar import byte_progress

    if fmt not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    try:
        total = total_bytes(discover(target)) * (2 if latest else 1)
        with byte_progress("Exporting", total) as progress:
            result = export_tables(target, output, fmt, latest_only=latest, since=since, site=site, progress=progress)
    except (OSError, ValueError) as exc:  # LoadError is a ValueError
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps({"format": fmt, "files": result.files, "rows": result.rows}, indent=2))
    else:
        for table, path in result.files.items():
            typer.echo(f"{table:9} {result.rows[table]:>8} rows  {path}")


@app.command()
def seed(
    redis_url: Annotated[str, typer.Argument(help="redis://[:password@]host:6379/0 shared by the workers.")],
    crawl_id: Annotated[str, typer.Option("--crawl-id", help="CRAWL_ID every worker of the crawl uses.")],
    arg: Annotated[list[str] | None, typer.Option("--arg", "-a", help="Spider argument NAME=VALUE.")] = None,
    setting: Annotated[list[str] | None, typer.Option("--set", "-s", help="Setting NAME=VALUE.")] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Delete the crawl's Redis keys first.")] = False,
    status: Annotated[bool, typer.Option("--status", help="Only print the crawl's state (JSON).")] = False,
) -> None:
    """Push a distributed crawl's start requests into Redis (docs/distributed.md)."""
    from archiver.crawl.inputs import InputError
    from archiver.distributed.seed import SeedError, crawl_settings, crawl_status, seed_crawl

    def pairs(values: list[str] | None, what: str) -> dict[str, str]:
        if any("=" not in value for value in values or []):
            fail(f"{what} must be NAME=VALUE")
        return dict(value.split("=", 1) for value in values or [])

    try:
        settings = crawl_settings(redis_url, crawl_id, pairs(setting, "--set"))
        if status:
            typer.echo(json.dumps(crawl_status(settings), indent=2))
            return
        result = seed_crawl(settings, pairs(arg, "--arg"), reset=reset)
    except (SeedError, InputError) as exc:
        fail(str(exc))
    typer.echo(f"crawl {result.crawl_id}: {result.pushed} start requests queued"
               f" ({result.duplicates} duplicates skipped)")


@app.command()
def cron(
    jobs_file: Annotated[str, typer.Argument(help="The TOML jobs file (docs/cron.md).")],
    job: Annotated[str | None, typer.Option("--job", help="Run only this job.")] = None,
) -> None:
    """Run scheduled incremental crawls: locked, resumable, one summary line per job."""
    from archiver.cron import run_jobs_file

    code, errors = run_jobs_file(jobs_file, job)
    for line in errors:
        typer.echo(f"error: {line}", err=True)
    raise typer.Exit(code)


def main() -> None:
    app()
