"""The scrapy-redis queue class (`SCHEDULER_QUEUE_CLASS`) that never loses a popped request.

scrapy-redis' own queues delete a request from Redis when a worker pops it; if that worker dies,
the request is gone (and its fingerprint is already in the dupefilter, so nobody fetches it
again). Here a pop atomically moves the request into the worker's in-flight hash (Lua, see
`scripts.POP`); `tracker.py` removes it when the work is done, `registry.py` puts it back if the
worker dies first. Priority order as in scrapy-redis' PriorityQueue (score = -priority).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy_redis.queue import Base

from archiver.distributed import scripts
from archiver.distributed import serializer as json_serializer
from archiver.distributed.runtime import Runtime

logger = logging.getLogger(__name__)

# Undecodable entries skipped in one pop before giving up until the next call.
MAX_SKIPPED = 100


class ReliableQueue(Base):  # type: ignore[misc]
    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer or json_serializer)
        self.runtime = Runtime.from_crawler(spider.crawler)
        self.tracker = self.runtime.tracker
        self.inflight_key = self.runtime.keys.inflight(self.runtime.worker)
        self._pop = server.register_script(scripts.POP)
        self.stats = spider.crawler.stats

    def __len__(self) -> int:
        return int(self.server.zcard(self.key))

    def push(self, request: Any) -> None:
        """Add to the shared queue; a redirect/retry of a popped request replaces it atomically."""
        replaced = self.tracker.handed_off(request)
        data = self._encode_request(request)
        with self.server.pipeline(transaction=True) as pipe:
            pipe.zadd(self.key, {data: -request.priority})
            if replaced:
                pipe.hdel(self.inflight_key, replaced)
            pipe.execute()
        if replaced:
            self.tracker.forget(replaced)

    def pop(self, timeout: int = 0) -> Any:
        """The next request, now in this worker's in-flight hash; None if the queue is empty."""
        for _ in range(MAX_SKIPPED):
            entry_id = self.tracker.new_id()
            data = self._pop(keys=[self.key, self.inflight_key], args=[entry_id])
            if data is None:
                return None
            try:
                request = self._decode_request(data)
            except Exception as exc:  # bad or hostile data: skip it, never crash the worker
                logger.error("Dropped an unreadable request from Redis: %s: %s", type(exc).__name__, exc)
                self.server.hdel(self.inflight_key, entry_id)
                if self.stats is not None:
                    self.stats.inc_value("distributed/rejected_requests")
                continue
            self.tracker.popped(request, entry_id)
            return request
        return None
