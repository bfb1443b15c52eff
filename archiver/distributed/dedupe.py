"""One record per article across all workers (replaces DedupePipeline in distributed mode).

The local pipeline remembers articles in memory, so two workers reaching one article by two URLs
(canonical_url the same) would both archive it. Here the first worker to claim the article key
in Redis archives it. A claim held by a dead worker can be taken over: its request is being
re-fetched because it may have died before writing the record (at-least-once, never lost).
"""

from __future__ import annotations

from typing import Any

import redis
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archiver.distributed import scripts
from archiver.distributed.runtime import Runtime
from archiver.pipelines.dedupe import DedupePipeline, dedupe_key


class RedisDedupePipeline(DedupePipeline):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.runtime = Runtime.from_crawler(crawler)
        self._claim = self.runtime.server.register_script(scripts.CLAIM_RECORD)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisDedupePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        item = super().process_item(item)
        keys = self.runtime.keys
        try:
            claimed = self._claim(keys=[keys.records, keys.heartbeat("")],
                                  args=[dedupe_key(item), self.runtime.worker])
        except redis.RedisError as exc:  # keep the record: a possible duplicate beats a loss
            self.runtime.health.failed("record claim", exc)
            return item
        if not claimed:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("archiver/duplicates")
            raise DropItem(f"another worker already archived this article: {dedupe_key(item)}")
        return item
