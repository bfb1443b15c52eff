"""One crawl's WARC archive: turns captured exchanges into records, dedupes, writes, points.

Shared by the capture middleware and the metadata and media pipelines through
`archiver.middlewares.warc_capture.archive_for` (one per crawler, like `CrawlDir`), so all of them
append to the same files.
"""

from __future__ import annotations

import logging
import platform
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archiver.warc import httphead
from archiver.warc.digest_index import Capture, DigestStore, Validators
from archiver.warc.digests import sha1_digest
from archiver.warc.record_builder import (
    PROFILE_IDENTICAL,
    PROFILE_NOT_MODIFIED,
    Original,
    RecordIds,
    WarcRecord,
    conversion_record,
    metadata_record,
    request_record,
    response_record,
    revisit_record,
    warc_date,
)
from archiver.warc.writer import WarcFileWriter, Written

logger = logging.getLogger(__name__)


@dataclass
class Exchange:
    """One HTTP exchange ready to archive (bytes as captured, or rebuilt as a fallback)."""

    url: str
    request_block: bytes
    response_head: bytes
    payload: bytes
    date: str
    ip_address: str | None = None
    truncated: str | None = None
    not_modified_of: Capture | None = None  # set when our conditional request got a 304


@dataclass(frozen=True)
class Archived:
    """Result of archiving one exchange: the record's `warc` pointer and the payload digest."""

    pointer: dict[str, Any]
    digest: str
    record_type: str  # "response" or "revisit"


class WarcArchive:
    """Record building + dedupe + file writing for one crawl directory."""

    def __init__(
        self, writer: WarcFileWriter, crawl_id: str, index: DigestStore | None = None,
        ids: RecordIds | None = None,
    ) -> None:
        self.writer = writer
        self.crawl_id = crawl_id
        self.index = index
        self.ids = ids or writer.ids
        self.counts: dict[str, int] = {}

    def archive(self, exchange: Exchange) -> Archived:
        """Write the response (or revisit) record and its request record; return the pointer."""
        digest = sha1_digest(exchange.payload)
        date = exchange.date
        main_id = self.ids.make_id()
        main, original = self._main_record(exchange, digest, main_id)
        request = request_record(
            exchange.url, exchange.request_block, record_id=self.ids.make_id(), date=date,
            concurrent_to=main_id, ip_address=exchange.ip_address)
        written = self.writer.write([main, request])[0]
        self._count(main.warc_type)
        if exchange.not_modified_of is not None and original is not None:
            digest = original.payload_digest
        else:
            self._remember(exchange, digest, main if original is None else None, written)
        return Archived(self._pointer(main, written), digest, main.warc_type)

    def _main_record(
        self, exchange: Exchange, digest: str, record_id: str
    ) -> tuple[WarcRecord, Original | None]:
        """The response record, or a revisit (and the original it points at)."""
        status = httphead.status_code(exchange.response_head)
        date, ip = exchange.date, exchange.ip_address
        if status == 304 and exchange.not_modified_of is not None:
            original = _original(exchange.not_modified_of)
            head = exchange.response_head + exchange.payload  # a 304 body, if any, stays
            return revisit_record(exchange.url, head, original, record_id=record_id, date=date,
                                  profile=PROFILE_NOT_MODIFIED, ip_address=ip), original
        found = self._dedupe_candidate(exchange, digest)
        if found is not None:
            original = _original(found)
            return revisit_record(exchange.url, exchange.response_head, original,
                                  record_id=record_id, date=date, profile=PROFILE_IDENTICAL,
                                  ip_address=ip), original
        return response_record(exchange.url, exchange.response_head, exchange.payload,
                               record_id=record_id, date=date, ip_address=ip,
                               truncated=exchange.truncated), None

    def _dedupe_candidate(self, exchange: Exchange, digest: str) -> Capture | None:
        # Empty and truncated payloads are never deduplicated: nothing to save / not the payload.
        if self.index is None or exchange.truncated or not exchange.payload:
            return None
        return self.index.original(exchange.url, digest)

    def _remember(
        self, exchange: Exchange, digest: str, record: WarcRecord | None, written: Written
    ) -> None:
        """Index a new original (`record`), and the URL's latest validators for any full 200."""
        if self.index is None or exchange.truncated or not exchange.payload:
            return
        with self.index.transaction():
            if record is not None:
                self.index.add_original(Capture(
                    exchange.url, digest, self.crawl_id, written.filename, written.offset,
                    written.length, record.record_id, record.date))
            if httphead.status_code(exchange.response_head) == 200:
                etag = httphead.get_header(exchange.response_head, "ETag")
                modified = httphead.get_header(exchange.response_head, "Last-Modified")
                self.index.set_validators(exchange.url, Validators(digest, etag, modified))

    def write_metadata(
        self, target_uri: str, content: dict[str, Any], refers_to: str
    ) -> dict[str, Any]:
        """Write a metadata record about the response `refers_to`; returns its pointer."""
        return self._write_one(metadata_record(
            target_uri, content, record_id=self.ids.make_id(), date=warc_date(self.ids.now()),
            refers_to=refers_to))

    def write_conversion(self, target_uri: str, html: str, refers_to: str) -> dict[str, Any]:
        """Write HTML derived from the record `refers_to` (a rendered DOM); returns its pointer."""
        return self._write_one(conversion_record(
            target_uri, html, record_id=self.ids.make_id(), date=warc_date(self.ids.now()),
            refers_to=refers_to))

    def _write_one(self, record: WarcRecord) -> dict[str, Any]:
        written = self.writer.write([record])[0]
        self._count(record.warc_type)
        return self._pointer(record, written)

    def close(self) -> Path | None:
        """Close the current file (fsync + rename) and the digest index."""
        path = self.writer.close()
        if self.index is not None:
            self.index.close()
            self.index = None
        return path

    def _count(self, warc_type: str) -> None:
        self.counts[warc_type] = self.counts.get(warc_type, 0) + 1

    @staticmethod
    def _pointer(record: WarcRecord, written: Written) -> dict[str, Any]:
        return {"filename": written.filename, "offset": written.offset,
                "length": written.length, "record_id": record.record_id, "date": record.date}


def _original(capture: Capture) -> Original:
    return Original(capture.record_id, capture.url, capture.date, capture.digest)


def warcinfo_fields(settings: Any, crawl_id: str, versions: dict[str, str]) -> dict[str, str]:
    """warcinfo content: software, host, crawl id and a whitelist of non-secret settings."""
    info = {
        "software": " ".join(f"{name}/{ver}" for name, ver in versions.items()),
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "hostname": socket.gethostname(),
        "python": platform.python_version(),
        "isPartOf": crawl_id,
        "http-header-user-agent": str(settings.get("USER_AGENT") or ""),
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
    }
    contact = settings.get("ARCHIVER_CONTACT")
    if contact:
        info["operator"] = str(contact)
    for name in SAFE_SETTINGS:
        value = settings.get(name)
        if value not in (None, "", [], {}):
            info[f"setting-{name}"] = str(value)
    return info


# Settings copied into warcinfo. A whitelist, so proxies, credentials and API keys never leak.
SAFE_SETTINGS = (
    "BOT_NAME", "DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN", "DEPTH_LIMIT", "MAX_PAGES", "DOWNLOAD_TIMEOUT",
    "DOWNLOAD_MAXSIZE", "WARC_MAX_SIZE", "WARC_MAX_RECORD_SIZE", "WARC_DEDUPE",
    "WARC_CONDITIONAL_REQUESTS", "ARCHIVE_MEDIA",
)


def fetch_date(sent_at: float | None, fallback: datetime) -> str:
    """WARC-Date of an exchange: when its first request byte was sent."""
    if sent_at is None:
        return warc_date(fallback)
    return warc_date(datetime.fromtimestamp(sent_at, UTC))
