"""Unit checks of the reliability middlewares: decompression-ratio guard, Retry-After parsing."""

from __future__ import annotations

import gzip
import os
from datetime import UTC, datetime

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from archiver.middlewares.decompression import RatioGuardedHttpCompressionMiddleware
from archiver.middlewares.retry_after import retry_after_seconds

MB = 1024 * 1024


def _guard(**settings: object) -> RatioGuardedHttpCompressionMiddleware:
    crawler = get_crawler(settings_dict={"DOWNLOAD_MAXSIZE": 64 * MB, **settings})
    crawler.stats.open_spider()  # type: ignore[union-attr,call-arg]
    return RatioGuardedHttpCompressionMiddleware.from_crawler(crawler)


def _gzipped(request: Request, payload: bytes) -> Response:
    return Response(request.url, body=gzip.compress(payload, 6), request=request,
                    headers={"Content-Encoding": "gzip", "Content-Type": "text/html"})


@pytest.mark.parametrize("compressed, configured, expected", [
    (1_000, 64 * MB, 8 * MB),  # tiny body: the floor
    (1 * MB, 64 * MB, 64 * MB),  # 200 MB by ratio: DOWNLOAD_MAXSIZE is lower
    (100_000, 64 * MB, 20_000_000),  # ratio 200
    (1_000, 0, 8 * MB),  # DOWNLOAD_MAXSIZE off: the ratio guard still bounds it
])
def test_limit(compressed: int, configured: int, expected: int) -> None:
    assert _guard().limit_for(compressed, configured) == expected


def test_bomb_is_dropped_at_the_ratio_limit_and_meta_is_restored() -> None:
    guard = _guard(DECOMPRESSION_MIN_LIMIT=1 * MB)
    request = Request("http://h/bomb")
    bomb = _gzipped(request, b"\0" * (40 * MB))  # ~40 KB compressed: ratio ~1000
    with pytest.raises(IgnoreRequest, match="DOWNLOAD_MAXSIZE"):
        guard.process_response(request, bomb)
    assert "download_maxsize" not in request.meta
    assert guard.stats.get_value("archiver/decompression_bomb") == 1  # type: ignore[union-attr]


def test_big_ordinary_page_passes() -> None:
    """A 12 MB page of varied text (~5x compression) is over the floor but far under the ratio."""
    guard = _guard(DECOMPRESSION_MIN_LIMIT=1 * MB)
    request = Request("http://h/big", meta={"download_maxsize": 32 * MB})
    text = os.urandom(6 * MB).hex().encode()  # 12 MB, compresses ~2x
    response = guard.process_response(request, _gzipped(request, b"<html><body><p>" + text))
    assert isinstance(response, HtmlResponse) and len(response.body) > 12 * MB
    assert request.meta["download_maxsize"] == 32 * MB  # the request's own cap is kept


@pytest.mark.parametrize("value, expected", [
    ("2", 2.0), (b"120", 120.0), (" 7 ", 7.0), ("soon", None), ("", None), (None, None), ("-5", None),
    ("Wed, 25 Nov 2026 10:00:30 GMT", 30.0), ("Wed, 25 Nov 2026 09:59:00 GMT", 0.0),
])
def test_retry_after_values(value: str | bytes | None, expected: float | None) -> None:
    now = datetime(2026, 11, 25, 10, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(value, now) == expected
