"""Read our WARC files back: one gzip member = one record, with its offset and length.

Independent of warcio on purpose: `verify` must find exact member boundaries (to cut a crashed
`.open` file at the last whole record) and `read_response` must read one record by pointer.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 1 << 16


class RecordError(ValueError):
    """A member that is not one well-formed WARC record."""


@dataclass
class RawRecord:
    offset: int
    length: int  # compressed length of the gzip member
    version: str
    fields: list[tuple[str, str]]
    block: bytes

    def get(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.fields:
            if key.lower() == wanted:
                return value
        return None

    @property
    def warc_type(self) -> str:
        return self.get("WARC-Type") or ""


def parse_record(data: bytes, offset: int = 0, length: int = 0) -> RawRecord:
    """Parse one uncompressed WARC record, checking Content-Length and the trailing CRLF CRLF."""
    head, sep, rest = data.partition(b"\r\n\r\n")
    if not sep:
        raise RecordError("no end of WARC header")
    lines = head.decode("utf-8", "replace").split("\r\n")
    version = lines[0]
    if not version.startswith("WARC/"):
        raise RecordError(f"not a WARC record: {version[:20]!r}")
    fields = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon:
            raise RecordError(f"bad WARC header line {line[:40]!r}")
        fields.append((name.strip(), value.strip()))
    record = RawRecord(offset, length, version, fields, b"")
    size = record.get("Content-Length")
    if size is None or not size.isdigit():
        raise RecordError("missing Content-Length")
    block, tail = rest[: int(size)], rest[int(size):]
    if len(block) != int(size):
        raise RecordError("block shorter than Content-Length")
    if tail != b"\r\n\r\n":
        raise RecordError("record does not end with CRLF CRLF")
    record.block = block
    return record


def iter_members(path: Path) -> Iterator[tuple[int, int, bytes]]:
    """(offset, length, uncompressed bytes) of each gzip member; raises at the first bad one."""
    with open(path, "rb") as handle:
        base, pending = 0, b""
        while True:
            if not pending:
                pending = handle.read(_CHUNK)
                if not pending:
                    return
            decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
            out: list[bytes] = []
            fed, data = 0, pending
            while True:
                try:
                    out.append(decompressor.decompress(data))
                except zlib.error as exc:
                    raise RecordError(f"bad gzip member at offset {base}: {exc}") from exc
                fed += len(data)
                if decompressor.eof:
                    break
                data = handle.read(_CHUNK)
                if not data:
                    raise RecordError(f"truncated gzip member at offset {base}")
            pending = decompressor.unused_data
            length = fed - len(pending)
            yield base, length, b"".join(out)
            base += length


def iter_records(path: Path) -> Iterator[RawRecord]:
    """Every record of a per-record-gzipped WARC file, with offsets."""
    for offset, length, data in iter_members(path):
        yield parse_record(data, offset, length)


def read_record(path: Path, offset: int, length: int | None = None) -> RawRecord:
    """The record whose gzip member starts at `offset`."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        out, used = [], 0
        while not decompressor.eof:
            chunk = handle.read(length or _CHUNK)
            if not chunk:
                raise RecordError(f"truncated gzip member at offset {offset}")
            out.append(decompressor.decompress(chunk))
            used += len(chunk) - len(decompressor.unused_data)
    return parse_record(b"".join(out), offset, used)
