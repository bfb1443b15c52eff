"""Name redirect loops instead of losing them silently.

Scrapy's RedirectMiddleware follows a 3xx by scheduling a new request; in a loop (a → b → a) the
last hop is a duplicate, and the dupe filter drops it without calling the errback, so the seed
vanishes from the crawl with nothing in the log. Sitting above RedirectMiddleware (610 > 600),
this middleware sees the 3xx first and, when its Location points back to a URL already visited in
the same chain, fails the request with `IgnoreRequest("redirect loop: …")`, which the spider's
errback logs as one warning line and counts.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from w3lib.url import safe_url_string

REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class RedirectLoopMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectLoopMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        location = response.headers.get(b"Location")
        if response.status not in REDIRECT_STATUSES or not location:
            return response
        try:
            target = safe_url_string(urljoin(request.url, location.decode("latin-1").strip()))
        except ValueError:
            return response  # RedirectMiddleware reports unusable Locations itself
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("archiver/redirect_loop")
            hops = " -> ".join([*chain[chain.index(target):], target])
            raise IgnoreRequest(f"redirect loop: {hops}")
        return response
