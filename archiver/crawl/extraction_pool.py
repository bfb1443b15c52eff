"""Run page extraction off the reactor thread, in worker processes, so both cores work.

Extraction is pure CPU (lxml parsing and tree walks). Done in the reactor it stalls downloads and
WARC writing; in a process pool the reactor keeps fetching while pages are analysed. With
EXTRACT_WORKERS = 0 (or when the pool breaks) it runs in-process, the same code path.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from archiver.extract import PageAnalysis, analyze_page

logger = logging.getLogger(__name__)


def portable_analysis(html: str, url: str, classify: bool = True) -> PageAnalysis:
    """`analyze_page` with the lxml elements dropped so the result can cross processes."""
    analysis = analyze_page(html, url, classify=classify)
    analysis.comments.nodes = []
    return analysis


def exit_with_parent(parent_pid: int, interval: float = 1.0) -> None:
    """Worker initializer: end the worker when the crawler that started it is gone.

    A crawler killed with SIGKILL cannot shut its pool down, and a worker waiting on its call queue
    never sees end-of-file (it holds the queue's write end too), so without this it would wait
    forever, one orphan per worker and kill. A daemon thread watches the parent's pid instead.
    """
    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def default_workers() -> int:
    """One process per spare core: the reactor keeps one core for downloading and writing."""
    return max(0, min(4, (os.cpu_count() or 1) - 1))


class ExtractionPool:
    def __init__(self, workers: int, timeout: float = 120.0) -> None:
        self.workers = workers
        self.timeout = timeout
        self.executor: ProcessPoolExecutor | None = self._new_executor() if workers > 0 else None

    def _new_executor(self) -> ProcessPoolExecutor:
        # "spawn": never fork a process that runs a Twisted reactor and holds open files.
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=exit_with_parent, initargs=(os.getpid(),))

    async def analyze(self, html: str, url: str, *, classify: bool = True) -> PageAnalysis:
        """The page analysis (the page type only with `classify`), computed in a worker process
        when the pool is on."""
        if self.executor is None:
            return analyze_page(html, url, classify=classify)
        loop = asyncio.get_running_loop()
        try:
            future = loop.run_in_executor(self.executor, portable_analysis, html, url, classify)
            return await asyncio.wait_for(future, self.timeout)
        except BrokenProcessPool:
            logger.error("Extraction worker died on %s; restarting the pool and extracting in-process", url)
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._new_executor()
            return analyze_page(html, url, classify=classify)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
