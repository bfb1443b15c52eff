"""The `archiver` command line (also `python -m archiver`): DESIGN §3.

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
    from archiver.extract import extract_page
    from archiver.inputs import InputError, check_url

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


def main() -> None:
    app()
