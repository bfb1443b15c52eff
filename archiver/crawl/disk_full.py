"""Disk full (or read-only, or over quota) while archiving: stop cleanly with one clear line.

Writing on after ENOSPC only multiplies half-written records and error lines; what is finished is
safe (files are written as `.open` and renamed when complete), so the right move is to stop the
crawl at once, say why in one line, and let `archiver verify --repair` trim the `.open` files.
`stop_for_disk_full` is called from wherever a write fails: the spider's errback (WARC capture
runs in the downloader), and the DiskFullGuard extension (pipelines, signal handlers).
"""

from __future__ import annotations

import errno
import logging
from typing import Any

from scrapy.utils.defer import _schedule_coro

logger = logging.getLogger("archiver.crawl.disk_full")

DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})
FINISH_REASON = "disk_full"
# SQLite's names for "the file system refused the write" (full, I/O error incl. EFBIG, read-only).
SQLITE_DISK_ERRORS = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY")


def disk_error(exc: BaseException | None) -> OSError | None:
    """The OSError behind `exc` (itself, or a cause/context) when it means "cannot write here"."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS:
            return exc
        sqlite_error = getattr(exc, "sqlite_errorname", "") or ""  # the WARC digest index, cron state
        if sqlite_error.startswith(SQLITE_DISK_ERRORS) or "database or disk is full" in str(exc):
            code = (errno.EROFS if sqlite_error.startswith("SQLITE_READONLY")
                    else errno.EIO if sqlite_error.startswith("SQLITE_IOERR") else errno.ENOSPC)
            return OSError(code, f"{exc} ({sqlite_error or 'sqlite'})")
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def describe(error: OSError) -> str:
    name = errno.errorcode.get(error.errno or 0, "EIO")
    where = f" writing {error.filename}" if error.filename else ""
    return f"{error.strerror or error} ({name}){where}"


def stop_for_disk_full(crawler: Any, exc: BaseException) -> bool:
    """Stop the crawl once for a disk error; True if `exc` was one (the caller logs nothing more)."""
    error = disk_error(exc)
    if error is None:
        return False
    stats = crawler.stats
    if stats is not None:
        stats.inc_value("archiver/disk_full")
    if getattr(crawler, "_archiver_disk_full", False):
        return True
    crawler._archiver_disk_full = True
    logger.critical("Cannot write the archive: %s. Stopping the crawl; finished files are intact, "
                    "run `archiver verify --repair` on the crawl directory after freeing space.",
                    describe(error))
    engine = getattr(crawler, "engine", None)
    if engine is not None and getattr(engine, "spider", None) is not None:
        # Same call as Scrapy's CloseSpider extension; a no-op if the spider is already closing.
        _schedule_coro(engine.close_spider_async(reason=FINISH_REASON))
    return True
