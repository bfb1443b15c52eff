"""`classify_failure`: which failed requests are crawl errors, and the one line each one logs."""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError as Refused
from twisted.python.failure import Failure

from archiver.crawl.failures import classify_failure
from archiver.request_meta import DEPTH_KEY, ROLE_KEY, ROLE_PAGE

LINKED = {ROLE_KEY: ROLE_PAGE, DEPTH_KEY: 2}
SEED = {ROLE_KEY: ROLE_PAGE, DEPTH_KEY: 0}


def failed(error: Exception, url: str = "https://e.org/p", meta: dict | None = None) -> Failure:
    failure = Failure(error)
    failure.request = Request(url, meta=meta or {})  # type: ignore[attr-defined]
    return failure


def http_error(status: int, meta: dict) -> Failure:
    return failed(HttpError(Response("https://e.org/p", status=status), "ignored"), meta=meta)


def test_a_dead_link_of_a_site_crawl_is_counted_not_an_error() -> None:
    verdict = classify_failure(http_error(404, LINKED))
    assert verdict.counts == ("archiver/linked_http/404",)
    assert verdict.level == logging.INFO and verdict.message == "HTTP 404 for https://e.org/p (linked page)"


def test_a_seed_or_a_server_error_is_an_error() -> None:
    assert classify_failure(http_error(404, SEED)).counts == ("archiver/error/http_404", "archiver/errors")
    server = classify_failure(http_error(503, LINKED))
    assert server.counts == ("archiver/error/http_503", "archiver/errors") and server.level == logging.WARNING


def test_a_network_error_names_the_url_asked_for() -> None:
    meta = {"redirect_urls": ["https://e.org/old"]}
    verdict = classify_failure(failed(Refused(), "https://e.org/new", meta))
    assert verdict.counts == ("archiver/error/ConnectionRefusedError", "archiver/errors")
    assert verdict.level == logging.ERROR
    assert verdict.message.startswith("Download failed for https://e.org/new (redirected from https://e.org/old): "
                                      "ConnectionRefusedError")


def test_drops_are_counted_and_logged_once_at_the_right_level() -> None:
    assert classify_failure(failed(IgnoreRequest("offsite: x"))).message == ""  # the middleware logged it
    assert classify_failure(failed(IgnoreRequest("incremental: not due"))).message == ""
    robots = classify_failure(failed(IgnoreRequest("Forbidden by robots.txt")))
    other = classify_failure(failed(IgnoreRequest("private network")))
    assert robots.counts == other.counts == ("archiver/ignored",)
    assert (robots.level, other.level) == (logging.INFO, logging.WARNING)


def test_our_conditional_request_answered_304_is_not_an_error() -> None:
    verdict = classify_failure(http_error(304, SEED))
    assert verdict.counts == ("archiver/not_modified",) and not verdict.message
