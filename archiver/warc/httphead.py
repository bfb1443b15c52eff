"""HTTP message heads as bytes: keep the wire form, read fields from it, or rebuild it (fallback).

The archive stores the status line and header lines exactly as received (order, case, repeats,
spacing); this module never re-serializes a captured head, it only renames `Transfer-Encoding`
(the stored body is de-chunked) and reads values out of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus

_TE = b"transfer-encoding"
_RENAMED_TE = b"X-Orig-Transfer-Encoding"


def split_lines(head: bytes) -> list[bytes]:
    """The head's lines with their own line endings (CRLF or a lenient bare LF)."""
    return head.splitlines(keepends=True)


def split_message(block: bytes) -> tuple[bytes, bytes]:
    """(head with its blank line, payload) of an HTTP message block (CRLF, or a lenient bare LF)."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        index = block.find(separator)
        if index >= 0:
            end = index + len(separator)
            return block[:end], block[end:]
    return block, b""


def header_fields(head: bytes) -> list[tuple[str, str]]:
    """(name, value) pairs in wire order, obs-folded continuations joined; names keep their case."""
    fields: list[tuple[str, str]] = []
    for line in split_lines(head)[1:]:
        text = line.decode("latin-1").rstrip("\r\n")
        if not text:
            break
        if text[0] in " \t" and fields:
            name, value = fields[-1]
            fields[-1] = (name, f"{value} {text.strip()}")
        elif ":" in text:
            name, value = text.split(":", 1)
            fields.append((name.strip(), value.strip()))
    return fields


def get_header(head: bytes, name: str) -> str | None:
    """First value of header `name` (case-insensitive), or None."""
    wanted = name.lower()
    for key, value in header_fields(head):
        if key.lower() == wanted:
            return value
    return None


def status_code(head: bytes) -> int:
    """Status code of a response head (0 when the status line is malformed)."""
    parts = split_lines(head)[0].split(None, 2) if head else []
    try:
        return int(parts[1])
    except (IndexError, ValueError):
        return 0


def rename_transfer_encoding(head: bytes) -> bytes:
    """The head with every `Transfer-Encoding` header renamed `X-Orig-Transfer-Encoding`.

    The stored body is already de-chunked; leaving the header would make WARC readers (warcio,
    pywb) de-chunk it a second time and fail.
    """
    if _TE not in head.lower():
        return head
    out = []
    for line in split_lines(head):
        name, sep, rest = line.partition(b":")
        if sep and name.strip().lower() == _TE and line[:1] not in b" \t":
            line = _RENAMED_TE + sep + rest
        out.append(line)
    return b"".join(out)


def ensure_head_terminated(head: bytes) -> bytes:
    """The head ending in its blank line (captures always do; rebuilt heads get one)."""
    if head.endswith(b"\r\n\r\n") or head.endswith(b"\n\n"):
        return head
    return head.rstrip(b"\r\n") + b"\r\n\r\n"


def build_response_head(
    protocol: str | None, status: int, headers: Iterable[tuple[bytes, list[bytes]]]
) -> bytes:
    """A head rebuilt from parsed values, used only when no wire capture exists (e.g. HTTP/2)."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    lines = [f"{protocol or 'HTTP/1.1'} {status} {reason}".rstrip().encode("latin-1")]
    for name, values in headers:
        lines.extend(name + b": " + value for value in values)
    return b"\r\n".join(lines) + b"\r\n\r\n"


def build_request_head(
    method: str, target: str, headers: Iterable[tuple[bytes, list[bytes]]]
) -> bytes:
    """A request head rebuilt from the Scrapy request, when the bytes sent were not captured."""
    lines = [f"{method} {target} HTTP/1.1".encode("latin-1")]
    for name, values in headers:
        lines.extend(name + b": " + value for value in values)
    return b"\r\n".join(lines) + b"\r\n\r\n"


def remove_header(head: bytes, name: str) -> bytes:
    """The head without header `name` (used to keep proxy credentials out of the archive)."""
    wanted = name.lower().encode("latin-1")
    out, skipping = [], False
    for line in split_lines(head):
        if skipping and line[:1] in b" \t":
            continue
        key, sep, _ = line.partition(b":")
        skipping = bool(sep) and key.strip().lower() == wanted
        if not skipping:
            out.append(line)
    return b"".join(out)
