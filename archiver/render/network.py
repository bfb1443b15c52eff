"""Every request of the browser goes through Scrapy's downloader, so the WARC gets it as received.

Playwright hands the route handler each request the page makes (documents, frames, scripts, XHR,
fetch). We download it with `engine.download_async`: the same middlewares as every other request
(robots.txt, private-network guard, size limits) and the same wire capture, so the request and
response records hold the bytes exchanged with the server: status line and headers as sent (case,
order, repeats), body still content-encoded. The browser gets the decoded body without the
`Content-Encoding`/`Content-Length` headers (they describe the encoded bytes it never sees).

The page's own document is not fetched again: the browser is given the response the crawler
already archived, so the plain capture stays the only response record of the page's URL. Scripts
and stylesheets still fresh from an earlier render come from `SubresourceCache` (the browser's
own cache is off while pages are routed).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

import scrapy
from scrapy.http import Response

from archiver.render.cache import SubresourceCache
from archiver.request_meta import NO_CONDITIONAL_KEY, OFFSITE_OK_KEY, ROLE_KEY, ROLE_RENDER

logger = logging.getLogger(__name__)

# Request headers of the browser that Scrapy must set itself: encodings it can decode and archive
# (no zstd), and the connection headers of its own HTTP/1.1 client.
_DROPPED_REQUEST_HEADERS = frozenset({"accept-encoding", "connection", "host", "content-length"})
_DROPPED_RESPONSE_HEADERS = (b"content-encoding", b"content-length", b"transfer-encoding")
MAX_JSON_BYTES = 8 * 1024 * 1024


@dataclass
class NetworkLog:
    """What the browser fetched: counts and the JSON answers (for the comment parsers)."""

    fetched: int = 0
    cached: int = 0  # answered from the crawl's SubresourceCache
    failed: int = 0
    blocked: int = 0
    payloads: list[tuple[str, Any]] = field(default_factory=list)


class ScrapyRoute:
    """A Playwright route handler that downloads through `crawler.engine` (see module docstring)."""

    def __init__(self, crawler: Any, page_response: Response, resource_types: frozenset[str],
                 max_requests: int, cache: SubresourceCache | None = None) -> None:
        self.crawler = crawler
        self.cache = cache
        self.page_response = page_response
        self.resource_types = resource_types
        self.max_requests = max_requests
        self.log = NetworkLog()
        self.in_flight = 0  # browser requests not answered yet (the page settles at 0)
        self.started = 0  # browser requests seen (a settle check sees one that came and went)
        self._page_served = False

    async def handle(self, route: Any) -> None:
        """Answer one browser request (the Playwright `page.route` callback)."""
        request = route.request
        self.in_flight += 1
        self.started += 1
        try:
            if not request.url.startswith(("http://", "https://")):
                await route.continue_()
            elif not self._page_served and request.is_navigation_request() and _same_url(
                    request.url, self.page_response.url):
                self._page_served = True
                await route.fulfill(**_fulfillment(self.page_response))
            elif request.resource_type not in self.resource_types:
                self.log.blocked += 1
                await route.abort("blockedbyclient")
            elif (cached := self._cached(request)) is not None:
                self.log.cached += 1
                await route.fulfill(**cached)
            elif self._over_budget():
                self.log.blocked += 1
                await route.abort("blockedbyclient")
            else:
                await self._download(route, request)
        except Exception as exc:  # noqa: BLE001 - the page closed under us: nothing to answer
            logger.debug("route for %s ended: %s", request.url, exc)
        finally:
            self.in_flight -= 1

    def _cached(self, request: Any) -> dict[str, Any] | None:
        if self.cache is None:
            return None
        return self.cache.get(request.method, request.url, request.resource_type)

    def _over_budget(self) -> bool:
        return self.log.fetched + self.log.failed >= self.max_requests

    async def _download(self, route: Any, request: Any) -> None:
        # all_headers(): with the Cookie the browser context holds (a widget's session).
        scrapy_request = scrapy_request_for(request, await request.all_headers())
        try:
            response = await self.crawler.engine.download_async(scrapy_request)
        except Exception as exc:  # noqa: BLE001 - robots.txt, offline host, ...: the browser sees a failure
            self.log.failed += 1
            logger.debug("browser request %s failed: %s: %s", request.url, type(exc).__name__, exc)
            await route.abort("failed")
            return
        self.log.fetched += 1
        if request.resource_type in ("xhr", "fetch", "other"):
            payload = json_payload(response)
            if payload is not None:
                self.log.payloads.append((response.url, payload))
        fulfillment = _fulfillment(response)
        if self.cache is not None:
            self.cache.offer(request.method, request.url, request.resource_type, response.status,
                             lower_case_headers(response), fulfillment)
        await route.fulfill(**fulfillment)


def lower_case_headers(response: Response) -> dict[str, list[str]]:
    """A Scrapy response's headers as {lower-case name: [values]} (what the cache reads)."""
    return {name.decode("latin-1").lower(): [value.decode("latin-1") for value in values]
            for name, values in response.headers.items()}


def scrapy_request_for(request: Any, browser_headers: dict[str, str]) -> scrapy.Request:
    """The Scrapy request for one browser request: same method, headers and body, no redirect
    following (the browser follows them), every status handed back, and allowed off-site (the
    widget's own host is not a followed link)."""
    headers = {name: value for name, value in browser_headers.items()
               if name.lower() not in _DROPPED_REQUEST_HEADERS and not name.startswith(":")}
    return scrapy.Request(
        request.url, method=request.method, headers=headers, body=request.post_data_buffer,
        dont_filter=True, priority=10,
        meta={ROLE_KEY: ROLE_RENDER, OFFSITE_OK_KEY: True, "allow_offsite": True,
              "dont_redirect": True, "handle_httpstatus_all": True, NO_CONDITIONAL_KEY: True,
              "dont_merge_cookies": True},
    )


def _fulfillment(response: Response) -> dict[str, Any]:
    """route.fulfill() arguments of a Scrapy response (decoded body, headers that still fit it)."""
    headers: dict[str, str] = {}
    for name, values in response.headers.items():
        key = name.decode("latin-1")
        if name.lower() in _DROPPED_RESPONSE_HEADERS:
            continue
        headers[key] = "\n".join(v.decode("latin-1") for v in values)  # Playwright's repeat syntax
    return {"status": response.status, "headers": headers, "body": response.body}


def json_payload(response: Response) -> Any | None:
    """The parsed JSON of a response that is JSON (by type or by its first byte), else None."""
    body = response.body
    if not body or len(body) > MAX_JSON_BYTES:
        return None
    content_type = (response.headers.get(b"Content-Type") or b"").lower()
    if b"json" not in content_type and body.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def _same_url(left: str, right: str) -> bool:
    return left.split("#", 1)[0] == right.split("#", 1)[0]
