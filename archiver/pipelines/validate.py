"""Validate records against the JSON Schema; invalid ones go to rejects.jsonl with the reasons.

Nothing is dropped silently: a rejected record is written whole, with its errors, and counted in
the stats (`archiver/rejected`) and in crawl.json.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any, TextIO

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archiver.crawldir import CrawlDir
from archiver.schema import record_errors

logger = logging.getLogger(__name__)
REJECTS_FILE = "rejects.jsonl"


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.crawl_dir = CrawlDir.from_crawler(crawler)
        self.rejects: TextIO | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def _rejects_file(self) -> TextIO:
        if self.rejects is None:
            path: Path = self.crawl_dir.file(REJECTS_FILE)
            self.rejects = path.open("a", encoding="utf-8")
        return self.rejects

    def process_item(self, item: Any) -> Any:
        errors = record_errors(item)
        if not errors:
            return item
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("archiver/rejected")
        line = json.dumps({"errors": errors, "record": item}, ensure_ascii=False, default=str)
        rejects = self._rejects_file()
        rejects.write(line + "\n")
        rejects.flush()
        os.fsync(rejects.fileno())
        logger.warning("Rejected record %s: %s", item.get("url"), errors[0])
        raise DropItem(f"invalid record (see {REJECTS_FILE}): {errors[0]}")

    def close_spider(self) -> None:
        if self.rejects is not None:
            self.rejects.close()
