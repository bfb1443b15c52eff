
"""Honour `Retry-After` on 429/503: wait what the server asks (up to a cap), then retry.

Scrapy's RetryMiddleware retries 429/503 at once, which hammers a server that has just said "come
back in N seconds". This middleware sits above it (560 > 550), so it sees those responses first:
with a usable Retry-After it pauses the whole download slot (the host) for the asked delay and
returns a retry request; without one it lets RetryMiddleware do its usual thing. A delay above
RETRY_AFTER_MAX_DELAY is not worth holding a crawl for: the response is passed on as the error it
is (logged once by the spider's errback, counted), never retried early.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

from archiver.defaults import setting_bool, setting_float

logger = logging.getLogger(__name__)

RETRY_AFTER_STATUSES = (429, 503)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP-date); None if unusable."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED") or not setting_bool(settings, "RETRY_AFTER_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.max_delay = setting_float(settings, "RETRY_AFTER_MAX_DELAY")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        if response.status not in RETRY_AFTER_STATUSES or request.meta.get("dont_retry"):
            return response
        delay = retry_after_seconds(response.headers.get(b"Retry-After"))
        if delay is None:
            return response  # RetryMiddleware retries it the ordinary way
        stats = self.crawler.stats
        assert stats is not None
        if delay > self.max_delay:
            stats.inc_value("archiver/retry_after/too_long")
            logger.info("Not waiting %.0fs (Retry-After, cap RETRY_AFTER_MAX_DELAY=%.0fs) for %s",
                        delay, self.max_delay, request.url)
            request.meta["dont_retry"] = True  # RetryMiddleware must not retry it at once either
            return response
        assert self.crawler.spider is not None
        retry = get_retry_request(request, spider=self.crawler.spider, reason=f"retry_after_{response.status}")
        if retry is None:
            request.meta["dont_retry"] = True
            return response
        stats.inc_value("archiver/retry_after/waited")
        stats.max_value("archiver/retry_after/max_delay_s", delay)
        logger.info("HTTP %s for %s: waiting %.1fs (Retry-After) before retrying",
                    response.status, request.url, delay)
        self._pause_slot(request, delay)
        # The wait happens here, outside the download slot, so it holds one global concurrency
        # place (honest back-pressure) but never blocks the reactor. It is cut short when the
        # crawl stops: a SIGTERM must not hang on a two-minute Retry-After.
        if not await self._wait(delay):
            raise IgnoreRequest(f"crawl stopping: gave up waiting for Retry-After ({delay:.0f}s)")
        return retry

    async def _wait(self, delay: float) -> bool:
        """Sleep `delay` seconds in short steps; False as soon as the engine starts closing."""
        deadline = time.monotonic() + delay
        while (remaining := deadline - time.monotonic()) > 0:
            if self._closing():
                return False
            await maybe_deferred_to_future(deferLater(reactor, min(remaining, 0.5), lambda: None))
        return not self._closing()

    def _closing(self) -> bool:
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        return not getattr(engine, "running", True) or getattr(slot, "closing", None) is not None

    def _pause_slot(self, request: Request, delay: float) -> None:
        """Best effort: hold the other requests to this host too — the server asked the client."""
        downloader = getattr(self.crawler.engine, "downloader", None)
        try:
            slot = downloader.slots.get(downloader.get_slot_key(request))  # type: ignore[union-attr]
            if slot is None or slot.latercall is not None:
                return
            slot.latercall = call_later(delay, downloader._latercall, slot)  # type: ignore[union-attr]
        except AttributeError:  # Scrapy internals moved: the per-request wait still holds
            return
