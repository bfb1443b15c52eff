"""The browser's HTTP cache for scripts and stylesheets, kept by the crawler.

Playwright turns Chromium's own cache off once a page is routed, so without this every rendered
page of a site would download the widget's bundles again (and spend the host's politeness budget
on them). A real browser would not: the bundles say how long they stay fresh. This cache keeps
what a shared browser cache may keep (RFC 9111): answers to GET without a body, status 200,
fresh by `max-age`/`s-maxage` or `Expires`, not `no-store`/`no-cache`/`private`, no
`Set-Cookie`, `Vary` at most on the encoding. Documents, frames and XHR/fetch never come from
it: they carry the comments. Every entry was downloaded, and so archived, once by this crawl;
pywb replays later pages from that capture.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

CACHED_RESOURCE_TYPES = frozenset({"script", "stylesheet", "font"})
_UNCACHEABLE = frozenset({"no-store", "no-cache", "private"})
_HARMLESS_VARY = frozenset({"accept-encoding", "origin"})


@dataclass(frozen=True)
class CachedAnswer:
    """What route.fulfill() needs to answer the browser again, and until when it may."""

    fulfillment: dict[str, Any]
    fresh_until: float  # time.time()
    size: int


class SubresourceCache:
    """An LRU of browser answers bounded in bytes (see module docstring)."""

    def __init__(self, max_bytes: int, max_entry_bytes: int,
                 clock: Callable[[], float] = time.time) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.clock = clock
        self.size = 0
        self.hits = 0
        self._entries: OrderedDict[str, CachedAnswer] = OrderedDict()

    def get(self, method: str, url: str, resource_type: str) -> dict[str, Any] | None:
        """The fulfillment to answer this browser request with, or None to download it."""
        if method != "GET" or resource_type not in CACHED_RESOURCE_TYPES:
            return None
        entry = self._entries.get(url)
        if entry is None:
            return None
        if entry.fresh_until <= self.clock():
            self._drop(url)
            return None
        self._entries.move_to_end(url)
        self.hits += 1
        return entry.fulfillment

    def offer(self, method: str, url: str, resource_type: str, status: int,
              headers: dict[str, list[str]], fulfillment: dict[str, Any]) -> bool:
        """Keep a downloaded answer when a shared cache may; True when it was kept."""
        if method != "GET" or resource_type not in CACHED_RESOURCE_TYPES or status != 200:
            return False
        size = len(fulfillment.get("body") or b"")
        if self.max_bytes <= 0 or size > min(self.max_entry_bytes, self.max_bytes):
            return False
        lifetime = freshness_lifetime(headers, self.clock())
        if lifetime is None or lifetime <= 0:
            return False
        self._drop(url)
        self._entries[url] = CachedAnswer(fulfillment, self.clock() + lifetime, size)
        self.size += size
        while self.size > self.max_bytes:
            self._drop(next(iter(self._entries)))
        return True

    def _drop(self, url: str) -> None:
        entry = self._entries.pop(url, None)
        if entry is not None:
            self.size -= entry.size


def freshness_lifetime(headers: dict[str, list[str]], now: float) -> float | None:
    """Seconds a shared cache may reuse an answer with these headers (names lower-case), or None
    when it may not store it at all. No heuristic freshness: only what the server declared."""
    if "set-cookie" in headers:
        return None
    vary = {v.strip().lower() for value in headers.get("vary", []) for v in value.split(",") if v.strip()}
    if vary - _HARMLESS_VARY:
        return None
    directives = _cache_control(headers.get("cache-control", []))
    if directives.keys() & _UNCACHEABLE:
        return None
    for name in ("s-maxage", "max-age"):
        if name in directives:
            try:
                return float(int(directives[name]))
            except ValueError:
                return None
    expires = _date(headers.get("expires"))
    if expires is None:
        return None
    served = _date(headers.get("date"))
    return expires - (served if served is not None else now)


def _cache_control(values: list[str]) -> dict[str, str]:
    directives: dict[str, str] = {}
    for value in values:
        for part in value.split(","):
            name, _, argument = part.strip().partition("=")
            if name:
                directives[name.lower()] = argument.strip().strip('"')
    return directives


def _date(values: list[str] | None) -> float | None:
    if not values:
        return None
    try:
        return parsedate_to_datetime(values[0]).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
