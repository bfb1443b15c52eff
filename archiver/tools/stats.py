"""`archiver stats DIR`: what an archive holds — records per site and per day, comments, media, errors.

Record counts come from one streaming pass over the JSONL files (not validated: `verify` is the
place for that); crawl outcomes and errors come from each crawl's `crawl.json`, the only place
that knows about pages that produced no record.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archiver.crawldir import SUMMARY_FILE
from archiver.load import records
from archiver.load.files import Progress


@dataclass
class ArchiveStats:
    records: int = 0
    urls: int = 0  # distinct URLs (records - urls = re-captures of changed pages)
    first_fetch: str | None = None
    last_fetch: str | None = None
    by_site: Counter[str] = field(default_factory=Counter)
    by_day: Counter[str] = field(default_factory=Counter)
    comments: int = 0
    records_with_comments: int = 0
    comments_by_system: Counter[str] = field(default_factory=Counter)
    media: int = 0
    media_by_type: Counter[str] = field(default_factory=Counter)
    crawls: list[dict[str, Any]] = field(default_factory=list)
    errors: int = 0
    rejected: int = 0
    errors_by_kind: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict, counters sorted by key for stable output."""
        out: dict[str, Any] = {}
        for name, value in self.__dict__.items():
            out[name] = dict(sorted(value.items())) if isinstance(value, Counter) else value
        return out


def archive_stats(path: str | Path, progress: Progress | None = None) -> ArchiveStats:
    """Counts over every record and every crawl.json under `path`."""
    stats = ArchiveStats()
    seen: set[bytes] = set()  # 8-byte URL hashes: distinct URLs without keeping the URLs
    for record in records(path, validate=False, progress=progress):
        _count_record(stats, record)
        seen.add(hashlib.blake2b(record["url"].encode("utf-8", "surrogatepass"), digest_size=8).digest())
    stats.urls = len(seen)
    root = Path(path)
    summaries = [root] if root.name == SUMMARY_FILE else sorted(
        (root.parent if root.is_file() else root).rglob(SUMMARY_FILE))
    for summary_path in summaries:
        _count_crawl(stats, summary_path)
    return stats


def _count_record(stats: ArchiveStats, record: dict[str, Any]) -> None:
    stats.records += 1
    fetched = record.get("fetched_at") or ""
    if fetched:
        stats.first_fetch = stats.first_fetch or fetched  # records() yields oldest first
        stats.last_fetch = fetched
    stats.by_day[fetched[:10] or "unknown"] += 1
    stats.by_site[_site(record["url"])] += 1
    comments = record.get("comments") or []
    stats.comments += len(comments)
    if comments:
        stats.records_with_comments += 1
    if record.get("comments_system"):
        stats.comments_by_system[str(record["comments_system"])] += len(comments)
    media = record.get("media") or []
    stats.media += len(media)
    stats.media_by_type.update(str(m.get("type")) for m in media if isinstance(m, dict))


def _count_crawl(stats: ArchiveStats, summary_path: Path) -> None:
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        counts = summary.get("counts") or {}
    except (OSError, ValueError, AttributeError):
        stats.crawls.append({"crawl_id": summary_path.parent.name, "unreadable": True})
        return
    stats.crawls.append({
        "crawl_id": summary.get("crawl_id") or summary_path.parent.name,
        "start": summary.get("start"),
        "end": summary.get("end"),
        "records": counts.get("records", 0),
        "errors": counts.get("errors", 0),
        "rejected": counts.get("rejected", 0),
        "exit_code": (summary.get("outcome") or {}).get("exit_code"),
        "reason": (summary.get("outcome") or {}).get("reason"),
    })
    stats.errors += int(counts.get("errors") or 0)
    stats.rejected += int(counts.get("rejected") or 0)
    stats.errors_by_kind.update({str(k): int(v) for k, v in (counts.get("errors_by_kind") or {}).items()})
    stats.by_status.update({str(k): int(v) for k, v in (counts.get("by_status") or {}).items()})


def _site(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower().removeprefix("www.") or "unknown"
    except ValueError:
        return "unknown"


def render_stats(stats: ArchiveStats) -> Any:
    """The stats as rich tables (overview, per site, per day, media, crawls)."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    overview = Table.grid(padding=(0, 2))
    overview.add_column(style="dim")
    overview.add_column(justify="right")
    for label, value in (
        ("records", stats.records), ("distinct URLs", stats.urls), ("first fetch", stats.first_fetch or "-"),
        ("last fetch", stats.last_fetch or "-"), ("comments", stats.comments),
        ("records with comments", stats.records_with_comments), ("media", stats.media),
        ("crawls", len(stats.crawls)), ("crawl errors", stats.errors), ("rejected records", stats.rejected),
    ):
        overview.add_row(label, str(value))
    parts: list[Any] = [overview]
    for key_name, count_name, counter in (
            ("site", "records", stats.by_site), ("day", "records", stats.by_day),
            ("comment system", "comments", stats.comments_by_system), ("media type", "items", stats.media_by_type),
            ("error kind", "errors", stats.errors_by_kind), ("HTTP status", "responses", stats.by_status)):
        if counter:
            table = Table(box=box.SIMPLE_HEAD, show_edge=False)
            table.add_column(key_name)
            table.add_column(count_name, justify="right")
            for key, count in sorted(counter.items()):
                table.add_row(key, str(count))
            parts += [Text(""), table]
    if stats.crawls:
        crawls = Table(box=box.SIMPLE_HEAD, show_edge=False)
        for name in ("crawl", "start", "records", "errors", "rejected", "exit"):
            crawls.add_column(name, justify="right" if name in ("records", "errors", "rejected", "exit") else "left")
        for crawl in stats.crawls:
            crawls.add_row(str(crawl.get("crawl_id")), str(crawl.get("start") or "-"), str(crawl.get("records", "-")),
                           str(crawl.get("errors", "-")), str(crawl.get("rejected", "-")),
                           str(crawl.get("exit_code", "-")))
        parts += [Text(""), crawls]
    return Group(*parts)
