
"""Stop following URL families that never yield articles: calendars, session ids, faceted lists.

`archiver.crawl.links_policy` rejects links that look like traps one by one; this guard watches what the
crawl actually finds. Discovered pages are grouped by URL *shape* (numbers → `#`, session-id-like
tokens → `*`, query values dropped to their shape), so `/calendar?m=17` and `/calendar?m=18` are
one family. Once TRAP_UNPRODUCTIVE_PAGES pages of a family were fetched without one article, or a
family reaches TRAP_MAX_PER_SHAPE distinct URLs with under 1% of its pages articles (a site of
100,000 `/p/N.html` articles is not a trap), further requests of that family are dropped with
one warning per family (stats `archiver/trap_dropped`, `archiver/trap_shapes`). Seeds and
discovery files (sitemaps, feeds) are never touched.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from archiver.defaults import setting_bool, setting_int
from archiver.items import is_article_record
from archiver.request_meta import is_discovered_page

logger = logging.getLogger(__name__)

_DIGITS = re.compile(r"\d+")
# Session ids, hashes, UUIDs: long runs of letters+digits that name no content.
_TOKEN = re.compile(r"^(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{16,}$|^[0-9a-fA-F-]{12,}$")


def _shape_part(part: str) -> str:
    return "*" if _TOKEN.match(part) else _DIGITS.sub("#", part)


def url_shape(url: str) -> str:
    """The family of a URL: host, path with numbers/tokens abstracted, sorted query keys."""
    parts = urlsplit(url)
    path = "/".join(_shape_part(segment) for segment in parts.path.split("/"))
    query = sorted({f"{key}={_shape_part(value)[:20]}" for key, value in
                    parse_qsl(parts.query, keep_blank_values=True)})
    return f"{(parts.hostname or '').lower()}{path}?{'&'.join(query)}"


class TrapGuardMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not setting_bool(settings, "TRAP_GUARD_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.unproductive_limit = setting_int(settings, "TRAP_UNPRODUCTIVE_PAGES")
        self.max_per_shape = setting_int(settings, "TRAP_MAX_PER_SHAPE")
        self.fetched: Counter[str] = Counter()
        self.productive: Counter[str] = Counter()
        self.seen: defaultdict[str, set[int]] = defaultdict(set)
        self.closed: set[str] = set()
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrapGuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        if not is_discovered_page(request.meta) or request.meta.get("redirect_urls"):
            return
        shape = url_shape(request.url)
        urls = self.seen[shape]
        urls.add(hash(request.url))
        if shape not in self.closed and len(urls) > self.max_per_shape and self._low_yield(shape):
            self._close(shape, f"more than {self.max_per_shape} distinct URLs, under 1% of them articles")
        if shape in self.closed:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("archiver/trap_dropped")
            raise IgnoreRequest(f"trap: {request.url} (URL family {shape} closed)")

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if is_discovered_page(request.meta) and response.status == 200:
            shape = url_shape(request.url)
            self.fetched[shape] += 1
            if (shape not in self.closed and not self.productive[shape]
                    and self.fetched[shape] >= self.unproductive_limit):
                self._close(shape, f"{self.fetched[shape]} pages without an article")
        return response

    def _low_yield(self, shape: str) -> bool:
        """A big family is a trap only if it hardly ever yields an article (/p/N.html sites do)."""
        return self.productive[shape] * 100 < max(self.fetched[shape], 1)

    def item_scraped(self, item: Any, response: Response, spider: Any = None) -> None:
        # With `-a keep=all` every calendar or facet page is a record too: only articles are proof.
        if is_article_record(item):
            self.productive[url_shape(response.url)] += 1

    def _close(self, shape: str, why: str) -> None:
        self.closed.add(shape)
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("archiver/trap_shapes")
        logger.warning("URL trap: not following more links like %s (%s; see TRAP_* settings)",
                       shape, why)
