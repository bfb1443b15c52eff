"""scrapy-redis' Scheduler for Scrapy 2.19 (stats without the deprecated spider argument), telling
the tracker when a child request is safely in Redis.

Everything else - the dupefilter check, push to and pop from the queue class - is scrapy-redis'.
"""

from __future__ import annotations

from typing import Any

from scrapy_redis.scheduler import Scheduler

from archiver.distributed.runtime import Runtime


class RedisScheduler(Scheduler):  # type: ignore[misc]
    def enqueue_request(self, request: Any) -> bool:
        try:
            if not request.dont_filter and self.df.request_seen(request):
                self.df.log(request, self.spider)
                return False
            if self.stats:
                self.stats.inc_value("scheduler/enqueued/redis")
            self.queue.push(request)
            return True
        finally:
            # The request is in Redis (or was seen before): its parent may be acknowledged.
            Runtime.from_crawler(self.spider.crawler).tracker.child_finished(request)

    def next_request(self) -> Any:
        request = self.queue.pop(self.idle_before_close)
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request
