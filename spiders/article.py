"""The `article` spider: schedules pages and hands every article to `archiver.extract`.

It stays thin on purpose: argument checking lives in `archiver.crawl.inputs`, scope in
`archiver.crawl.url_scope`, sitemap/feed parsing in `archiver.crawl.discovery`, page understanding in
`archiver.extract`, comment pages in `archiver.crawl.comment_pages` and what a failed request means
in `archiver.crawl.failures`. The spider only decides what to fetch next.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure

from archiver import __version__
from archiver.crawl.comment_pages import complete_thread, wordpress_post_dates
from archiver.crawl.discovery import SITEMAP_MAX_BYTES, parse_feed, parse_sitemap, robots_sitemaps, robots_url
from archiver.crawl.disk_full import stop_for_disk_full
from archiver.crawl.extraction_pool import ExtractionPool, default_workers
from archiver.crawl.failures import classify_failure
from archiver.crawl.inputs import CrawlInputs, parse_inputs
from archiver.crawl.links_policy import is_followable
from archiver.crawl.render_policy import render_mode
from archiver.crawl.url_scope import Scope
from archiver.defaults import setting, setting_float, setting_int
from archiver.extract import PageAnalysis, PageType
from archiver.items import empty_record
from archiver.render.thread import render_comments
from archiver.request_meta import (
    DEPTH_KEY,
    ROLE_DISCOVERY,
    ROLE_KEY,
    ROLE_PAGE,
    pointer_for,
)
from archiver.values import utc_now_iso

HTML_TYPES = (b"text/html", b"application/xhtml+xml")


class ArticleSpider(scrapy.Spider):
    name = "article"

    def __init__(self, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.inputs: CrawlInputs = self.check_arguments(kwargs)
        self.scope = Scope.build(
            self.inputs.urls, self.inputs.allowed_hosts, self.inputs.include, self.inputs.exclude
        )
        self.max_depth = self.inputs.max_depth
        self.max_pages = self.inputs.max_pages
        self.pages_scheduled = 0
        # Page URLs this spider already requested: a page linked 200 times is yielded once.
        self.requested: set[str] = set()
        self.extraction = ExtractionPool(0)  # replaced in from_crawler by the configured pool
        # The first PAGE_TYPE_REJECTED_LISTED pages not archived as articles, for crawl.json.
        self.rejected_pages: list[dict[str, str]] = []
        self.rejected_listed = 0
        self.render_mode = self.inputs.render or "never"  # from_crawler applies the RENDER setting

    @staticmethod
    def check_arguments(arguments: dict[str, Any]) -> CrawlInputs:
        """Parse `-a` arguments; raises InputError with a one-line message (see archiver.commands)."""
        return parse_inputs({k: str(v) for k, v in arguments.items() if isinstance(v, str)})

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        contact = settings.get("ARCHIVER_CONTACT")
        if contact and (settings.getpriority("USER_AGENT") or 0) < 40:  # not set on the command line
            settings.set("USER_AGENT", f"archiver/{__version__} (+{contact})", priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ArticleSpider:
        spider: ArticleSpider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        if spider.max_depth is None:
            spider.max_depth = setting_int(settings, "MAX_DEPTH") or None
        spider.max_pages = spider.max_pages or settings.getint("MAX_PAGES") or None
        spider.rejected_listed = setting_int(settings, "PAGE_TYPE_REJECTED_LISTED")
        spider.render_mode = spider.inputs.render or render_mode(setting(settings, "RENDER"))
        for host in settings.getlist("ALLOWED_HOSTS"):
            spider.scope.allow_host(host)
        workers = setting_int(settings, "EXTRACT_WORKERS")
        spider.extraction = ExtractionPool(default_workers() if workers < 0 else workers,
                                           timeout=setting_float(settings, "EXTRACT_TIMEOUT"))
        crawler.signals.connect(spider.extraction.close, signal=signals.spider_closed)
        return spider

    # --- seeds ---------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        mode = self.inputs.mode
        for url in self.inputs.urls:
            if mode == "url":
                yield self._seed_request(url, self.parse_article)
            elif mode == "sitemap":
                yield self._infra_request(url, self.parse_sitemap)
            elif mode == "feed":
                yield self._infra_request(url, self.parse_feed)
            else:  # site
                yield self._infra_request(robots_url(url), self.parse_robots)
                yield self._seed_request(url, self.parse_page)

    def _infra_request(self, url: str, callback: Any) -> scrapy.Request:
        """Sitemaps, feeds, robots.txt: not pages, not counted against MAX_PAGES."""
        return scrapy.Request(url, callback=callback, errback=self.on_error, dont_filter=True,
                              meta={ROLE_KEY: ROLE_DISCOVERY})

    def _seed_request(self, url: str, callback: Any) -> scrapy.Request:
        self.pages_scheduled += 1
        self.requested.add(url)
        return scrapy.Request(url, callback=callback, errback=self.on_error,
                              meta={ROLE_KEY: ROLE_PAGE, DEPTH_KEY: 0})

    def _page_request(
        self, url: str, callback: Any, *, depth: int
    ) -> scrapy.Request | None:
        if url in self.requested or not self.scope.url_allowed(url):
            return None  # already asked for: no work for the scheduler, no page of MAX_PAGES used
        if self.max_pages and self.pages_scheduled >= self.max_pages:
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("archiver/max_pages_skipped")
            return None
        self.pages_scheduled += 1
        self.requested.add(url)
        return scrapy.Request(url, callback=callback, errback=self.on_error,
                              meta={ROLE_KEY: ROLE_PAGE, DEPTH_KEY: depth})

    # --- discovery -----------------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Any:
        text = response.text if isinstance(response, TextResponse) else response.body.decode(
            "utf-8", "replace")
        for url in robots_sitemaps(text, response.url):
            if self.scope.host_allowed(url):
                yield self._infra_request(url, self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Any:
        # Scrapy caps the (compressed) download at DOWNLOAD_MAXSIZE; the same cap bounds the gzip
        # output, and with DOWNLOAD_MAXSIZE = 0 the protocol's limit does.
        max_size = self.settings.getint("DOWNLOAD_MAXSIZE") or SITEMAP_MAX_BYTES
        entries = parse_sitemap(response.body, response.url, max_size=max_size)
        if entries.kind == "invalid":
            self.logger.warning("Not a sitemap: %s", response.url)
            self._count("archiver/invalid_sitemap")
        elif entries.kind == "sitemapindex":
            for url in entries.urls:
                if self.scope.host_allowed(url):
                    yield self._infra_request(url, self.parse_sitemap)
        else:
            callback = self.parse_page if self.inputs.mode in ("site", "sitemap") else self.parse_article
            for url in entries.urls:
                request = self._page_request(url, callback, depth=1)
                if request is not None:
                    yield request

    def parse_feed(self, response: Response) -> Any:
        urls = parse_feed(response.body, response.url)
        if not urls:
            self.logger.warning("No items in feed %s", response.url)
            self._count("archiver/empty_feed")
        callback = self.parse_page if self.inputs.mode == "site" else self.parse_article
        for url in urls:
            request = self._page_request(url, callback, depth=1)
            if request is not None:
                yield request

    # --- pages ---------------------------------------------------------------------------------

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        """A page of a site/sitemap crawl: archive it if it is an article, follow its links."""
        analysis = await self._analyze(response, classify=True)
        if analysis is None:
            return
        page_type = analysis.page_type
        assert page_type is not None  # analysed with classify=True
        self._count(f"archiver/page_type/{page_type.kind}")
        if page_type.is_article or self.inputs.keep == "all":
            record = await self._record(response, analysis)
            record["page_type"] = page_type.kind
            # keep=all records of listing/other pages are not articles: counted apart in crawl.json.
            self._count("archiver/articles" if page_type.is_article
                        else f"archiver/page_type_kept/{page_type.kind}")
            yield record
        else:
            self._skip(response.url, page_type)
        if self.inputs.mode != "site":
            return
        depth = int(response.meta.get(DEPTH_KEY, 0))
        if depth == 0:
            for feed in analysis.feeds:
                if self.scope.host_allowed(feed):
                    yield self._infra_request(feed, self.parse_feed)
        if self.max_depth is not None and depth >= self.max_depth:
            return
        comment_pages = set(analysis.comments.page_urls)
        for url in analysis.outlinks:
            if url in comment_pages or url in self.requested or not is_followable(url):
                continue  # the set lookup first: most links of a page were requested already
            request = self._page_request(url, self.parse_page, depth=depth + 1)
            if request is not None:
                yield request

    async def parse_article(self, response: Response) -> AsyncIterator[Any]:
        """A page the user named (url/urls_file/feed entry): always archived as an article, so
        it is not classified (its record's page_type stays null)."""
        analysis = await self._analyze(response, classify=False)
        if analysis is not None:
            record = await self._record(response, analysis)
            self._count("archiver/articles")  # unclassified: the user named it as an article
            yield record

    async def _analyze(self, response: Response, *, classify: bool) -> PageAnalysis | None:
        content_type = (response.headers.get(b"Content-Type") or b"").lower()
        if not isinstance(response, TextResponse) or (
            content_type and not content_type.startswith(HTML_TYPES) and b"<" not in response.body[:512]
        ):
            self.logger.warning("Skipping %s: not HTML (%s)", response.url,
                                content_type.decode("latin-1") or "no Content-Type")
            self._count("archiver/not_html")
            return None
        problem = _unusable_body(response)
        if problem:
            self.logger.warning("Skipping %s: %s", response.url, problem)
            self._count("archiver/empty_response" if problem.startswith("empty") else "archiver/not_html")
            return None
        try:
            return await self.extraction.analyze(response.text, response.url, classify=classify)
        except Exception as exc:  # extraction must never lose the page: log one line, keep the bytes
            self.logger.error("Extraction failed for %s: %s: %s", response.url,
                              type(exc).__name__, exc)
            self._count("archiver/extract_error")
            return None

    async def _record(self, response: Response, analysis: PageAnalysis) -> dict[str, Any]:
        record = analysis.record if analysis.record else empty_record(response.url)
        record["comments"], record["comments_source"] = await complete_thread(self, response, analysis)
        published, modified = await wordpress_post_dates(self, analysis)
        record["published"] = published or record["published"]
        record["modified"] = modified or record["modified"]
        pointer, digest = pointer_for(response)
        record["url"] = response.url
        record["status"] = response.status
        record["fetched_at"] = (pointer or {}).get("date") or utc_now_iso()
        record["warc"] = pointer
        record["digest"] = digest
        return await render_comments(self.crawler, self.render_mode, response, record)

    def _skip(self, url: str, page_type: PageType) -> None:
        """A page judged not an article: counted by reason, and listed while the list is short."""
        self._count(f"archiver/page_type_reason/{page_type.kind}: {page_type.reason}")
        self.logger.debug("Not an article (%s: %s): %s", page_type.kind, page_type.reason, url)
        if len(self.rejected_pages) < self.rejected_listed:
            self.rejected_pages.append({"url": url, "page_type": page_type.kind,
                                        "reason": page_type.reason})

    # --- errors --------------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        """One readable line per failed request, counted by kind (no traceback spam): see
        `archiver.crawl.failures` for what counts as an error."""
        if stop_for_disk_full(self.crawler, failure.value):  # our write failed, not the download
            return
        verdict = classify_failure(failure)
        for key in verdict.counts:
            self._count(key)
        if verdict.message:
            self.logger.log(verdict.level, "%s", verdict.message)

    def _count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)


_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than \t \n \f \r


def _unusable_body(response: TextResponse) -> str | None:
    """Why a body labelled as HTML cannot be a page (empty, or binary bytes), else None."""
    if not response.body.strip():
        return "empty response body"
    sample = response.text[:4096]
    junk = sample.count("\ufffd") + len(_CONTROL_CHARS.findall(sample))
    if ("<" not in sample and junk) or junk > len(sample) // 10:
        return "binary content served as HTML"
    return None
