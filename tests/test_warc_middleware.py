"""WarcCaptureMiddleware in-process: fallback heads, conditional requests, pointers, skips."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from archiver.middlewares.warc_capture import WarcCaptureMiddleware, archive_for
from archiver.request_meta import NO_CONDITIONAL_KEY
from archiver.warc import pointer_for, read_response
from archiver.warc.digest_index import Validators
from archiver.warc.digests import sha1_digest
from archiver.warc.reader import iter_records

BODY = b"<html><body><p>fallback</p></body></html>"


def middleware(tmp_path: Path, **settings: Any) -> tuple[Any, WarcCaptureMiddleware]:
    crawler = get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path), "CRAWL_ID": "mw",
                                         **settings})
    return crawler, WarcCaptureMiddleware.from_crawler(crawler)


def respond(mw: WarcCaptureMiddleware, request: Request, **kwargs: Any) -> Response:
    response = HtmlResponse(request.url, body=BODY, request=request, protocol="HTTP/1.1",
                            headers={"Content-Type": "text/html", "Set-Cookie": ["a=1", "b=2"]},
                            **kwargs)
    return mw.process_response(request, response)  # type: ignore[no-any-return]


def test_without_wire_capture_the_head_is_rebuilt(tmp_path: Path) -> None:
    crawler, mw = middleware(tmp_path)
    request = Request("http://example.org/a?x=1", headers={"User-Agent": "t"})
    response = respond(mw, request)
    archive_for(crawler).close()
    pointer, digest = pointer_for(response)
    assert pointer is not None and digest == sha1_digest(BODY)
    stored = read_response(tmp_path / "mw", pointer)
    assert stored.body == BODY and stored.status == 200
    assert [v for k, v in stored.headers if k == "Set-Cookie"] == ["a=1", "b=2"]
    path = tmp_path / "mw" / pointer["filename"]
    request_record = [r for r in iter_records(path) if r.warc_type == "request"][0]
    assert request_record.block.startswith(b"GET /a?x=1 HTTP/1.1\r\nHost: example.org\r\n")


def test_conditional_headers_come_from_the_index(tmp_path: Path) -> None:
    crawler, mw = middleware(tmp_path, WARC_CONDITIONAL_REQUESTS=True)
    respond(mw, Request("http://example.org/a"))
    index = archive_for(crawler).index
    assert index is not None
    index.set_validators("http://example.org/a", Validators(sha1_digest(BODY), '"e1"', None))
    again = Request("http://example.org/a")
    mw.process_request(again)
    assert again.headers.get("If-None-Match") == b'"e1"'
    opted_out = Request("http://example.org/a", meta={NO_CONDITIONAL_KEY: True})
    robots = Request("http://example.org/robots.txt")
    unknown = Request("http://example.org/b")
    for request in (opted_out, robots, unknown):
        mw.process_request(request)
        assert b"If-None-Match" not in request.headers, request
    archive_for(crawler).close()


def test_cached_and_non_http_responses_are_not_archived(tmp_path: Path) -> None:
    crawler, mw = middleware(tmp_path)
    cached = respond(mw, Request("http://example.org/c"), flags=["cached"])
    data = Response("data:text/plain,hi", body=b"hi", request=Request("data:text/plain,hi"))
    mw.process_response(data.request, data)  # type: ignore[arg-type]
    assert pointer_for(cached) == (None, None) and pointer_for(data) == (None, None)
    archive_for(crawler).close()
    assert not list(tmp_path.rglob("*.warc.gz"))


def custom_index(settings: Any, archive_dir: Path) -> Any:
    """A WARC_DIGEST_INDEX_FACTORY for the test: the SQLite index under another name."""
    from archiver.warc.digest_index import DigestIndex

    return DigestIndex(archive_dir / "custom.sqlite3")


def test_digest_index_factory_setting(tmp_path: Path) -> None:
    crawler, mw = middleware(
        tmp_path, WARC_DIGEST_INDEX_FACTORY="tests.test_warc_middleware.custom_index")
    first = respond(mw, Request("http://example.org/a"))
    second = respond(mw, Request("http://example.org/a"))
    archive_for(crawler).close()
    assert (first.meta["archiver_warc_type"], second.meta["archiver_warc_type"]) == (
        "response", "revisit")
    assert (tmp_path / "custom.sqlite3").exists()
    assert not (tmp_path / "warc-dedupe.sqlite3").exists()
