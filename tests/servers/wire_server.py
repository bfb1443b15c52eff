"""A raw-socket HTTP/1.1 test server whose every byte is known (stdlib asyncio + brotli).

Each route returns the exact head and body bytes it sends; tests import `ROUTES` / `response_for`
to compare the archive with what went over the wire. Run: `python wire_server.py [CERT KEY]`
(prints the HTTP port, then the HTTPS port when given a certificate).
"""

from __future__ import annotations

import asyncio
import gzip
import ssl
import sys
import zlib
from dataclasses import dataclass

import brotli

HTML = b"<!doctype html><html><head><title>Wire test</title></head><body>" + (
    b"<p>Archive me byte for byte. \xc3\xa9\xc3\xa8</p>" * 40
) + b"</body></html>"
PNG = bytes(range(256)) * 8  # binary payload with every byte value
DATE = b"Date: Mon, 02 Jan 2023 03:04:05 GMT\r\n"
ETAG = b'"v1-etag"'
LAST_MODIFIED = b"Mon, 02 Jan 2023 00:00:00 GMT"


@dataclass
class Wire:
    status_line: bytes
    headers: list[bytes]  # header lines without CRLF, exactly as sent
    body: bytes  # payload before transfer coding (what the archive must hold)
    chunked: bool = False
    close: bool = False  # body delimited by closing the connection (HTTP/1.0 style)
    eol: bytes = b"\r\n"  # some servers end header lines with a bare LF

    @property
    def head(self) -> bytes:
        eol = self.eol
        return self.status_line + eol + b"".join(h + eol for h in self.headers) + eol

    def to_bytes(self, head_only: bool = False) -> bytes:
        if head_only:
            return self.head
        if not self.chunked:
            return self.head + self.body
        step = 97  # odd chunk size so chunk boundaries fall mid-sequence
        chunks = [self.body[i : i + step] for i in range(0, len(self.body), step)]
        framed = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks)
        return self.head + framed + b"0\r\n\r\n"


def _fixed(status: bytes, body: bytes, *extra: bytes, ctype: bytes = b"text/html; charset=utf-8"):
    headers = [DATE.rstrip(), b"Content-Type: " + ctype, *extra,
               b"Content-Length: %d" % len(body)]
    return Wire(b"HTTP/1.1 " + status, headers, body)


def _chunked(body: bytes, *extra: bytes) -> Wire:
    headers = [DATE.rstrip(), b"Content-Type: text/html; charset=utf-8", *extra,
               b"Transfer-Encoding: chunked"]
    return Wire(b"HTTP/1.1 200 OK", headers, body, chunked=True)


GZIPPED = gzip.compress(HTML, mtime=0)
ROUTES: dict[str, Wire] = {
    "/plain": _fixed(b"200 OK", HTML),
    "/gzip": _fixed(b"200 OK", GZIPPED, b"Content-Encoding: gzip", b"Vary: Accept-Encoding"),
    "/deflate": _fixed(b"200 OK", zlib.compress(HTML), b"Content-Encoding: deflate"),
    "/br": _fixed(b"200 OK", brotli.compress(HTML), b"Content-Encoding: br"),
    "/chunked": _chunked(HTML),
    "/chunked-gzip": _chunked(GZIPPED, b"Content-Encoding: gzip"),
    "/headers": _fixed(
        b"200 Fine By Me", HTML, b"Set-Cookie: a=1; Path=/", b"x-ODD-CaSe: kept",
        b"Set-Cookie: b=2; Path=/; HttpOnly", b"X-Tight:no-space", b"X-Folded: first",
        b"  continued"),
    "/redirect": _fixed(b"301 Moved Permanently", b"moved\n", b"Location: /gzip",
                        ctype=b"text/plain"),
    "/etag": _fixed(b"200 OK", HTML, b"ETag: " + ETAG, b"Last-Modified: " + LAST_MODIFIED),
    "/image.png": _fixed(b"200 OK", PNG, ctype=b"image/png"),
    "/robots.txt": _fixed(b"200 OK", b"User-agent: *\nAllow: /\n", ctype=b"text/plain"),
    "/big": _fixed(b"200 OK", b"x" * 300_000, ctype=b"text/plain"),
    "/feed.json": _chunked(b'{"items": [1, 2, 3]}', b"Content-Type: application/json"),
    "/http10": Wire(b"HTTP/1.0 200 OK", [DATE.rstrip(), b"Content-Type: text/plain"],
                    b"until close\n" * 20, close=True),
    "/lf": Wire(b"HTTP/1.1 200 OK", [DATE.rstrip(), b"Content-Type: text/plain",
                                     b"Content-Length: 9"], b"bare LF\r\n", eol=b"\n"),
}
NOT_MODIFIED = Wire(b"HTTP/1.1 304 Not Modified", [DATE.rstrip(), b"ETag: " + ETAG], b"")
NOT_FOUND = _fixed(b"404 Not Found", b"nothing here\n", ctype=b"text/plain")


def response_for(path: str, request_head: bytes) -> Wire:
    """The response this server sends for `path` given the request head."""
    wire = ROUTES.get(path.split("?")[0], NOT_FOUND)
    if path == "/etag" and ETAG in request_head:
        return NOT_MODIFIED
    return wire


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await reader.readexactly(length)
            method, path = head.split(b" ", 2)[:2]
            if path == b"/slow":  # never answers in time: lets tests kill a crawl mid-flight
                await asyncio.sleep(60)
            wire = response_for(path.decode(), head)
            writer.write(wire.to_bytes(head_only=method == b"HEAD"))
            await writer.drain()
            if wire.close or b"connection: close" in head.lower():
                break
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main() -> None:
    """Plain HTTP on a free port; with `CERT KEY` arguments also HTTPS (ports printed in order)."""
    servers = [await asyncio.start_server(_serve, "127.0.0.1", 0)]
    if len(sys.argv) == 3:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        servers.append(await asyncio.start_server(_serve, "127.0.0.1", 0, ssl=context))
    for server in servers:
        print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


if __name__ == "__main__":
    asyncio.run(main())
