"""Write `crawl.json` (the run summary: README, "What it produces") and decide the crawl's exit code.

Runs on `engine_stopped`, after every pipeline and writer has closed its files, so the summary
lists finished files only.
"""

from __future__ import annotations

import logging
import platform
import socket
from datetime import UTC, datetime
from typing import Any

import scrapy
import warcio
from scrapy import signals
from scrapy.crawler import Crawler

from archiver import __version__
from archiver.crawl.outcome import crawl_outcome, error_count
from archiver.crawldir import SUMMARY_FILE, CrawlDir, write_json_atomic
from archiver.defaults import setting_bool, setting_float

logger = logging.getLogger(__name__)
# Settings echoed into crawl.json; anything that may hold a secret (proxies, keys) is not listed.
REPORTED_SETTINGS = (
    "ARCHIVE_DIR", "USER_AGENT", "ROBOTSTXT_OBEY", "AUTOTHROTTLE_ENABLED", "CONCURRENT_REQUESTS",
    "DOWNLOAD_DELAY", "DOWNLOAD_TIMEOUT", "MAX_DEPTH", "MAX_PAGES", "JSONL_GZIP", "COMMENT_PAGES",
    "WP_REST_COMMENTS", "WARC_ENABLED", "WARC_MAX_SIZE", "PAGE_TYPE_REJECTED_LISTED",
    "INCREMENTAL", "REVISIT_POLICY", "WARC_CONDITIONAL_REQUESTS",
    # The outcome's thresholds: a distributed crawl's merged summary is judged with them too.
    "ERROR_RATE_THRESHOLD", "FAIL_ON_EMPTY",
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def _grouped(stats: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {k[len(prefix):]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}


def _bytes_in(directory: Any) -> int:
    """Size of the crawl directory's files (a resumed crawl counts every segment)."""
    if not directory.is_dir():
        return 0
    return sum(p.stat().st_size for p in directory.iterdir() if p.is_file() and p.name != SUMMARY_FILE)


def build_summary(crawler: Crawler, crawl_dir: CrawlDir) -> dict[str, Any]:
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    settings = crawler.settings
    outcome = crawl_outcome(
        stats,
        threshold=setting_float(settings, "ERROR_RATE_THRESHOLD"),
        fail_on_empty=setting_bool(settings, "FAIL_ON_EMPTY"),
    )
    spider = crawler.spider
    inputs = getattr(spider, "inputs", None)
    files = sorted(p.name for p in crawl_dir.path.iterdir()) if crawl_dir.path.is_dir() else []
    start, end = stats.get("start_time"), stats.get("finish_time") or datetime.now(UTC)
    return {
        "crawl_id": crawl_dir.crawl_id,
        "spider": spider.name if spider else None,
        "inputs": {"mode": inputs.mode, "urls": list(inputs.urls)} if inputs else None,
        "start": _jsonable(start),
        "end": _jsonable(end),
        "duration_s": round((end - start).total_seconds(), 3) if start else None,
        "finish_reason": stats.get("finish_reason"),
        "outcome": {"exit_code": outcome.code, "reason": outcome.reason},
        "counts": {
            "records": stats.get("archiver/records_written", 0),
            "articles": stats.get("archiver/articles", 0),
            "rejected": stats.get("archiver/rejected", 0),
            "duplicates": stats.get("archiver/duplicates", 0),
            "requests": stats.get("downloader/request_count", 0),
            "responses": stats.get("downloader/response_count", 0),
            "response_bytes": stats.get("downloader/response_bytes", 0),
            "errors": error_count(stats),
            "by_status": _grouped(stats, "downloader/response_status_count/"),
            "errors_by_kind": _grouped(stats, "archiver/error/"),
            # Site/sitemap pages by classifier verdict, and the not-archived ones by reason.
            "page_types": _grouped(stats, "archiver/page_type/"),
            "page_type_reasons": _grouped(stats, "archiver/page_type_reason/"),
            # Incremental runs: new/changed/unchanged/not_due/gone articles, new_comments.
            "incremental": _grouped(stats, "archiver/incremental/"),
            "bytes_written": _bytes_in(crawl_dir.path),
        },
        # The first PAGE_TYPE_REJECTED_LISTED of them: {"url", "page_type", "reason"}.
        "page_type_rejected": list(getattr(spider, "rejected_pages", None) or []),
        "files": [f for f in files if f != SUMMARY_FILE],
        "settings": {k: _jsonable(settings.get(k)) for k in REPORTED_SETTINGS},
        "versions": {
            "archiver": __version__, "scrapy": scrapy.__version__,
            "warcio": getattr(warcio, "__version__", None), "python": platform.python_version(),
        },
        "host": socket.gethostname(),
        "stats": {k: _jsonable(v) for k, v in sorted(stats.items())},
    }


class CrawlSummary:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.crawl_dir = CrawlDir.from_crawler(crawler)
        self.exit_code = 0
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlSummary:
        extension = cls(crawler)
        crawler._archiver_summary = extension  # type: ignore[attr-defined]
        return extension

    def engine_stopped(self) -> None:
        summary = build_summary(self.crawler, self.crawl_dir)
        self.exit_code = summary["outcome"]["exit_code"]
        path = self.crawl_dir.file(SUMMARY_FILE)
        write_json_atomic(path, summary)
        counts = summary["counts"]
        logger.info(
            "Crawl %s: %s records, %s rejected, %s errors -> %s (exit %s: %s)",
            self.crawl_dir.crawl_id, counts["records"], counts["rejected"], counts["errors"],
            self.crawl_dir.path, self.exit_code, summary["outcome"]["reason"],
        )
