"""Start a job's crawl fresh or resume the interrupted one, and clean up after a crash first.

After a graceful stop (SIGTERM/SIGINT: exit code 5, Scrapy saved its queue) the crawl continues
in the same crawl directory with the same JOBDIR. After a hard kill (kill -9, power loss, the
runner itself killed) Scrapy's JOBDIR may be half-written, so it is discarded and the crawl is
restarted in the same directory: discovery runs again and the crawl state skips every article
already archived. Either way, before the crawl starts:

* leftover `.open` files are closed: WARC files cut after their last whole record (the WARC
  module's repair), JSONL files as `archiver verify --repair` closes them (`crawldir.repair_jsonl`);
* every record in the crawl directory's JSONL files is reconciled into the crawl state, because a
  kill can land between writing a record and committing it to the state.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from archiver.crawldir import JSONL_LEFTOVER_GLOBS, SUMMARY_FILE, new_crawl_id, repair_jsonl
from archiver.incremental.changes import article_commit
from archiver.incremental.state import CrawlState
from archiver.load.files import record_dicts
from archiver.warc.checker import verify_warcs

logger = logging.getLogger(__name__)

JOBDIR_ROOT = ".cron/jobdir"


@dataclass(frozen=True)
class Plan:
    crawl_id: str
    jobdir: Path
    resume: bool
    reason: str


def plan_run(state: CrawlState, archive_dir: Path) -> Plan:
    """Fresh crawl, or resume of the last run if it did not finish."""
    last = state.last_run()
    if last is not None and last.status in ("running", "interrupted", "killed"):
        if not _finished(archive_dir / last.crawl_id):
            jobdir = archive_dir / JOBDIR_ROOT / last.crawl_id
            keep = last.status == "interrupted" and jobdir.is_dir()
            reason = (f"resuming crawl {last.crawl_id} ({last.status}; "
                      f"{'with its JOBDIR queue' if keep else 'JOBDIR discarded, discovery again'})")
            if not keep and jobdir.exists():
                shutil.rmtree(jobdir)
            return Plan(last.crawl_id, jobdir, True, reason)
    crawl_id = new_crawl_id()
    return Plan(crawl_id, archive_dir / JOBDIR_ROOT / crawl_id, False, f"new crawl {crawl_id}")


def _finished(crawl_dir: Path) -> bool:
    """The crawl completed although its run was not recorded as finished (runner died last)."""
    try:
        summary = json.loads((crawl_dir / SUMMARY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return summary.get("finish_reason") not in ("shutdown", "cancelled", None)


def prepare_resume(state: CrawlState, crawl_dir: Path, segment: int, now: str) -> int:
    """Close crashed files, keep the last segment's summary, reconcile records; → records seen."""
    summary = crawl_dir / SUMMARY_FILE
    if summary.exists():
        os.replace(summary, crawl_dir / f"crawl-segment-{segment}.json")
    for problem in verify_warcs(crawl_dir, repair=True) if crawl_dir.is_dir() else []:
        logger.warning("WARC repair: %s", problem)
    repair_jsonl_files(crawl_dir)
    return reconcile(state, crawl_dir, now)


def repair_jsonl_files(crawl_dir: Path) -> list[str]:
    """Close the JSONL `.open` files a crash left (see `crawldir.repair_jsonl`); what was done."""
    leftovers = sorted({p for pattern in JSONL_LEFTOVER_GLOBS for p in crawl_dir.glob(pattern)})
    done = []
    for path in leftovers if crawl_dir.is_dir() else []:
        if path.exists():  # an interrupted compression's twin may be gone by now
            done.append(repair_jsonl(path))
            logger.warning("JSONL repair: %s", done[-1])
    return done


def reconcile(state: CrawlState, crawl_dir: Path, now: str) -> int:
    """Commit every versioned record of the crawl directory to the state (idempotent)."""
    seen = 0
    for record in record_dicts(crawl_dir, finished_only=True) if crawl_dir.is_dir() else []:
        if record.get("version") and record.get("url"):
            state.commit_article(article_commit(record, fetched=now))
            seen += 1
    return seen


