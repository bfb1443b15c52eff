"""Checks before a crawl starts, so a bad output location is one clear line, not a traceback.

A read-only or missing-permission ARCHIVE_DIR, or a CRAWL_ID that would leave it, would otherwise
surface deep inside Scrapy start-up (a traceback, exit 1) or, worse, after pages were fetched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from archiver.crawldir import CrawlDir


def output_problem(settings: Any) -> str | None:
    """Why the crawl could not write its archive (one line), or None when it can."""
    try:
        crawl_dir = CrawlDir.from_settings(settings)
    except ValueError as exc:
        return str(exc)
    root = Path(crawl_dir.root)
    try:
        root.mkdir(parents=True, exist_ok=True)
        # os.access() lies for root and on read-only mounts: really create a file.
        fd, probe = tempfile.mkstemp(prefix=".write-probe-", dir=root)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return f"cannot write to ARCHIVE_DIR {root}: {exc.strerror or exc}"
    return None
