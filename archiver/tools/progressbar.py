"""Progress bars for slow CLI commands: shown on stderr only after a second, only on a terminal.

Library functions take a plain `progress(n_bytes)` callback, so they stay free of rich and of
terminals; the CLI passes the callback made here. Quick commands never flash a bar, and piped or
scripted runs (`--json`, CI) never get control sequences.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

SHOW_AFTER_S = 1.0
_FLUSH_BYTES = 1 << 16  # batch updates: a callback per line must stay cheap


@contextmanager
def byte_progress(description: str, total: int, console: Console | None = None) -> Iterator[Callable[[int], None]]:
    """A `progress(n)` callback drawing a bar of `total` bytes once the work has lasted a second."""
    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield lambda n: None
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                   TimeRemainingColumn(), console=console, transient=True)
    task = bar.add_task(description, total=total or None)
    started, shown, pending = time.monotonic(), False, 0

    def advance(n: int) -> None:
        nonlocal shown, pending
        pending += n
        if pending < _FLUSH_BYTES:
            return
        if not shown and time.monotonic() - started >= SHOW_AFTER_S:
            bar.start()
            shown = True
        bar.advance(task, pending)
        pending = 0

    try:
        yield advance
    finally:
        if shown:
            bar.stop()
