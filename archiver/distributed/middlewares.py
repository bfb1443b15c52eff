"""Spider and downloader middlewares of distributed mode: the start gate and acknowledgements.

`StartGate` lets exactly one process seed a crawl (the first worker, or `archiver seed` before
any worker): the others skip their `start()` and take requests from the shared queue. The
acknowledgement middlewares tell the tracker when a popped request's work is finished.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import redis
from scrapy import Request
from scrapy.crawler import Crawler

from archiver.defaults import setting_bool
from archiver.distributed.runtime import Runtime
from archiver.request_meta import ROLE_KEY, ROLE_PAGE

logger = logging.getLogger(__name__)


class StartGate:
    """Spider middleware: only the worker that wins the seeding claim runs `start()`."""

    def __init__(self, crawler: Crawler) -> None:
        self.runtime = Runtime.from_crawler(crawler)
        self.may_seed = setting_bool(crawler.settings, "DISTRIBUTED_SEED")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StartGate:
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        registry = self.runtime.registry
        if not self.may_seed or not registry.claim_seeding(self.runtime.worker):
            logger.info("Crawl %s is seeded elsewhere: this worker takes requests from Redis",
                        self.runtime.keys.crawl_id)
            return
        logger.info("Seeding crawl %s from this worker", self.runtime.keys.crawl_id)
        async for item_or_request in start:
            yield item_or_request
        registry.mark_seeded()


class PageBudget:
    """Spider middleware: MAX_PAGES for the whole crawl, not per worker.

    The spider counts the pages it schedules against MAX_PAGES in its own process, so N workers
    could fetch N x MAX_PAGES. Here every page request (`archiver_role` "page": seeds and
    discovered links, as the spider counts them) takes a number from one Redis counter; those
    past the budget are dropped and counted as `archiver/max_pages_skipped`, like the spider does.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.runtime = Runtime.from_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageBudget:
        return cls(crawler)

    def _allowed(self, output: Any) -> bool:
        spider = self.crawler.spider
        budget = getattr(spider, "max_pages", None)
        if not budget or not isinstance(output, Request) or output.meta.get(ROLE_KEY) != ROLE_PAGE:
            return True
        try:
            if int(self.runtime.server.incr(self.runtime.keys.pages)) <= budget:
                return True
        except redis.RedisError as exc:  # fail open: the spider's own per-worker cap still holds
            self.runtime.health.failed("page budget", exc)
            return True
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("archiver/max_pages_skipped")
        return False

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in start:
            if self._allowed(output):
                yield output

    async def process_spider_output(self, response: Any, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in result:
            if self._allowed(output):
                yield output


class AckSpiderMiddleware:
    """Spider middleware (outermost): a response's work ends when its output, items and child
    requests are done (counted here, finished by the item signals and the scheduler)."""

    def __init__(self, crawler: Crawler) -> None:
        self.tracker = Runtime.from_crawler(crawler).tracker

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AckSpiderMiddleware:
        return cls(crawler)

    def process_spider_input(self, response: Any) -> None:
        self.tracker.scraping(response)

    async def process_spider_output(self, response: Any, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        try:
            async for output in result:
                if isinstance(output, Request):
                    self.tracker.child_started(response, output)
                elif output is not None:
                    self.tracker.item_started(response)
                yield output
        finally:
            self.tracker.output_finished(response)

    def process_spider_exception(self, response: Any, exception: BaseException) -> None:
        self.tracker.output_finished(response)


class AckDownloaderMiddleware:
    """Downloader middleware (outermost): a download that failed for good is finished work."""

    def __init__(self, crawler: Crawler) -> None:
        self.tracker = Runtime.from_crawler(crawler).tracker

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AckDownloaderMiddleware:
        return cls(crawler)

    def process_exception(self, request: Request, exception: BaseException) -> None:
        self.tracker.download_failed(request)
