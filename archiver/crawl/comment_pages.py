"""Fetch an article's other comment pages (and the WordPress REST comments) and merge the thread.

The extractor only reads pages; this module does the fetching for the spider. Extra pages are
downloaded inline through the engine, so they pass the downloader middlewares (robots.txt, scope,
WARC capture) and are archived with the article, without going through the scheduler.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from archiver.defaults import setting_bool
from archiver.extract import PageAnalysis, extract_comment_page
from archiver.extract import comments as comment_systems
from archiver.extract.comments.rest import rest_page_url
from archiver.extract.wordpress_post import post_dates, post_rest_url
from archiver.request_meta import OFFSITE_OK_KEY, ROLE_COMMENTS, ROLE_KEY

logger = logging.getLogger(__name__)

MAX_COMMENT_PAGES = 200
MAX_REST_PAGES = 100


async def _fetch(spider: scrapy.Spider, url: str, *, offsite_ok: bool = False) -> Response | None:
    meta: dict[str, Any] = {ROLE_KEY: ROLE_COMMENTS}
    if offsite_ok:  # the page's own embedded comment service (another host), not a followed link
        meta[OFFSITE_OK_KEY] = True
    request = scrapy.Request(url, meta=meta, dont_filter=True)
    try:
        return await spider.crawler.engine.download_async(request)  # type: ignore[union-attr]
    except Exception as exc:  # one line, the article record is still written
        logger.warning("Comment page %s failed: %s: %s", url, type(exc).__name__, exc)
        if spider.crawler.stats is not None:
            spider.crawler.stats.inc_value("archiver/comment_page_errors")
        return None


_NO_JSON = object()


async def _fetch_json(spider: scrapy.Spider, url: str, *, offsite_ok: bool = False) -> tuple[Any, Response | None]:
    """The parsed JSON of a 200 answer (and the response), or `_NO_JSON` when there is none."""
    response = await _fetch(spider, url, offsite_ok=offsite_ok)
    if response is None or response.status != 200:
        return _NO_JSON, response
    try:
        return json.loads(response.body), response
    except ValueError:
        return _NO_JSON, response


async def fetch_comment_pages(
    spider: scrapy.Spider, analysis: PageAnalysis
) -> list[comment_systems.CommentThread]:
    """The threads of every comment page reachable from the article (breadth-first, bounded)."""
    threads = [analysis.comments]
    queue = list(analysis.comments.page_urls)
    seen = {analysis.record["url"], *queue}
    while queue and len(threads) <= MAX_COMMENT_PAGES:
        url = queue.pop(0)
        response = await _fetch(spider, url)
        if response is None or response.status != 200 or not isinstance(response, TextResponse):
            continue
        thread = extract_comment_page(response.text, response.url)
        threads.append(thread)
        for page_url in thread.page_urls:
            if page_url not in seen:
                seen.add(page_url)
                queue.append(page_url)
    if spider.crawler.stats is not None and len(threads) > 1:
        spider.crawler.stats.inc_value("archiver/comment_pages", len(threads) - 1)
    return threads


async def fetch_rest_comments(spider: scrapy.Spider, rest_url: str) -> list[dict[str, Any]] | None:
    """All pages of a WordPress REST comments listing, or None when the API does not answer."""
    pages: list[list[dict[str, Any]]] = []
    page, total_pages = 1, 1
    while page <= min(total_pages, MAX_REST_PAGES):
        data, response = await _fetch_json(spider, rest_page_url(rest_url, page))
        if not isinstance(data, list) or response is None:
            return None
        pages.append(data)
        header = response.headers.get(b"X-WP-TotalPages", b"1") or b"1"
        total_pages = int(header) if header.isdigit() else 1
        page += 1
    return comment_systems.comments_from_rest(pages)


async def fetch_embedded_comments(spider: scrapy.Spider, thread: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Comments of an embedded Discourse topic from its public JSON (no key needed), or None."""
    json_url = thread.get("json_url")
    if not json_url:
        return None
    data, _response = await _fetch_json(spider, json_url, offsite_ok=True)
    if data is _NO_JSON:
        return None
    return comment_systems.javascript_systems.comments_from_discourse(data, str(thread.get("url") or json_url))


async def wordpress_post_dates(spider: scrapy.Spider, analysis: PageAnalysis) -> tuple[str | None, str | None]:
    """(published, modified) from the post's REST endpoint, when the page is a WordPress post."""
    url = post_rest_url(getattr(analysis.comments, "rest_url", None))
    if url is None or not setting_bool(spider.settings, "WP_REST_POST"):
        return None, None
    data, _response = await _fetch_json(spider, url)
    return post_dates(data) if data is not _NO_JSON else (None, None)


async def complete_thread(
    spider: scrapy.Spider, response: Response, analysis: PageAnalysis
) -> tuple[list[dict[str, Any]], str | None]:
    """The article's full comment list (all comment pages merged, completed from the REST API or
    the system's public JSON) and where it came from (the record's `comments_source`)."""
    thread = analysis.comments
    if setting_bool(spider.settings, "COMMENT_PAGES") and thread.page_urls:
        comments = comment_systems.merge_comment_pages(await fetch_comment_pages(spider, analysis))
    else:
        comments = list(thread.comments)
    source = "html"
    if (thread.system == "discourse" and not comments and thread.thread
            and setting_bool(spider.settings, "FETCH_EMBEDDED_COMMENTS")):
        comments = await fetch_embedded_comments(spider, thread.thread) or []
        source = "json"
    rest_url = getattr(thread, "rest_url", None)
    if rest_url and setting_bool(spider.settings, "WP_REST_COMMENTS"):
        rest_comments = await fetch_rest_comments(spider, rest_url)
        if rest_comments is not None:
            comments = comment_systems.reconcile(comments, rest_comments)
            if rest_comments:
                source = "rest"
            if spider.crawler.stats is not None:
                spider.crawler.stats.inc_value("archiver/rest_comment_threads")
    return comments, source if comments else None
