"""The headless Chromium of a crawl: started on first use, shared by at most N pages at a time,
restarted after RENDER_RESTART_AFTER pages or when it crashed.

Debian's `chromium` is driven through Playwright's `executable_path` (Playwright's own browser
download is not needed). Every launch gets a fresh, empty profile (Playwright's temporary user data
dir), and the flags keep Chromium from calling Google's services on its own: on a closed network
those connections are refused and slow every start.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from archiver.defaults import setting_int
from archiver.render.memory import browser_memory

logger = logging.getLogger(__name__)

# A crawler's browser holds no logins or secrets to protect from the pages, so site isolation
# (a renderer process per site: each cross-site widget frame its own process) costs memory and CPU
# for nothing here; timers and idle callbacks of offscreen frames are not throttled either.
CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--disable-extensions", "--mute-audio",
    "--disable-site-isolation-trials", "--disable-features=site-per-process,IsolateOrigins,Translate,MediaRouter",
    "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
)
DEFAULT_EXECUTABLES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


class BrowserUnavailable(RuntimeError):
    """No browser could be started (not installed, or Playwright missing); one line for the log."""


@dataclass(frozen=True)
class BrowserOptions:
    """The browser's RENDER_* settings (their defaults: archiver/settings.py)."""

    executable: str  # "" = the first of DEFAULT_EXECUTABLES found on this machine
    max_pages: int  # pages rendered at the same time
    restart_after: int  # pages per browser process (memory of long crawls stays bounded)
    max_memory: int  # bytes (summed PSS) of the browser's processes that restart it (0 = no limit)
    user_agent: str | None

    @classmethod
    def from_settings(cls, settings: Any) -> BrowserOptions:
        return cls(
            executable=str(settings.get("RENDER_BROWSER") or ""),
            max_pages=max(setting_int(settings, "RENDER_CONCURRENT_PAGES"), 1),
            restart_after=max(setting_int(settings, "RENDER_RESTART_AFTER"), 1),
            max_memory=setting_int(settings, "RENDER_MAX_MEMORY_MB") * 1024 * 1024,
            user_agent=str(settings.get("USER_AGENT") or "") or None,
        )


def find_executable(configured: str) -> str:
    """The browser binary to run; BrowserUnavailable when none is installed."""
    for candidate in ((configured,) if configured else DEFAULT_EXECUTABLES):
        found = shutil.which(candidate)
        if found:
            return found
    wanted = configured or "chromium"
    raise BrowserUnavailable(f"no browser {wanted!r} found (install it: apt-get install chromium)")


@dataclass
class _Tab:
    """A browser page kept between renders, with the context it lives in."""

    browser: Any
    context: Any
    page: Any
    cdp: Any  # the page's DevTools session (clears the storage of the origins it saw)
    origins: set[str] = field(default_factory=set)  # origins the page and its frames requested

    def saw(self, request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and parts.netloc:
            self.origins.add(f"{parts.scheme}://{parts.netloc}")


class BrowserPool:
    """One Chromium process at a time, a semaphore of `max_pages` open pages.

    A page is reused for the next render (as browsertrix-crawler reuses its tabs): a new context
    and page cost Chromium a new renderer process each time, several times the CPU of rendering
    a small page. Between renders the page goes to about:blank (its scripts and timers stop),
    loses its routes, the cookies and the storage of every origin it saw. A render that failed
    closes its page instead.
    """

    def __init__(self, options: BrowserOptions) -> None:
        self.options = options
        self._slots = asyncio.Semaphore(options.max_pages)
        self._lock = asyncio.Lock()
        self._playwright: Any = None
        self._browser: Any = None
        self._pages_on_browser = 0
        self._open: dict[Any, int] = {}  # pages in use per browser (old ones retire when idle)
        self._idle: list[_Tab] = []  # pages of the current browser waiting for the next render
        self.launches = 0

    @asynccontextmanager
    async def page(self) -> AsyncIterator[Any]:
        """A page for one render: an idle one of the running browser, or a new one in its own
        context. The page is reused only when the render ended without an exception."""
        async with self._slots:
            browser = await self._browser_for_page()
            self._open[browser] = self._open.get(browser, 0) + 1
            tab: _Tab | None = None
            reusable = False
            try:
                tab = self._idle_tab(browser) or await self._new_tab(browser)
                yield tab.page
                reusable = True
            finally:
                if tab is not None:
                    if reusable and browser is self._browser and await _reset(tab):
                        self._idle.append(tab)
                    else:
                        await _quietly(tab.context.close())
                self._open[browser] -= 1
                if browser is not self._browser and not self._open[browser]:
                    del self._open[browser]  # a retired browser closes with its last page
                    await _quietly(browser.close())

    def _idle_tab(self, browser: Any) -> _Tab | None:
        while self._idle:
            tab = self._idle.pop()
            if tab.browser is browser and not tab.page.is_closed():
                return tab
        return None

    async def _new_tab(self, browser: Any) -> _Tab:
        context = await browser.new_context(user_agent=self.options.user_agent, service_workers="block")
        try:
            page = await context.new_page()
            tab = _Tab(browser, context, page, await context.new_cdp_session(page))
            page.on("request", tab.saw)
            return tab
        except BaseException:
            await _quietly(context.close())
            raise

    async def _browser_for_page(self) -> Any:
        async with self._lock:
            current = self._browser
            why = self._restart_reason() if current is not None else None
            if current is not None and why:
                logger.info("Restarting the browser after %d pages (%s)", self._pages_on_browser, why)
                self._browser = None
                idle, self._idle = self._idle, []
                for tab in idle:
                    await _quietly(tab.context.close())
                if not self._open.get(current):
                    self._open.pop(current, None)
                    await _quietly(current.close())
            if self._browser is None:
                self._browser = await self._launch()
                self._pages_on_browser = 0
            self._pages_on_browser += 1
            return self._browser

    def _restart_reason(self) -> str | None:
        """Why the running browser must be replaced before the next page, or None."""
        if not self._browser.is_connected():
            return "it crashed"
        if self._pages_on_browser >= self.options.restart_after:
            return "RENDER_RESTART_AFTER"
        if self.options.max_memory:
            in_use = browser_memory()  # summed PSS of the browser's processes
            if in_use > self.options.max_memory:
                return f"{in_use // 2**20} MB resident > RENDER_MAX_MEMORY_MB"
        return None

    async def _launch(self) -> Any:
        executable = find_executable(self.options.executable)
        try:
            if self._playwright is None:
                from playwright.async_api import async_playwright

                self._playwright = await async_playwright().start()
            browser = await self._playwright.chromium.launch(
                executable_path=executable, args=list(CHROMIUM_ARGS), headless=True)
        except ImportError as exc:
            raise BrowserUnavailable(f"Playwright is not installed: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - any launch failure is one line
            raise BrowserUnavailable(f"cannot start {executable}: {first_line(exc)}") from None
        self.launches += 1
        return browser

    @property
    def browser(self) -> Any:
        """The running browser (tests kill its process to check crash recovery)."""
        return self._browser

    async def close(self) -> None:
        self._idle.clear()  # their contexts close with their browser
        for browser in {*self._open, self._browser} - {None}:
            await _quietly(browser.close())
        self._open.clear()
        self._browser = None
        if self._playwright is not None:
            await _quietly(self._playwright.stop())
            self._playwright = None


async def _reset(tab: _Tab) -> bool:
    """Make a used page blank for the next render; False when it cannot be (then it is closed).
    about:blank comes first, while the render's route still answers its last requests; it loads
    nothing, so no request of the page can go out unrouted after the routes are removed. Then
    what the sites stored goes: cookies, and for every origin the page or a frame asked, its
    local and session storage, IndexedDB and caches (CDP's clearDataForOrigin "all", as tested
    in tests/test_render_pool.py). A widget that remembers the last visit would otherwise draw
    the next page's thread differently."""
    try:
        await asyncio.wait_for(tab.page.goto("about:blank"), 5)
        await asyncio.wait_for(tab.page.unroute_all(behavior="ignoreErrors"), 5)
        await asyncio.wait_for(tab.context.clear_cookies(), 5)
        for origin in sorted(tab.origins):
            await asyncio.wait_for(tab.cdp.send("Storage.clearDataForOrigin",
                                                {"origin": origin, "storageTypes": "all"}), 5)
        tab.origins.clear()
    except Exception:  # noqa: BLE001 - a page that will not go blank is not reused
        logger.debug("a browser page could not be reset", exc_info=True)
        return False
    return True


async def _quietly(awaitable: Any) -> None:
    """Closing a crashed browser or context raises; there is nothing left to close then."""
    try:
        await asyncio.wait_for(awaitable, 10)
    except Exception:  # noqa: BLE001
        logger.debug("ignored error while closing the browser", exc_info=True)


def first_line(exc: BaseException, limit: int = 300) -> str:
    """An exception as one log line: its message's first line (at most `limit` characters), or
    its type's name when the message is empty."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:limit]
