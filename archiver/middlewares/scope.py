"""Drop every request whose host is outside the spider's scope — redirect targets included.

RedirectMiddleware turns a 3xx into a new request that passes through the downloader middlewares
again, so checking here stops a redirect from carrying the crawl to another host. Requests marked
`meta[OFFSITE_OK_KEY]` (archived media on a CDN) are exempt.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from archiver.crawl.url_scope import host_of
from archiver.request_meta import OFFSITE_OK_KEY

logger = logging.getLogger(__name__)


class ScopeMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.warned_hosts: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> Any:
        scope = getattr(self.crawler.spider, "scope", None)
        if scope is None or request.meta.get(OFFSITE_OK_KEY):
            return None
        if scope.host_allowed(request.url):
            return None
        host = host_of(request.url)
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("archiver/offsite_dropped")
        if host not in self.warned_hosts:
            self.warned_hosts.add(host)
            via = " (redirect)" if request.meta.get("redirect_urls") else ""
            logger.info("Not following %s%s: host %s is outside the crawl scope", request.url, via, host)
        raise IgnoreRequest(f"offsite: {request.url}")
