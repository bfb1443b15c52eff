"""The browser pool reuses pages between renders, blank and without cookies or routes; the settle
wait counts a request that came and went while the page's scripts were checked for idleness."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from archiver import settings
from archiver.render.browser import BrowserOptions, BrowserPool
from archiver.render.interact import frames_idle, wait_until_settled

OPTIONS = BrowserOptions(executable="", max_pages=1, restart_after=100, max_memory=0, user_agent=None)
PAGE = "<!doctype html><title>t</title><p>hello</p>"
SETTLE_TIME = settings.RENDER_SETTLE_TIME


async def _serve(route: Any) -> None:
    await route.fulfill(status=200, headers={"Content-Type": "text/html"}, body=PAGE)


async def _use(page: Any, url: str = "http://pool.test/a") -> None:
    await page.route("**/*", _serve)
    await page.goto(url)
    await page.context.add_cookies([{"name": "session", "value": "1", "url": url}])


def test_a_page_is_reused_blank_without_cookies_or_routes() -> None:
    async def scenario() -> tuple[Any, Any, str, list[Any], str]:
        pool = BrowserPool(OPTIONS)
        try:
            async with pool.page() as first:
                await _use(first)
            async with pool.page() as second:
                url = second.url
                cookies = await second.context.cookies()
                # No route is left: an http request of the reused page is not answered by ours.
                failed = await second.evaluate(
                    "() => fetch('http://pool.test/b').then(() => 'answered', () => 'failed')")
            return first, second, url, cookies, failed
        finally:
            await pool.close()

    first, second, url, cookies, failed = asyncio.run(scenario())
    assert second is first
    assert url == "about:blank"
    assert cookies == []
    assert failed == "failed"


STORING = "<script>localStorage.setItem('seen', '1'); sessionStorage.setItem('sort', 'newest');</script>"
WITH_FRAME = "<!doctype html><title>t</title>" + STORING + "<iframe src='http://widget.test/frame'></iframe>"
READ_STORAGE = "() => [localStorage.getItem('seen'), sessionStorage.getItem('sort')]"


async def _serve_storing(route: Any) -> None:
    body = WITH_FRAME if route.request.url == "http://pool.test/a" else STORING
    await route.fulfill(status=200, headers={"Content-Type": "text/html"}, body=body)


def test_a_reused_page_keeps_no_storage_of_the_sites_it_rendered() -> None:
    """Local and session storage of the page's origin and of its widget frame's origin are gone
    for the next render, as they would be in a new context."""
    async def stored(page: Any) -> list[list[Any]]:
        await page.route("**/*", _serve_storing)
        await page.goto("http://pool.test/a")
        frames = [page.main_frame, *[f for f in page.frames if f.url == "http://widget.test/frame"]]
        return [await frame.evaluate(READ_STORAGE) for frame in frames]

    async def scenario() -> tuple[list[list[Any]], list[list[Any]]]:
        pool = BrowserPool(OPTIONS)
        try:
            async with pool.page() as first:
                seen_first = await stored(first)
            async with pool.page() as second:
                assert second is first
                await second.unroute_all()
                await second.route("**/*", _serve_blank)
                await second.goto("http://pool.test/a")
                main = await second.evaluate(READ_STORAGE)
                await second.goto("http://widget.test/frame")
                frame = await second.evaluate(READ_STORAGE)
            return seen_first, [main, frame]
        finally:
            await pool.close()

    seen_first, seen_next = asyncio.run(scenario())
    assert seen_first == [["1", "newest"], ["1", "newest"]]
    assert seen_next == [[None, None], [None, None]]


async def _serve_blank(route: Any) -> None:
    await route.fulfill(status=200, headers={"Content-Type": "text/html"}, body=PAGE)


def test_a_render_that_raised_does_not_give_its_page_to_the_next() -> None:
    async def scenario() -> tuple[Any, Any, int]:
        pool = BrowserPool(OPTIONS)
        try:
            try:
                async with pool.page() as first:
                    await _use(first)
                    raise RuntimeError("the render failed")
            except RuntimeError:
                pass
            async with pool.page() as second:
                return first, second, pool.launches
        finally:
            await pool.close()

    first, second, launches = asyncio.run(scenario())
    assert second is not first
    assert first.is_closed()
    assert launches == 1


def test_a_restarted_browser_does_not_reuse_the_old_browsers_pages() -> None:
    async def scenario() -> tuple[Any, Any, int]:
        pool = BrowserPool(BrowserOptions(executable="", max_pages=1, restart_after=1, max_memory=0,
                                          user_agent=None))
        try:
            async with pool.page() as first:
                await _use(first)
            async with pool.page() as second:
                return first, second, pool.launches
        finally:
            await pool.close()

    first, second, launches = asyncio.run(scenario())
    assert launches == 2
    assert second is not first


def test_frames_idle_waits_for_a_busy_script() -> None:
    async def scenario() -> float:
        pool = BrowserPool(OPTIONS)
        try:
            async with pool.page() as page:
                await _use(page)
                await page.evaluate("() => { setTimeout(() => { const end = Date.now() + 1000;"
                                    " while (Date.now() < end) {} }, 0); }")
                started = time.monotonic()
                await frames_idle(page)
                return time.monotonic() - started
        finally:
            await pool.close()

    assert asyncio.run(scenario()) >= 0.6  # not the 200 ms cap: the probe runs after the busy task


class _Activity:
    def __init__(self) -> None:
        self.in_flight = 0
        self.started = 0


class _CountingRoute(_Activity):
    """Answers every browser request after `delay` seconds, counting them as ScrapyRoute does."""

    def __init__(self, pages: dict[str, str], delay: float) -> None:
        super().__init__()
        self.pages, self.delay = pages, delay
        self.answered: list[str] = []

    async def handle(self, route: Any) -> None:
        self.started += 1
        self.in_flight += 1
        try:
            await asyncio.sleep(self.delay)
            path = route.request.url.split("pool.test", 1)[1]
            await route.fulfill(status=200, headers={"Content-Type": "text/html"}, body=self.pages.get(path, "{}"))
            self.answered.append(path)
        finally:
            self.in_flight -= 1


@pytest.mark.parametrize("timer_ms", [0, 100])
def test_the_default_settle_waits_for_requests_a_script_chains_or_defers_by_a_short_timer(timer_ms: int) -> None:
    """A widget that asks for its next part after each answer, right away or from a short timer
    (a debounce), has all its parts fetched before the page counts as settled."""
    chain = ("<script>let n = 0; function next() { fetch('/part/' + (++n)).then((r) => r.text())"
             f".then(() => {{ if (n < 3) setTimeout(next, {timer_ms}); }}); }} next();</script>")
    route = _CountingRoute({"/a": PAGE + chain}, delay=0.05)

    async def scenario() -> bool:
        pool = BrowserPool(OPTIONS)
        try:
            async with pool.page() as page:
                await page.route("**/*", route.handle)
                await page.goto("http://pool.test/a")
                return await wait_until_settled(route, time.monotonic() + 10, quiet=SETTLE_TIME,
                                                idle=lambda: frames_idle(page))
        finally:
            await pool.close()

    assert asyncio.run(scenario()) is True
    assert route.answered == ["/a", "/part/1", "/part/2", "/part/3"]


def test_a_request_during_the_idle_check_restarts_the_quiet_window() -> None:
    activity = _Activity()
    checks: list[float] = []

    async def idle() -> None:
        checks.append(time.monotonic())
        if len(checks) == 1:  # a script fetched (and got its answer) while we asked
            activity.started += 1

    async def scenario() -> bool:
        return await wait_until_settled(activity, time.monotonic() + 5, quiet=0.1, idle=idle)

    assert asyncio.run(scenario()) is True
    assert len(checks) == 2
    assert checks[1] - checks[0] >= 0.1  # a whole quiet window again after the request


def test_a_request_that_never_ends_stops_at_the_deadline() -> None:
    activity = _Activity()
    activity.in_flight = 1

    async def scenario() -> tuple[bool, float]:
        started = time.monotonic()
        settled = await wait_until_settled(activity, started + 0.3, quiet=0.1)
        return settled, time.monotonic() - started

    settled, waited = asyncio.run(scenario())
    assert settled is False
    assert 0.3 <= waited < 1.0


def test_a_hanging_idle_check_is_bounded_by_the_deadline() -> None:
    activity = _Activity()

    async def never_idle() -> None:
        await asyncio.sleep(30)

    async def scenario() -> float:
        started = time.monotonic()
        await wait_until_settled(activity, started + 0.4, quiet=0.05, idle=never_idle)
        return time.monotonic() - started

    assert asyncio.run(scenario()) < 2.0


def _cache(max_bytes: int = 1000, now: list[float] | None = None) -> Any:
    from archiver.render.cache import SubresourceCache

    clock = now or [1_000_000.0]
    return SubresourceCache(max_bytes, 400, clock=lambda: clock[0]), clock


def _answer(body: bytes = b"x" * 100) -> dict[str, Any]:
    return {"status": 200, "headers": {}, "body": body}


def test_a_fresh_script_is_answered_again_until_it_is_stale() -> None:
    cache, clock = _cache()
    assert cache.offer("GET", "http://w.test/a.js", "script", 200, {"cache-control": ["public, max-age=60"]},
                       _answer())
    assert cache.get("GET", "http://w.test/a.js", "script") == _answer()
    assert cache.get("GET", "http://w.test/a.js", "xhr") is None  # JSON carries comments: never cached
    clock[0] += 61
    assert cache.get("GET", "http://w.test/a.js", "script") is None
    assert cache.size == 0


def test_only_what_a_shared_cache_may_store_is_kept() -> None:
    cache, _ = _cache()
    fresh = {"cache-control": ["max-age=60"]}
    refused = [
        ("POST", "script", 200, fresh),
        ("GET", "document", 200, fresh),
        ("GET", "fetch", 200, fresh),
        ("GET", "script", 404, fresh),
        ("GET", "script", 200, {}),  # no freshness declared: no heuristic
        ("GET", "script", 200, {"cache-control": ["no-store"]}),
        ("GET", "script", 200, {"cache-control": ["private, max-age=60"]}),
        ("GET", "script", 200, {"cache-control": ["no-cache, max-age=60"]}),
        ("GET", "script", 200, {"cache-control": ["max-age=60"], "set-cookie": ["a=1"]}),
        ("GET", "script", 200, {"cache-control": ["max-age=60"], "vary": ["Cookie"]}),
        ("GET", "script", 200, {"cache-control": ["max-age=nonsense"]}),
    ]
    for method, kind, status, headers in refused:
        assert not cache.offer(method, "http://w.test/a.js", kind, status, headers, _answer()), (method, kind, headers)
    assert cache.offer("GET", "http://w.test/v.js", "stylesheet", 200,
                       {"cache-control": ["max-age=60"], "vary": ["Accept-Encoding"]}, _answer())
    assert cache.offer("GET", "http://w.test/e.js", "script", 200,
                       {"expires": ["Thu, 01 Jan 2026 00:10:00 GMT"], "date": ["Thu, 01 Jan 2026 00:00:00 GMT"]},
                       _answer())


def test_the_cache_stays_within_its_bytes_dropping_the_least_recently_used() -> None:
    cache, _ = _cache(max_bytes=300)
    fresh = {"cache-control": ["max-age=60"]}
    for name in "abc":
        assert cache.offer("GET", f"http://w.test/{name}.js", "script", 200, fresh, _answer())
    assert cache.get("GET", "http://w.test/a.js", "script") is not None  # a is now the newest
    assert cache.offer("GET", "http://w.test/d.js", "script", 200, fresh, _answer())
    assert cache.get("GET", "http://w.test/b.js", "script") is None
    assert cache.get("GET", "http://w.test/a.js", "script") is not None
    assert cache.size == 300
    assert not cache.offer("GET", "http://w.test/big.js", "script", 200, fresh, _answer(b"x" * 401))
