"""scrapy-redis' Scheduler for Scrapy 2.19 (stats without the deprecated spider argument), telling
the tracker when a child request is safely in Redis.

Everything else - the dupefilter check, push to and pop from the queue class - is scrapy-redis'.
"""

from __future__ import annotations

from typing import Any

import redis
from scrapy_redis.scheduler import Scheduler

from archiver.distributed.runtime import Runtime


class RedisScheduler(Scheduler):  # type: ignore[misc]
    """Redis errors are reported to the worker's RedisHealth, never raised into the engine."""

    def _runtime(self) -> Runtime:
        return Runtime.from_crawler(self.spider.crawler)

    def enqueue_request(self, request: Any) -> bool:
        runtime = self._runtime()
        try:
            if not request.dont_filter and self.df.request_seen(request):
                self.df.log(request, self.spider)
                runtime.tracker.filtered(request)
                return False
            self.queue.push(request)
        except redis.RedisError as exc:
            # Not queued; its parent stays unacknowledged in Redis, so the parent is fetched
            # again (and this request rebuilt) once Redis is back.
            runtime.health.failed("enqueue", exc)
            return False
        runtime.health.ok()
        runtime.tracker.child_finished(request)  # in Redis: its parent may be acknowledged
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Any:
        runtime = self._runtime()
        try:
            request = self.queue.pop(self.idle_before_close)
        except redis.RedisError as exc:
            runtime.health.failed("dequeue", exc)
            return None
        runtime.health.ok()
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        try:
            return len(self) > 0
        except redis.RedisError as exc:
            self._runtime().health.failed("queue length", exc)
            return False
