"""Drop a second record of the same article within one crawl (same canonical URL, else same URL)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archiver.values import normalize_url

logger = logging.getLogger(__name__)


def dedupe_key(record: dict[str, Any]) -> str:
    return str(record.get("canonical_url") or normalize_url(record.get("url")) or record.get("url"))


class DedupePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        key = dedupe_key(item)
        if key in self.seen:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("archiver/duplicates")
            raise DropItem(f"duplicate of an article already archived in this crawl: {key}")
        self.seen.add(key)
        return item
