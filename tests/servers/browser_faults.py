"""Fault injection for the browser capture: a downloader middleware that crashes the crawl's
Chromium (CDP `Browser.crash`, a real crash of the browser process) the first time the browser
asks for a URL containing TEST_CRASH_BROWSER_ON."""

from __future__ import annotations

from typing import Any

from archiver.render.renderer import Renderer
from archiver.request_meta import ROLE_KEY, ROLE_RENDER


class CrashBrowserOnce:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.marker = crawler.settings.get("TEST_CRASH_BROWSER_ON") or ""
        self.crashed = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrashBrowserOnce:
        return cls(crawler)

    async def process_request(self, request: Any, spider: Any = None) -> None:
        if self.crashed or not self.marker or self.marker not in request.url:
            return
        if request.meta.get(ROLE_KEY) != ROLE_RENDER:
            return
        browser = Renderer.for_crawler(self.crawler).pool.browser
        if browser is None:
            return
        self.crashed = True
        session = await browser.new_browser_cdp_session()
        try:
            await session.send("Browser.crash")
        except Exception:  # noqa: BLE001 - the connection dies with the browser
            pass
