"""The worker's side of a distributed crawl: register, beat, reclaim the dead, stop when all done.

A Scrapy spider closes as soon as its own scheduler is empty; with a shared queue that is wrong
(another worker may be about to push a thousand links). On `spider_idle` this extension keeps the
worker alive until the registry says the whole crawl is done: seeded, queue empty, nobody in
flight. A timer beats the heartbeat, reclaims dead workers' requests, and wakes the idle engine
as soon as the shared queue has work (Scrapy's own idle poll is every 5 s).
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, is_dataclass
from typing import Any

import redis
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from archiver.crawl.outcome import USAGE
from archiver.defaults import setting_bool, setting_float
from archiver.distributed.keys import redact
from archiver.distributed.registry import WorkerIdTaken
from archiver.distributed.runtime import Runtime

logger = logging.getLogger(__name__)

# Log why the worker waits at most this often (seconds).
WAIT_LOG_INTERVAL = 30.0
# Close reason of a worker that lost Redis for longer than DISTRIBUTED_REDIS_GRACE.
REDIS_UNAVAILABLE = "redis_unavailable"


def job_of(spider: Any) -> dict[str, Any]:
    """What every worker of one crawl must agree on: the spider and its inputs."""
    inputs = getattr(spider, "inputs", None)
    data = asdict(inputs) if is_dataclass(inputs) and not isinstance(inputs, type) else {}
    return {"spider": spider.name, "inputs": {key: _plain(value) for key, value in sorted(data.items())}}


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    pattern = getattr(value, "pattern", None)
    return pattern if isinstance(pattern, str) else value


class WorkerCoordinator:
    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.get("DISTRIBUTED"):
            raise NotConfigured  # off by default: silent, no "Disabled" warning in every crawl log
        self.crawler = crawler
        self.runtime = Runtime.from_crawler(crawler)
        self.interval = setting_float(crawler.settings, "DISTRIBUTED_POLL_INTERVAL")
        ttl = setting_float(crawler.settings, "DISTRIBUTED_HEARTBEAT_TTL")
        self.reap_every = max(1, int(ttl / 3 / self.interval))
        self.ticks = 0
        self.loop: task.LoopingCall | None = None
        self.last_wait_log = 0.0
        self.refused: str | None = None
        self.may_seed = setting_bool(crawler.settings, "DISTRIBUTED_SEED")
        self.reseeding = False
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self.item_done, signal=signal)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerCoordinator:
        return cls(crawler)

    def _stat(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None and count:
            self.crawler.stats.inc_value(key, count)

    def spider_opened(self, spider: Any) -> None:
        runtime = self.runtime
        try:
            runtime.registry.register()
        except WorkerIdTaken as exc:
            return self._refuse(str(exc), "worker_id_taken")
        other = runtime.registry.check_job(job_of(spider))
        if other is not None:
            return self._refuse(f"crawl {runtime.keys.crawl_id} runs another job: {other}", "job_mismatch")
        logger.info("Worker %s joined crawl %s on %s", runtime.worker, runtime.keys.crawl_id,
                    redact(runtime.url))
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=False)

    def _refuse(self, message: str, reason: str) -> None:
        """Close this worker at once with an error (counted, so the exit code is non-zero)."""
        logger.error("Not joining: %s", message)
        self._stat("archiver/errors")
        self._stat(f"archiver/error/{reason}")
        self.refused = reason
        # A spider closed from spider_opened never reaches engine_stopped, where the summary
        # extension sets the exit code: set it here (bad arguments or settings).
        summary = getattr(self.crawler, "_archiver_summary", None)
        if summary is not None:
            summary.exit_code = USAGE
        raise CloseSpider(reason)

    def tick(self) -> None:
        """Heartbeat; every few beats reclaim dead workers; wake the engine if it idles."""
        health = self.runtime.health
        try:
            self.runtime.registry.beat()
            self.ticks += 1
            if self.ticks % self.reap_every == 0:
                self._stat("distributed/reclaimed", self.runtime.registry.reap())
            health.ok()
        except redis.RedisError as exc:
            health.failed("heartbeat", exc)
            if health.given_up():
                return self._give_up()
        # Re-run the engine's scheduler loop now (Scrapy's own poll is every 5 s): an idle
        # worker pulls new work from Redis or re-checks whether the crawl is done.
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and slot.closing is None:
            slot.nextcall.schedule()

    def _give_up(self) -> None:
        """Redis stayed away too long: stop this worker (exit code FAILED); files are closed."""
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        logger.error("Redis unreachable for %.0f s: stopping this worker; start it again to resume"
                     " the crawl once Redis is back", self.runtime.health.grace)
        self._stat("archiver/errors")
        self._stat(f"archiver/error/{REDIS_UNAVAILABLE}")
        engine = self.crawler.engine
        if engine is not None and engine.running:
            deferred_from_coro(engine.close_spider_async(reason=REDIS_UNAVAILABLE))

    def spider_idle(self, spider: Any) -> None:
        """Stay alive until the whole crawl is done, not just this worker's share."""
        if self.refused:
            return
        registry = self.runtime.registry
        self.runtime.tracker.clear()  # idle: everything this worker popped is finished
        try:
            self._stat("distributed/reclaimed", registry.reap())
            state = registry.state()
        except redis.RedisError as exc:  # the tick decides when to give up
            self.runtime.health.failed("idle check", exc)
            raise DontCloseSpider from None
        if state == "done":
            logger.info("Crawl %s is done: queue empty, no worker in flight", self.runtime.keys.crawl_id)
            return
        if state == "unseeded" and not self.reseeding and self.may_seed and registry.take_over_seeding():
            logger.warning("The worker seeding crawl %s died before it finished: seeding again",
                           self.runtime.keys.crawl_id)
            self.reseeding = True
            deferred_from_coro(self._reseed(spider))
        now = time.monotonic()
        if now - self.last_wait_log > WAIT_LOG_INTERVAL:
            logger.info("Waiting for the crawl to finish (%s)", state)
            self.last_wait_log = now
        raise DontCloseSpider

    async def _reseed(self, spider: Any) -> None:
        """Run the spider's start() again; the dupefilter drops what the dead seeder had queued."""
        engine = self.crawler.engine
        assert engine is not None
        async for output in spider.start():
            if isinstance(output, Request):
                engine.crawl(output)
        self.runtime.registry.mark_seeded()
        self.reseeding = False

    def item_done(self, item: Any = None, response: Any = None, **kwargs: Any) -> None:
        if response is not None:
            self.runtime.tracker.item_finished(response)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.refused == "worker_id_taken":
            return  # the id belongs to a live worker: leave its heartbeat and requests alone
        self._stat("distributed/acked", self.runtime.tracker.acked)
        self._stat("distributed/redis_errors", self.runtime.health.errors)
        try:
            returned = self.runtime.registry.deregister()
        except redis.RedisError:
            logger.warning("Could not hand back unfinished requests: other workers reclaim them"
                           " once Redis is back and this worker's heartbeat has expired")
            return
        if returned:
            logger.info("Returned %s unfinished requests to the queue (%s)", returned, reason)
        self._stat("distributed/returned_on_close", returned)
