"""scrapy-redis' Scheduler, updated for Scrapy 2.19 (stats without the deprecated spider argument).

Everything else - the dupefilter check, push to and pop from the queue class - is scrapy-redis'.
"""

from __future__ import annotations

from typing import Any

from scrapy_redis.scheduler import Scheduler


class RedisScheduler(Scheduler):  # type: ignore[misc]
    def enqueue_request(self, request: Any) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Any:
        request = self.queue.pop(self.idle_before_close)
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request
