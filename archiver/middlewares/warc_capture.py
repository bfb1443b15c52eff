"""The Scrapy downloader middleware that archives every exchange, and the per-crawler archive.

`WarcCaptureMiddleware` sits at 950: `process_response` runs from the highest number down, so it
sees responses before HttpCompressionMiddleware (590) decodes them and before RedirectMiddleware
(600) swallows 3xx. Robots.txt, sitemaps, feeds, comment pages and REST JSON all pass through the
downloader, so all of them are archived. Pointers go to `request.meta` (`archiver_warc`,
`archiver_digest`); spiders read them with `archiver.warc.pointer_for(response)`.
"""

from __future__ import annotations

import logging
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
import twisted
from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.misc import load_object

from archiver import __version__
from archiver.crawldir import CrawlDir
from archiver.defaults import setting, setting_bool, setting_int
from archiver.download_handlers.wire import WireCapture
from archiver.per_crawler import per_crawler
from archiver.request_meta import (
    CONDITIONAL_KEY,
    DIGEST_KEY,
    NO_CONDITIONAL_KEY,
    POINTER_KEY,
    RECORD_TYPE_KEY,
    WIRE_KEY,
)
from archiver.warc import httphead
from archiver.warc.archive import Exchange, WarcArchive, fetch_date, warcinfo_fields
from archiver.warc.digest_index import DigestIndex, DigestStore
from archiver.warc.writer import WarcFileWriter

logger = logging.getLogger(__name__)



@per_crawler
def archive_for(crawler: Any) -> WarcArchive:
    """The one `WarcArchive` of this crawler (created on first use, closed at spider_closed)."""
    settings = crawler.settings
    crawl_dir = CrawlDir.from_crawler(crawler)
    versions = {"archiver": __version__, "scrapy": scrapy.__version__,
                "twisted": twisted.__version__, "python": platform.python_version()}
    writer = WarcFileWriter(
        crawl_dir.path,
        prefix=setting(settings, "WARC_PREFIX"),
        max_size=setting_int(settings, "WARC_MAX_SIZE"),
        info=warcinfo_fields(settings, crawl_dir.crawl_id, versions),
    )
    index = _digest_index(settings, crawl_dir.root)
    archive = WarcArchive(writer, crawl_dir.crawl_id, index)
    crawler.signals.connect(_closer(crawler, archive), signal=signals.spider_closed, weak=False)
    return archive


def _digest_index(settings: Any, archive_dir: Path) -> DigestStore | None:
    """The digest index: WARC_DIGEST_INDEX_FACTORY(settings, archive_dir) if set (the distributed
    setup points it at a shared Redis index), else the SQLite file in ARCHIVE_DIR."""
    if not setting_bool(settings, "WARC_DEDUPE"):
        return None
    factory = settings.get("WARC_DIGEST_INDEX_FACTORY")
    if factory:
        return load_object(factory)(settings, archive_dir)  # type: ignore[no-any-return]
    return DigestIndex.in_archive(archive_dir)


def _closer(crawler: Any, archive: WarcArchive) -> Any:
    def close(spider: Any = None) -> None:
        archive.close()
        for warc_type, count in archive.counts.items():
            crawler.stats.set_value(f"warc/records/{warc_type}", count)
    return close


class WarcCaptureMiddleware:
    """Archives every downloaded response with its request (see module docstring)."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        if not setting_bool(settings, "WARC_ENABLED"):
            raise NotConfigured("WARC_ENABLED is off")
        self.archive = archive_for(crawler)
        self.max_record_size = setting_int(settings, "WARC_MAX_RECORD_SIZE")
        self.conditional = setting_bool(settings, "WARC_CONDITIONAL_REQUESTS")
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcCaptureMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        """Add If-None-Match / If-Modified-Since from the digest index (if enabled)."""
        index = self.archive.index
        if not self.conditional or index is None or request.method != "GET":
            return
        if request.meta.get(NO_CONDITIONAL_KEY) or request.url.endswith("/robots.txt"):
            return  # a 304 for robots.txt would read as "no rules"
        if b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return
        validators = index.validators(request.url)
        original = validators and index.original(request.url, validators.digest)
        if not validators or original is None:
            return
        if validators.etag:
            request.headers[b"If-None-Match"] = validators.etag.encode("latin-1")
        if validators.last_modified:
            request.headers[b"If-Modified-Since"] = validators.last_modified.encode("latin-1")
        if validators.etag or validators.last_modified:
            request.meta[CONDITIONAL_KEY] = original

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        if "cached" in response.flags or not response.url.startswith(("http://", "https://")):
            request.meta.pop(WIRE_KEY, None)
            return response  # not an exchange with a server: nothing to archive
        exchange = self._exchange(request, response)
        archived = self.archive.archive(exchange)
        request.meta[POINTER_KEY] = archived.pointer
        request.meta[DIGEST_KEY] = archived.digest
        request.meta[RECORD_TYPE_KEY] = archived.record_type
        return response

    def _exchange(self, request: Request, response: Response) -> Exchange:
        capture: WireCapture | None = request.meta.pop(WIRE_KEY, None)
        conditional = request.meta.pop(CONDITIONAL_KEY, None)
        head = bytes(capture.response_head) if capture and capture.response_head else b""
        if not head:
            head = httphead.build_response_head(
                response.protocol, response.status, response.headers.items())
        head = httphead.rename_transfer_encoding(httphead.ensure_head_terminated(head))
        payload, truncated = response.body, None
        if self.max_record_size and len(payload) > self.max_record_size:
            payload, truncated = payload[: self.max_record_size], "length"
        elif "dataloss" in response.flags:
            truncated = "disconnect"
        elif "download_stopped" in response.flags:  # a spider's StopDownload
            truncated = "unspecified"
        return Exchange(
            url=response.url,
            request_block=_request_block(request, capture),
            response_head=head,
            payload=payload,
            date=fetch_date(capture.sent_at if capture else None, datetime.now(UTC)),
            ip_address=str(response.ip_address) if response.ip_address else None,
            truncated=truncated,
            not_modified_of=conditional,
        )


def _request_block(request: Request, capture: WireCapture | None) -> bytes:
    """Request bytes as sent (proxy credentials removed), or rebuilt when not captured."""
    if capture and capture.request_bytes:
        block = bytes(capture.request_bytes)
    else:
        parts = urlsplit(request.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host = [(b"Host", [parts.netloc.encode("idna")])]
        block = httphead.build_request_head(
            request.method, target, host + list(request.headers.items())) + (request.body or b"")
    head, sep, body = block.partition(b"\r\n\r\n")
    return httphead.remove_header(head + sep, "Proxy-Authorization") + body

