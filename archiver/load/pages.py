"""`page_response(record)` / `page_html(record)`: the archived page behind a record's WARC pointer.

The common case — a `response` record in the record's own crawl folder — is one seek and one gzip
member (`archiver.warc.reader.read_record`); an uncompressed WARC from another tool is read with
warcio at the offset. Everything else (a revisit, whose payload lives in an earlier capture, or a
file in another crawl folder) goes through `archiver.warc.read_response`, which follows revisits
across the archive. On top: a chunked body left by another tool is de-chunked, Content-Encoding is
removed, and the text is decoded the way browsers do (BOM, then HTTP charset, then <meta>), with
the charset detected when nothing declares one (`archiver.extract.charset`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from archiver.crawldir import OPEN_SUFFIX
from archiver.extract.charset import decode_html_with_encoding
from archiver.load.records import LoadedRecord
from archiver.load.typed import Record, WarcPointer
from archiver.warc import decode_content, httphead, read_response
from archiver.warc.reader import read_record


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
        return self._decoded[0]

    @property
    def text(self) -> str:
        """The body as text: BOM, then the Content-Type charset, then <meta charset>, else UTF-8 when
        the bytes are UTF-8, else the detected charset (as `archiver extract` decodes saved bytes)."""
        return self._decoded[1]

    @functools.cached_property
    def _decoded(self) -> tuple[str, str]:
        """Decoded once: detection on an undeclared page is the costly part."""
        return decode_html_with_encoding(self.body, self.header("Content-Type"))


def page_response(record: Mapping[str, Any] | Record, directory: str | Path | None = None) -> PageResponse:
    """The response archived for `record`; `directory` is needed only for plain dicts (the crawl or archive dir)."""
    pointer = _pointer(record)
    base = _directory(record, directory)
    direct = _read_direct(base, pointer)
    if direct is not None:
        return direct
    stored = read_response(base, pointer)  # a revisit, or a file elsewhere in the archive
    body = stored.body
    if _is_chunked(stored.headers):
        body = decode_content(dechunk(stored.payload), _header(stored.headers, "Content-Encoding") or "")
    return PageResponse(url=stored.url, status=stored.status, headers=stored.headers, body=body,
                        record_id=stored.record_id, date=stored.date, revisit_of=stored.revisit_of)


def _read_direct(base: Path, pointer: dict[str, Any]) -> PageResponse | None:
    """The common case in one seek: a response record in the record's own crawl folder."""
    path = base / str(pointer["filename"])
    if not path.is_file():
        path = path.with_name(path.name + OPEN_SUFFIX)  # the crawl is still writing it
        if not path.is_file():
            return None
    if ".gz" in path.suffixes:
        raw = read_record(path, int(pointer["offset"]), int(pointer.get("length") or 0) or None)
        if raw.warc_type != "response":
            return None
        url, record_id, date, block = (raw.get("WARC-Target-URI") or "", raw.get("WARC-Record-ID") or "",
                                       raw.get("WARC-Date") or "", raw.block)
    else:  # an uncompressed WARC (another tool's): let warcio parse the record at the offset
        with open(path, "rb") as stream:
            stream.seek(int(pointer["offset"]))
            found = next(iter(ArchiveIterator(stream)), None)
            if found is None or found.rec_type != "response":
                return None
            url, record_id, date = (found.rec_headers.get_header(name) or "" for name in
                                    ("WARC-Target-URI", "WARC-Record-ID", "WARC-Date"))
            # warcio has parsed the HTTP head already; serialize it back (order and case kept)
            block = found.http_headers.to_bytes() + found.raw_stream.read()
    head, payload = httphead.split_message(block)
    headers = httphead.header_fields(head)
    if _is_chunked(headers):
        payload = dechunk(payload)
    body = decode_content(payload, _header(headers, "Content-Encoding") or "")
    return PageResponse(url=url, status=httphead.status_code(head), headers=headers, body=body,
                        record_id=record_id, date=date)


def _is_chunked(headers: list[tuple[str, str]]) -> bool:
    return "chunked" in (_header(headers, "Transfer-Encoding") or "").lower()


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
