
"""Scrapy's HttpCompressionMiddleware plus a decompression-ratio guard against zip bombs.

Scrapy already stops decompressing at DOWNLOAD_MAXSIZE (archiver/settings.py), streaming, so a
bomb can never take more than that. But that many megabytes out of a 1.6 KB brotli body is a ratio
in the thousands: no real page compresses like that (HTML: 5-20x). This subclass caps each
response's decompressed size at `max(DECOMPRESSION_MIN_LIMIT, compressed size ×
DECOMPRESSION_MAX_RATIO)` — never above DOWNLOAD_MAXSIZE — so a bomb is dropped at that cap
instead of at DOWNLOAD_MAXSIZE, with Scrapy's own one-line warning and the stat
`archiver/decompression_bomb`. It replaces the built-in at the same priority (590); settings.py
disables the original.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from archiver.defaults import setting_int

_UNSET = object()


class RatioGuardedHttpCompressionMiddleware(HttpCompressionMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler=crawler)
        self.max_ratio = setting_int(crawler.settings, "DECOMPRESSION_MAX_RATIO")
        self.min_limit = setting_int(crawler.settings, "DECOMPRESSION_MIN_LIMIT")

    def limit_for(self, compressed_size: int, configured: int) -> int:
        """Decompressed-size cap for one response (0 = DOWNLOAD_MAXSIZE off: the ratio still holds)."""
        by_ratio = max(self.min_limit, compressed_size * self.max_ratio) if self.max_ratio else 0
        if not configured:
            return by_ratio
        return min(configured, by_ratio) if by_ratio else configured

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        if request.method == "HEAD" or not response.headers.getlist("Content-Encoding"):
            return super().process_response(request, response)
        configured = int(request.meta.get("download_maxsize", self._max_size) or 0)
        limit = self.limit_for(len(response.body), configured)
        if limit == configured:
            return super().process_response(request, response)
        previous = request.meta.get("download_maxsize", _UNSET)
        request.meta["download_maxsize"] = limit  # read by the parent for this response only
        try:
            return super().process_response(request, response)
        except IgnoreRequest:
            if self.stats is not None:
                self.stats.inc_value("archiver/decompression_bomb")
            raise
        finally:  # never leak the per-response cap into redirects or retries of this request
            if previous is _UNSET:
                request.meta.pop("download_maxsize", None)
            else:
                request.meta["download_maxsize"] = previous
