"""Render one page in the crawl's browser and return what it saw (`RenderedPage`).

One `Renderer` per crawler (like the WARC archive), closed at spider_closed. A render is bounded:
RENDER_TIMEOUT seconds in all, RENDER_MAX_CLICKS presses of "load more" within
RENDER_CLICK_TIME seconds, RENDER_MAX_REQUESTS browser requests. Anything that goes wrong (a
timeout, a crashed page or browser, no browser at all) is a `RenderError` with one line to log;
the crawler then keeps the plain record.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

from scrapy import signals
from scrapy.http import Response

from archiver.defaults import default, setting_float, setting_int, setting_list
from archiver.extract.comments.rendered import RenderedPage
from archiver.per_crawler import per_crawler
from archiver.render.browser import BrowserOptions, BrowserPool, BrowserUnavailable, first_line
from archiver.render.cache import SubresourceCache
from archiver.render.interact import frames_idle, press_load_more, scroll_to_comments, wait_until_settled
from archiver.render.network import NetworkLog, ScrapyRoute

logger = logging.getLogger(__name__)

MAX_CACHED_ANSWER_BYTES = 4 * 1024 * 1024  # a bigger script is downloaded for every page


class RenderError(RuntimeError):
    """A page could not be rendered; `kind` names why (timeout, crash, unavailable, error)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class RenderOptions:
    """The RENDER_* settings a page render uses (their defaults: archiver/settings.py)."""

    timeout: float
    max_clicks: int
    click_time: float
    max_requests: int
    quiet: float  # seconds without a browser request, then idle scripts: the page has "settled"
    resource_types: frozenset[str]
    cache_bytes: int  # scripts and stylesheets kept between renders (render/cache.py)

    @classmethod
    def from_settings(cls, settings: Any) -> RenderOptions:
        # An empty list would block the scripts that draw the thread: it means the default.
        types = setting_list(settings, "RENDER_RESOURCE_TYPES") or default("RENDER_RESOURCE_TYPES")
        return cls(
            timeout=setting_float(settings, "RENDER_TIMEOUT"),
            max_clicks=setting_int(settings, "RENDER_MAX_CLICKS"),
            click_time=setting_float(settings, "RENDER_CLICK_TIME"),
            max_requests=setting_int(settings, "RENDER_MAX_REQUESTS"),
            quiet=setting_float(settings, "RENDER_SETTLE_TIME"),
            resource_types=frozenset(types),
            cache_bytes=setting_int(settings, "RENDER_CACHE_MB") * 1024 * 1024,
        )


class Renderer:
    """The crawl's browser pages (see module docstring)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.options = RenderOptions.from_settings(crawler.settings)
        self.pool = BrowserPool(BrowserOptions.from_settings(crawler.settings))
        self.cache = SubresourceCache(self.options.cache_bytes, MAX_CACHED_ANSWER_BYTES)
        self.unavailable: str | None = None  # set once no browser could start: never retried
        crawler.signals.connect(self._close, signal=signals.spider_closed, weak=False)

    @classmethod
    def for_crawler(cls, crawler: Any) -> Renderer:
        """The one Renderer of `crawler`, created on first use."""
        return _renderer_for(crawler)

    async def _close(self, spider: Any = None) -> None:
        await self.pool.close()

    async def render(self, response: Response) -> tuple[RenderedPage, NetworkLog]:
        """What the browser shows of `response`'s page after scrolling and loading more.
        RENDER_TIMEOUT counts from the moment the page has its browser slot, not while it waits."""
        if self.unavailable:
            raise RenderError("unavailable", self.unavailable)
        route = ScrapyRoute(self.crawler, response, self.options.resource_types,
                            self.options.max_requests, self.cache)
        try:
            async with self.pool.page() as page:
                rendered = await asyncio.wait_for(self._render(page, response, route), self.options.timeout)
        except BrowserUnavailable as exc:
            self.unavailable = str(exc)
            raise RenderError("unavailable", str(exc)) from None
        except TimeoutError:
            raise RenderError("timeout", f"no result within {self.options.timeout:g} s") from None
        except Exception as exc:  # noqa: BLE001 - Playwright errors: crashed page/browser, closed target
            text = first_line(exc, 200)
            kind = "crash" if any(w in text.lower() for w in ("crash", "closed", "disconnect")) else "error"
            raise RenderError(kind, text) from None
        return rendered, route.log

    async def _render(self, page: Any, response: Response, route: ScrapyRoute) -> RenderedPage:
        crashed = asyncio.Event()

        def on_crash(_page: Any) -> None:
            crashed.set()

        page.on("crash", on_crash)  # the page is reused: its listener goes with this render
        try:
            return await self._render_page(page, response, route, crashed)
        finally:
            page.remove_listener("crash", on_crash)

    async def _render_page(self, page: Any, response: Response, route: ScrapyRoute,
                           crashed: asyncio.Event) -> RenderedPage:
        started = time.monotonic()
        deadline = started + self.options.timeout
        await page.route("**/*", route.handle)
        await page.goto(response.url, wait_until="load", timeout=self.options.timeout * 1000)
        loaded = time.monotonic()

        async def settle(until: float) -> None:
            await wait_until_settled(route, min(until, deadline), quiet=self.options.quiet,
                                     idle=lambda: frames_idle(page))

        await scroll_to_comments(page)
        await settle(deadline)
        settled = time.monotonic()
        click_deadline = min(deadline, settled + self.options.click_time)
        clicks = await press_load_more(page, self.options.max_clicks, click_deadline, settle)
        if crashed.is_set():
            raise RuntimeError("the page crashed")
        snapshot = await _snapshot(page, response.url, route.log)
        logger.debug("Rendered %s: load %.2fs, settle %.2fs, %d clicks in %.2fs", response.url,
                     loaded - started, settled - loaded, clicks, time.monotonic() - settled)
        return snapshot


async def _snapshot(page: Any, url: str, log: NetworkLog) -> RenderedPage:
    """The DOM of the page and of each of its http(s) frames, plus the JSON the page fetched."""
    frames = []
    for frame in page.frames:
        if frame is page.main_frame or not frame.url.startswith(("http://", "https://")):
            continue
        try:
            frames.append((frame.url, await frame.content()))
        except Exception:  # noqa: BLE001 - a frame detached while we read
            continue
    return RenderedPage(url=url, dom=await page.content(), frames=tuple(frames),
                        payloads=tuple(log.payloads))


@per_crawler
def _renderer_for(crawler: Any) -> Renderer:
    return Renderer(crawler)
