"""`page_response(record)` / `page_html(record)`: the archived page behind a record's WARC pointer.

The WARC side (`archiver.warc.read_response`) finds the file, reads the record at the pointer,
follows a revisit to its original and removes Content-Encoding. This module adds what a reader of
pages needs on top: records from any crawl of the archive, a chunked body left by another tool
de-chunked, and the text decoded the way browsers do (BOM, then HTTP charset, then <meta>).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from w3lib.encoding import html_to_unicode

from archiver.load.records import LoadedRecord
from archiver.load.typed import Record, WarcPointer
from archiver.warc import decode_content, read_response


@dataclass
class PageResponse:
    """An archived HTTP response: status, headers as sent, body without transfer/content coding."""

    url: str
    status: int
    headers: list[tuple[str, str]]  # wire order and case, repeated headers kept
    body: bytes
    record_id: str
    date: str
    revisit_of: str | None = None  # the original's record id when the pointer is a revisit

    def header(self, name: str, default: str | None = None) -> str | None:
        """First value of a header, case-insensitively."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), default)

    @property
    def encoding(self) -> str:
        return self._decoded()[0]

    @property
    def text(self) -> str:
        """The body as text: BOM, then the Content-Type charset, then <meta charset>, else UTF-8."""
        return self._decoded()[1]

    def _decoded(self) -> tuple[str, str]:
        return html_to_unicode(self.header("Content-Type"), self.body)  # type: ignore[no-any-return]


def page_response(record: Mapping[str, Any] | Record, directory: str | Path | None = None) -> PageResponse:
    """The response archived for `record`; `directory` is needed only for plain dicts (the crawl or archive dir)."""
    pointer = _pointer(record)
    stored = read_response(_directory(record, directory), pointer)
    body = stored.body
    encoding = _header(stored.headers, "Content-Encoding") or ""
    if "chunked" in (_header(stored.headers, "Transfer-Encoding") or "").lower():
        body = decode_content(dechunk(stored.payload), encoding)  # written by a tool that kept chunks
    return PageResponse(url=stored.url, status=stored.status, headers=stored.headers, body=body,
                        record_id=stored.record_id, date=stored.date, revisit_of=stored.revisit_of)


def page_html(record: Mapping[str, Any] | Record, directory: str | Path | None = None) -> str:
    """The archived page of `record` as text (decoded body, charset as a browser would pick it)."""
    return page_response(record, directory).text


def dechunk(payload: bytes) -> bytes:
    """Undo HTTP/1.1 chunked transfer coding; a body that is not validly chunked is returned as is."""
    out: list[bytes] = []
    position = 0
    while True:
        line_end = payload.find(b"\r\n", position)
        if line_end < 0:
            return payload
        size_text = payload[position:line_end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return payload
        if size == 0:
            return b"".join(out)
        start = line_end + 2
        out.append(payload[start:start + size])
        position = start + size + 2
        if position > len(payload):
            return payload


def _pointer(record: Mapping[str, Any] | Record) -> dict[str, Any]:
    pointer = record.warc if isinstance(record, Record) else record.get("warc")
    if isinstance(pointer, WarcPointer):
        return {"filename": pointer.filename, "offset": pointer.offset, "length": pointer.length,
                "record_id": pointer.record_id, "date": pointer.date}
    if not isinstance(pointer, Mapping) or not pointer.get("filename"):
        url = record.url if isinstance(record, Record) else record.get("url")
        raise LookupError(f"record {url} has no WARC pointer (crawled with WARC_ENABLED off?)")
    return dict(pointer)


def _directory(record: Mapping[str, Any] | Record, directory: str | Path | None) -> Path:
    if directory is not None:
        return Path(directory)
    source = record.source if isinstance(record, LoadedRecord | Record) else None
    if source is None:
        raise ValueError("pass directory= (the crawl or archive directory) for a record not read by records()")
    return source.parent


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), None)
