"""`crawl-<worker>.json`: the run summary of one worker of a distributed crawl.

All workers of a crawl write into the same crawl directory (on one machine, or on a shared
disk), so the single `crawl.json` of a local run would be overwritten by whichever worker stops
last. Each worker writes its own summary instead, named after the same worker id as its JSONL
and WARC files, then re-merges all of them into `crawl.json` (`merge.py`).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from archiver.crawl.outcome import FAILED
from archiver.crawldir import worker_id, write_json_atomic
from archiver.defaults import setting
from archiver.distributed.coordinator import REDIS_UNAVAILABLE
from archiver.distributed.keys import redact
from archiver.distributed.summary_merge import merge_summaries
from archiver.extensions.summary import CrawlSummary, build_summary

logger = logging.getLogger(__name__)


def summary_name(worker: str) -> str:
    return f"crawl-{worker}.json"


class DistributedCrawlSummary(CrawlSummary):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.worker = worker_id()

    def engine_stopped(self) -> None:
        summary = build_summary(self.crawler, self.crawl_dir)
        summary["distributed"] = self.distributed_info()
        if summary.get("finish_reason") == REDIS_UNAVAILABLE:  # whatever the error rate says
            summary["outcome"] = {"exit_code": FAILED, "reason": "Redis unreachable; run again to resume"}
        self.exit_code = summary["outcome"]["exit_code"]
        name = summary_name(self.worker)
        path = self.crawl_dir.file(name)
        write_json_atomic(path, summary)
        merge_summaries(self.crawl_dir.path)  # crawl.json for readers that expect one
        counts = summary["counts"]
        logger.info("Crawl %s, worker %s: %s records, %s errors -> %s (exit %s: %s)",
                    self.crawl_dir.crawl_id, self.worker, counts["records"], counts["errors"],
                    path, self.exit_code, summary["outcome"]["reason"])

    def distributed_info(self) -> dict[str, Any]:
        settings = self.crawler.settings
        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        return {
            "redis": redact(str(settings.get("DISTRIBUTED"))),
            "worker": self.worker,
            "key_prefix": setting(settings, "DISTRIBUTED_KEY_PREFIX"),
            "counts": {key.split("/", 1)[1]: value for key, value in sorted(stats.items())
                       if key.startswith("distributed/")},
        }
