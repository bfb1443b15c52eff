"""A crawler killed with SIGKILL leaves no extraction worker behind (they used to wait forever)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Starts a pool, makes its worker analyse one page (so the worker exists), prints the worker's pid,
# then waits to be killed.
_CRAWLER = """
import asyncio, sys, time
from archiver.crawl.extraction_pool import ExtractionPool
pool = ExtractionPool(1)
asyncio.run(pool.analyze("<html><body><p>text</p></body></html>", "https://example.org/a"))
print(*pool.executor._processes, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_workers_exit_when_the_crawler_is_killed() -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    crawler = subprocess.Popen([sys.executable, "-c", _CRAWLER], env=env, stdout=subprocess.PIPE, text=True)
    assert crawler.stdout is not None
    workers = [int(pid) for pid in crawler.stdout.readline().split()]
    assert workers and all(_alive(pid) for pid in workers)
    crawler.send_signal(signal.SIGKILL)
    crawler.wait(timeout=10)
    deadline = time.monotonic() + 30  # the watch thread looks once a second
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)]
