"""Read an archived response back by its pointer, following revisits to the original payload.

This is the WARC half of `archiver.load.page_html`: `read_response(dir, pointer)` returns the
status, the headers as archived and the body with its Content-Encoding removed.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import brotli

try:  # Scrapy advertises zstd when this module is importable, so archives may hold zstd bodies
    from backports import zstd
except ImportError:  # pragma: no cover
    zstd = None  # type: ignore[assignment]

from archiver.crawldir import OPEN_SUFFIX
from archiver.warc import httphead
from archiver.warc.digest_index import INDEX_NAME, DigestIndex
from archiver.warc.reader import RawRecord, iter_records, read_record


@dataclass
class StoredResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]  # wire order and case
    body: bytes  # content-decoded
    payload: bytes  # as archived (still content-encoded)
    record_id: str
    date: str
    revisit_of: str | None = None  # record id of the original, when the pointer was a revisit


def read_response(directory: str | Path, pointer: Mapping[str, Any]) -> StoredResponse:
    """The response behind `pointer` (a record's `warc`), from an archive or crawl directory."""
    directory = Path(directory)
    record = read_record(_locate(directory, pointer["filename"]), int(pointer["offset"]))
    if record.warc_type == "response":
        return _stored(record, record)
    if record.warc_type != "revisit":
        raise ValueError(f"pointer is a {record.warc_type!r} record, not a response")
    original = _follow(directory, record)
    if (record.get("WARC-Profile") or "").endswith("server-not-modified"):
        stored = _stored(original, original)  # a 304 carries no page: show the original
    else:
        stored = _stored(record, original)
    stored.revisit_of = original.get("WARC-Record-ID")
    return stored


def _stored(head_record: RawRecord, payload_record: RawRecord) -> StoredResponse:
    head, payload = httphead.split_message(head_record.block)
    if payload_record is not head_record:
        _, payload = httphead.split_message(payload_record.block)
    headers = httphead.header_fields(head)
    encoding = next((v for k, v in headers if k.lower() == "content-encoding"), "")
    return StoredResponse(
        url=head_record.get("WARC-Target-URI") or "",
        status=httphead.status_code(head),
        headers=headers,
        body=decode_content(payload, encoding),
        payload=payload,
        record_id=head_record.get("WARC-Record-ID") or "",
        date=head_record.get("WARC-Date") or "",
    )


def decode_content(payload: bytes, content_encoding: str) -> bytes:
    """Undo Content-Encoding (gzip, x-gzip, deflate, br; several applied in reverse order)."""
    for coding in reversed([c.strip().lower() for c in content_encoding.split(",") if c.strip()]):
        if coding in ("gzip", "x-gzip"):
            payload = zlib.decompressobj(zlib.MAX_WBITS | 32).decompress(payload)
        elif coding == "deflate":
            try:
                payload = zlib.decompress(payload)
            except zlib.error:  # raw deflate without the zlib wrapper, as some servers send
                payload = zlib.decompressobj(-zlib.MAX_WBITS).decompress(payload)
        elif coding == "br":
            payload = brotli.decompress(payload)
        elif coding == "zstd" and zstd is not None:
            payload = zstd.decompress(payload)
        elif coding not in ("identity", ""):
            raise ValueError(f"unsupported Content-Encoding {coding!r}")
    return payload


def _archive_root(directory: Path) -> Path:
    return directory if (directory / INDEX_NAME).exists() else directory.parent


def _locate(directory: Path, filename: str) -> Path:
    """The WARC file `filename` in the crawl directory or any crawl directory under it."""
    if "/" in filename or "\\" in filename:
        raise ValueError(f"pointer filename must be a bare name: {filename!r}")
    for base in (directory, *sorted(p for p in directory.iterdir() if p.is_dir())):
        for name in (filename, filename + OPEN_SUFFIX):
            if (base / name).is_file():
                return base / name
    parent = directory.parent
    for name in (filename, filename + OPEN_SUFFIX):
        for candidate in parent.glob(f"*/{name}"):
            return candidate
    raise FileNotFoundError(f"{filename} not found under {directory}")


def _follow(directory: Path, revisit: RawRecord) -> RawRecord:
    """The original record of a revisit: via the digest index, else by scanning the archive."""
    refers_to = revisit.get("WARC-Refers-To") or ""
    root = _archive_root(directory)
    if (root / INDEX_NAME).exists():
        index = DigestIndex(root / INDEX_NAME, readonly=True)
        try:
            capture = index.by_record_id(refers_to)
        finally:
            index.close()
        if capture is not None:
            return read_record(_locate(root / capture.crawl_id, capture.filename), capture.offset)
    # Closed files first, then `.open` ones: a worker that died (distributed crawls share one
    # digest index) leaves its originals, whole, in a file nobody has repaired yet.
    for path in [*sorted(root.rglob("*.warc.gz")), *sorted(root.rglob("*.warc.gz" + OPEN_SUFFIX))]:
        try:
            for record in iter_records(path):
                if record.get("WARC-Record-ID") == refers_to:
                    return record
        except (OSError, ValueError, EOFError):
            continue  # a crashed file's cut-off last record ends the scan of that file
    raise LookupError(f"original record {refers_to} of revisit not found under {root}")
