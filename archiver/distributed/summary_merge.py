"""Merge the per-worker summaries `crawl-<worker>.json` of a crawl directory into `crawl.json`.

Every worker writes its own summary (see `summary.py`); readers such as `archiver verify` expect
one `crawl.json` per crawl. Each worker re-merges when it stops, holding an exclusive lock on the
crawl directory, so the last one to stop leaves a `crawl.json` covering every summary present;
after gathering the directories of several machines into one, run
`python -m archiver.distributed.summary_merge DIR` once. The merged outcome judges the whole crawl
(summed stats), e.g. "no record at all" even though each worker may legitimately have none.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from archiver.crawl.outcome import crawl_outcome
from archiver.crawldir import OPEN_SUFFIX, SUMMARY_FILE, write_json_atomic
from archiver.defaults import setting_bool, setting_float, setting_int

WORKER_GLOB = "crawl-*.json"


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """An exclusive flock on the directory itself: no lock file to leave behind."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _add(total: Any, value: Any) -> Any:
    """Sum numbers, and dicts of numbers key by key; anything else keeps the first value."""
    if isinstance(value, bool) or isinstance(total, bool):
        return total
    if isinstance(total, int | float) and isinstance(value, int | float):
        return total + value
    if isinstance(total, dict) and isinstance(value, dict):
        merged = dict(total)
        for key, item in value.items():
            merged[key] = _add(merged[key], item) if key in merged else item
        return merged
    return total


def merge(parts: list[dict[str, Any]], files: list[str], settings: dict[str, Any]) -> dict[str, Any]:
    """One crawl summary from the summaries of its workers.

    `settings` are those the workers reported: the crawl is judged and listed as one worker's
    summary is (the defaults of archiver/settings.py for what an older summary does not report).
    """
    reported = Settings(settings)
    counts: dict[str, Any] = {}
    stats: dict[str, Any] = {}
    for part in parts:
        counts = _add(counts, part.get("counts") or {})
        stats = _add(stats, {k: v for k, v in (part.get("stats") or {}).items() if isinstance(v, int | float)})
    reasons = sorted({str(part.get("finish_reason")) for part in parts})
    stats["finish_reason"] = "finished" if reasons == ["finished"] else reasons[0]
    outcome = crawl_outcome(stats, threshold=setting_float(reported, "ERROR_RATE_THRESHOLD"),
                            fail_on_empty=setting_bool(reported, "FAIL_ON_EMPTY"))
    rejected = [page for part in parts for page in part.get("page_type_rejected") or []]
    starts = [p["start"] for p in parts if p.get("start")]
    ends = [p["end"] for p in parts if p.get("end")]
    first = parts[0]
    return {
        "crawl_id": first.get("crawl_id"),
        "spider": first.get("spider"),
        "inputs": first.get("inputs"),
        "start": min(starts) if starts else None,
        "end": max(ends) if ends else None,
        "finish_reason": ",".join(reasons),
        "outcome": {"exit_code": outcome.code, "reason": outcome.reason},
        "counts": counts,
        "page_type_rejected": rejected[:setting_int(reported, "PAGE_TYPE_REJECTED_LISTED")],
        "files": files,
        "settings": first.get("settings"),
        "versions": first.get("versions"),
        "workers": [{"worker": (p.get("distributed") or {}).get("worker"), "host": p.get("host"),
                     "outcome": p.get("outcome"), "records": (p.get("counts") or {}).get("records")}
                    for p in parts],
        "distributed": {"redis": (first.get("distributed") or {}).get("redis"), "merged_from": len(parts)},
    }


def merge_summaries(crawl_dir: Path) -> dict[str, Any] | None:
    """Write crawl.json from every crawl-<worker>.json in `crawl_dir` (atomically, under a lock)."""
    with _locked(crawl_dir):
        paths = sorted(crawl_dir.glob(WORKER_GLOB))
        parts = []
        for path in paths:
            try:
                parts.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue  # a torn file of a killed worker: the others still describe the crawl
        if not parts:
            return None
        names = {p.name for p in paths} | {SUMMARY_FILE}
        # Finished files only: a killed worker's `.open` files get renamed by `verify --repair`.
        files = sorted(p.name for p in crawl_dir.iterdir()
                       if p.is_file() and p.name not in names and not p.name.endswith(OPEN_SUFFIX))
        summary = merge(parts, files, parts[0].get("settings") or {})
        target = crawl_dir / SUMMARY_FILE
        write_json_atomic(target, summary)
        return summary


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python -m archiver.distributed.summary_merge CRAWL_DIR", file=sys.stderr)
        return 2
    summary = merge_summaries(Path(argv[0]))
    if summary is None:
        print(f"error: no {WORKER_GLOB} in {argv[0]}", file=sys.stderr)
        return 1
    print(f"crawl.json: {len(summary['workers'])} workers, {summary['counts'].get('records')} records,"
          f" outcome {summary['outcome']['exit_code']} ({summary['outcome']['reason']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
