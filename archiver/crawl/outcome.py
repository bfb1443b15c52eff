"""How a crawl went, as an exit code: Scrapy exits 0 even when every callback failed; we don't.

The codes are a contract for cron wrappers and scripts (README, "Exit codes").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

OK = 0
FAILED = 1  # crash / bootstrap failure
USAGE = 2  # bad arguments or settings
ERRORS = 3  # errors above ERROR_RATE_THRESHOLD
EMPTY = 4  # no record written although inputs were given
INTERRUPTED = 5  # stopped by a signal before finishing
LOCKED = 6  # another run of the same cron job holds the lock
BAD_CONFIG = 7  # the cron jobs file is invalid

ERROR_KEYS = ("archiver/errors", "spider_exceptions/count", "archiver/extract_error")
# Incremental runs: articles accounted for without a new record (unchanged, not due, gone) mean
# the run was not empty.
ACCOUNTED_KEYS = ("archiver/incremental/unchanged", "archiver/incremental/not_due",
                  "archiver/incremental/gone")


@dataclass(frozen=True)
class Outcome:
    code: int
    reason: str


def error_count(stats: dict[str, Any]) -> int:
    return sum(int(stats.get(key, 0) or 0) for key in ERROR_KEYS)


def crawl_outcome(stats: dict[str, Any], *, threshold: float, fail_on_empty: bool) -> Outcome:
    """The exit code for a finished crawl from its stats."""
    errors = error_count(stats)
    responses = int(stats.get("downloader/response_count", 0) or 0)
    records = int(stats.get("archiver/records_written", 0) or 0)
    finish = str(stats.get("finish_reason", "finished"))
    if finish in ("shutdown", "cancelled"):
        return Outcome(INTERRUPTED, f"interrupted ({finish}); run again to resume")
    if finish == "disk_full":  # archiver.crawl.disk_full stopped the crawl: nothing more could be written
        return Outcome(FAILED, "stopped: the archive could not be written (disk full or read-only)")
    attempts = max(responses, 1) + int(stats.get("archiver/errors", 0) or 0)
    if errors and errors / attempts > threshold:
        return Outcome(ERRORS, f"{errors} errors in {attempts} requests (> {threshold:.0%})")
    accounted = sum(int(stats.get(key, 0) or 0) for key in ACCOUNTED_KEYS)
    if fail_on_empty and records == 0 and accounted == 0:
        return Outcome(EMPTY, "no article record was written")
    return Outcome(OK, f"{records} records, {errors} errors")
