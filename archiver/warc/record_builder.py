"""Build WARC/1.1 records (warcinfo, request, response, revisit, metadata) as uncompressed bytes.

Records are assembled by hand rather than through warcio's builder so the HTTP head goes into the
block byte for byte as captured (warcio re-serializes headers from parsed pairs). Every builder
returns a `WarcRecord`; `WarcRecord.to_bytes()` is what the writer gzips.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from archiver.warc.digests import sha1_digest

WARC_VERSION = b"WARC/1.1"
HTTP_RESPONSE_TYPE = "application/http; msgtype=response"
HTTP_REQUEST_TYPE = "application/http; msgtype=request"
PROFILE_IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PROFILE_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


def new_record_id() -> str:
    """A fresh `<urn:uuid:...>` record id."""
    return f"<urn:uuid:{uuid.uuid4()}>"


def warc_date(moment: datetime | None = None) -> str:
    """WARC/1.1 date with microseconds, UTC (`2026-01-02T03:04:05.123456Z`)."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class RecordIds:
    """Source of record ids and dates; tests pass fixed ones for byte-identical golden files."""

    make_id: Callable[[], str] = new_record_id
    now: Callable[[], datetime] = lambda: datetime.now(UTC)


@dataclass
class WarcRecord:
    warc_type: str
    record_id: str
    date: str
    target_uri: str | None
    block: bytes
    fields: list[tuple[str, str]] = field(default_factory=list)  # further WARC named fields

    def to_bytes(self) -> bytes:
        """The serialized record: version line, named fields, block, CRLF CRLF."""
        lines = [
            WARC_VERSION,
            b"WARC-Type: " + self.warc_type.encode(),
            b"WARC-Record-ID: " + self.record_id.encode(),
            b"WARC-Date: " + self.date.encode(),
        ]
        if self.target_uri is not None:
            lines.append(b"WARC-Target-URI: " + _header_safe(self.target_uri))
        lines.extend(name.encode() + b": " + _header_safe(value) for name, value in self.fields)
        lines.append(b"Content-Length: " + str(len(self.block)).encode())
        return b"\r\n".join(lines) + b"\r\n\r\n" + self.block + b"\r\n\r\n"


def _header_safe(value: str) -> bytes:
    """A field value on one line; non-ASCII URIs stay UTF-8 as WARC/1.1 allows."""
    return value.replace("\r", " ").replace("\n", " ").encode("utf-8")


def response_record(
    url: str,
    head: bytes,
    payload: bytes,
    *,
    record_id: str,
    date: str,
    ip_address: str | None = None,
    truncated: str | None = None,
) -> WarcRecord:
    """A `response` record: captured head + payload (de-chunked, still content-encoded)."""
    block = head + payload
    fields = [("Content-Type", HTTP_RESPONSE_TYPE)]
    if ip_address:
        fields.append(("WARC-IP-Address", ip_address))
    if truncated:
        fields.append(("WARC-Truncated", truncated))
    fields.append(("WARC-Payload-Digest", sha1_digest(payload)))
    fields.append(("WARC-Block-Digest", sha1_digest(block)))
    return WarcRecord("response", record_id, date, url, block, fields)


def request_record(
    url: str, block: bytes, *, record_id: str, date: str, concurrent_to: str,
    ip_address: str | None = None,
) -> WarcRecord:
    """A `request` record holding the bytes sent, linked to its response by WARC-Concurrent-To."""
    fields = [("Content-Type", HTTP_REQUEST_TYPE), ("WARC-Concurrent-To", concurrent_to)]
    if ip_address:
        fields.append(("WARC-IP-Address", ip_address))
    fields.append(("WARC-Block-Digest", sha1_digest(block)))
    return WarcRecord("request", record_id, date, url, block, fields)


@dataclass
class Original:
    """The record a revisit points at."""

    record_id: str
    url: str
    date: str
    payload_digest: str


def revisit_record(
    url: str, head: bytes, original: Original, *, record_id: str, date: str,
    profile: str = PROFILE_IDENTICAL, ip_address: str | None = None,
) -> WarcRecord:
    """A `revisit` record: the new response head only, payload found at `original`."""
    fields = [("Content-Type", HTTP_RESPONSE_TYPE)]
    if ip_address:
        fields.append(("WARC-IP-Address", ip_address))
    fields += [
        ("WARC-Profile", profile),
        ("WARC-Refers-To", original.record_id),
        ("WARC-Refers-To-Target-URI", original.url),
        ("WARC-Refers-To-Date", original.date),
        ("WARC-Payload-Digest", original.payload_digest),
        ("WARC-Block-Digest", sha1_digest(head)),
    ]
    return WarcRecord("revisit", record_id, date, url, head, fields)


def metadata_record(
    target_uri: str, content: dict[str, Any], *, record_id: str, date: str, refers_to: str
) -> WarcRecord:
    """A `metadata` record (JSON) about a response; `target_uri` must not be the page's URL."""
    block = json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")
    fields = [
        ("Content-Type", "application/json"),
        ("WARC-Concurrent-To", refers_to),
        ("WARC-Refers-To", refers_to),
        ("WARC-Block-Digest", sha1_digest(block)),
    ]
    return WarcRecord("metadata", record_id, date, target_uri, block, fields)


def conversion_record(
    target_uri: str, html: str, *, record_id: str, date: str, refers_to: str
) -> WarcRecord:
    """A `conversion` record holding HTML (UTF-8) derived from the record `refers_to`, such as a
    page's DOM after its scripts ran; `target_uri` must not be the page's URL."""
    block = html.encode("utf-8", "replace")
    digest = sha1_digest(block)
    fields = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("WARC-Refers-To", refers_to),
        ("WARC-Payload-Digest", digest),
        ("WARC-Block-Digest", digest),
    ]
    return WarcRecord("conversion", record_id, date, target_uri, block, fields)


def warcinfo_record(
    filename: str, info: dict[str, str], *, record_id: str, date: str
) -> WarcRecord:
    """The `warcinfo` record opening each file (application/warc-fields)."""
    body = "".join(f"{key}: {_one_line(value)}\r\n" for key, value in info.items())
    block = body.encode("utf-8")
    fields = [
        ("WARC-Filename", filename),
        ("Content-Type", "application/warc-fields"),
        ("WARC-Block-Digest", sha1_digest(block)),
    ]
    return WarcRecord("warcinfo", record_id, date, None, block, fields)


def _one_line(value: str) -> str:
    return " ".join(str(value).split())
