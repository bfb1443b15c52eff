"""The one-line human summary of a job run, read from the crawl's `crawl.json`."""

from __future__ import annotations

import json
import signal
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from archiver.crawl import outcome
from archiver.crawldir import SUMMARY_FILE
from archiver.incremental.state import parse_time

CODE_NAMES = {
    outcome.OK: "ok", outcome.FAILED: "failed", outcome.USAGE: "bad arguments",
    outcome.ERRORS: "errors", outcome.EMPTY: "empty", outcome.INTERRUPTED: "interrupted",
    outcome.LOCKED: "locked", outcome.BAD_CONFIG: "bad config",
}


@dataclass
class JobResult:
    job: str
    exit_code: int
    line: str
    crawl_dir: Path | None
    summary: dict[str, Any] | None = None

    def describe(self) -> dict[str, Any]:
        """JSON-able view (webhook body)."""
        return {"job": self.job, "exit_code": self.exit_code,
                "status": CODE_NAMES.get(self.exit_code, "failed"), "summary": self.line,
                "crawl_dir": str(self.crawl_dir) if self.crawl_dir else None,
                "counts": (self.summary or {}).get("counts")}


def read_summary(crawl_dir: Path, since: datetime | None = None) -> dict[str, Any] | None:
    """crawl.json of the crawl directory, if written by this run (not an older segment)."""
    try:
        summary: dict[str, Any] = json.loads((crawl_dir / SUMMARY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    end = parse_time(summary.get("end"))
    if since is not None and end is not None and end < since:
        return None
    return summary


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{count} B"


def summary_line(job: str, code: int, summary: dict[str, Any] | None, crawl_dir: Path,
                 killed_by: int | None = None) -> str:
    """`JOB: STATUS (exit N) — 2 new, 1 changed (3 new comments), … → CRAWL_DIR`."""
    status = CODE_NAMES.get(code, "failed")
    if killed_by:
        status = f"killed by {signal.Signals(killed_by).name}; run again to resume"
    if summary is None:
        return f"{job}: {status} (exit {code}) — no crawl.json written; see the job's log → {crawl_dir}"
    counts = summary.get("counts", {})
    inc = counts.get("incremental", {})
    parts = [f"{inc.get('new', 0)} new", f"{inc.get('changed', 0)} changed"]
    if inc.get("new_comments"):
        parts[-1] += f" ({inc['new_comments']} new comments)"
    parts += [f"{inc.get('unchanged', 0)} unchanged", f"{inc.get('not_due', 0)} not due"]
    if inc.get("gone"):
        parts.append(f"{inc['gone']} gone")
    parts.append(f"{counts.get('errors', 0)} errors")
    size = _size(int(counts.get("bytes_written", 0) or 0))
    took = summary.get("duration_s")
    reason = (summary.get("outcome") or {}).get("reason", "")
    detail = f"; {reason}" if code not in (outcome.OK,) and reason else ""
    return (f"{job}: {status} (exit {code}) — {', '.join(parts)}; {counts.get('responses', 0)} responses, "
            f"{size} in {took}s{detail} → {crawl_dir}")
