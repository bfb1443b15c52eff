"""Incremental crawling in two middlewares: fetch only what is new or due, spot what is unchanged.

`IncrementalSpiderMiddleware` (SPIDER_MIDDLEWARES) sits between the spider and the scheduler:
page requests for known articles that are not due under the revisit policy are dropped, due ones
are marked as re-visits, and at the start every due article the discovery may no longer reach
(off the feed, out of the sitemap, deleted) is scheduled too.

`IncrementalDownloaderMiddleware` (DOWNLOADER_MIDDLEWARES 840: below the WARC capture at 950 and
DownloaderStats at 850, so it sees responses after they are archived and counted): only re-visits
may carry the conditional headers the WARC capture adds from its digest index; a 304 or a
byte-identical payload of a re-visited article is "unchanged" (the WARC already holds the revisit
record) and goes no further, so no record is written; a known article answering 404/410 is "gone".
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from archiver.incremental.context import Fetch, Incremental, incremental_for
from archiver.incremental.state import ARTICLE
from archiver.request_meta import DEPTH_KEY, DIGEST_KEY, NO_CONDITIONAL_KEY, REVISIT_KEY, ROLE_KEY, ROLE_PAGE

logger = logging.getLogger(__name__)

STATS_PREFIX = "archiver/incremental/"
# Input modes whose discovery can lose sight of an old article (feeds keep the latest N items,
# sitemaps and sites drop deleted pages). A `url` list is the whole job: nothing is added to it.
INJECT_MODES = ("site", "sitemap", "feed")


def count(crawler: Crawler, key: str, value: int = 1) -> None:
    if crawler.stats is not None:
        crawler.stats.inc_value(STATS_PREFIX + key, value)


class IncrementalSpiderMiddleware(BaseSpiderMiddleware):
    """Drops page requests of known articles that are not due; schedules the due ones."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.context: Incremental = incremental_for(crawler)
        # URL → fetch it? Decided once per crawl, so links met again are not counted again.
        self.decided: dict[str, bool] = {}

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item in super().process_start(start):
            yield item
        for request in self._due_revisits():
            yield request

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if request.meta.get(ROLE_KEY) != ROLE_PAGE or request.meta.get(REVISIT_KEY):
            return request
        if request.url in self.decided:
            return request if self.decided[request.url] else None
        page = self.context.state.get(request.url)
        due = page is None or page.kind != ARTICLE or self.context.is_due(page)
        self.decided[request.url] = due
        if page is None or page.kind != ARTICLE:
            return request  # new URL, or a listing page: the discovery surface, always fetched
        if not due:
            count(self.crawler, "not_due")
            # A skipped article must not use up the spider's MAX_PAGES budget meant for fetches.
            spider = self.crawler.spider
            if spider is not None and getattr(spider, "pages_scheduled", 0) > 0:
                spider.pages_scheduled -= 1  # type: ignore[attr-defined]
            return None
        request.meta[REVISIT_KEY] = True
        count(self.crawler, "revisits")
        return request

    def _due_revisits(self) -> Iterator[Request]:
        spider = self.crawler.spider
        inputs = getattr(spider, "inputs", None)
        if spider is None or inputs is None or inputs.mode not in INJECT_MODES:
            return
        callback = getattr(spider, "parse_page" if inputs.mode in ("site", "sitemap") else "parse_article")
        scope = getattr(spider, "scope", None)
        due = [page.url for page in self.context.state.articles() if self.context.is_due(page)]
        for url in due:
            if url in self.decided or (scope is not None and not scope.url_allowed(url)):
                continue
            self.decided[url] = True
            count(self.crawler, "revisits")
            yield scrapy.Request(url, callback=callback, errback=getattr(spider, "on_error", None),
                                 meta={ROLE_KEY: ROLE_PAGE, DEPTH_KEY: 1, REVISIT_KEY: True})


class IncrementalDownloaderMiddleware:
    """Conditional headers for re-visits only; unchanged and gone articles stop here."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.context = incremental_for(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalDownloaderMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        # A 304 tells nothing about links or comment pages: only re-visited articles may get one.
        if not (request.meta.get(REVISIT_KEY) and self.context.trust_unchanged_page):
            request.meta[NO_CONDITIONAL_KEY] = True

    def process_response(self, request: Request, response: Response) -> Response | Request:
        if request.meta.get(ROLE_KEY) != ROLE_PAGE:
            return response
        status, url = response.status, response.url
        if 300 <= status < 400 and status != 304:
            return response  # a redirect: RedirectMiddleware follows it, the target comes back here
        now = self.context.now_iso()
        revisit = bool(request.meta.get(REVISIT_KEY))
        page = self.context.state.get(url)
        known_article = page is not None and page.kind == ARTICLE
        if status == 304 and revisit:
            if page is not None and request.meta.get(DIGEST_KEY) != page.payload_digest:
                return self._refetch(request)
            self._unchanged(url, now, status, None, "not_modified")
        if status in (404, 410) and known_article:
            self.context.state.mark_gone(url, now, status)
            count(self.crawler, "gone")
            logger.info("Gone (HTTP %s): %s", status, url)
            raise IgnoreRequest(f"incremental: gone (HTTP {status}): {url}")
        self.context.state.note_fetch(url, status, now)
        if status != 200:
            return response
        self.context.fetches[url] = Fetch(_header(response, b"ETag"), _header(response, b"Last-Modified"))
        digest = request.meta.get(DIGEST_KEY)
        if (revisit and known_article and self.context.trust_unchanged_page and digest
                and page is not None and digest == page.payload_digest):
            self._unchanged(url, now, status, digest, "same_payload")
        return response

    def _refetch(self, request: Request) -> Request:
        """The 304 vouches for a capture our state never made a record of (a crash came between
        the two, or the record was rejected): fetch the page in full instead."""
        count(self.crawler, "refetched")
        retry = request.replace(dont_filter=True)
        for name in (b"If-None-Match", b"If-Modified-Since"):
            retry.headers.pop(name, None)
        retry.meta[NO_CONDITIONAL_KEY] = True
        return retry

    def _unchanged(self, url: str, now: str, status: int, digest: str | None, reason: str) -> None:
        self.context.state.mark_unchanged(url, now, status, digest)
        self.context.fetches.pop(url, None)
        count(self.crawler, "unchanged")
        count(self.crawler, f"unchanged/{reason}")
        raise IgnoreRequest(f"incremental: unchanged ({reason}): {url}")


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
