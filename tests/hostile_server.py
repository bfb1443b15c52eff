"""A hostile HTTP server for reliability tests: raw asyncio sockets, every byte under our control.

Each route is an `async def route(ex)` that writes whatever it likes to `ex.writer` — malformed
heads, resets, stalls, bombs — so tests inject real wire-level faults instead of mocking Scrapy.
`hostile_server()` runs it on 127.0.0.1 in a background thread and records every hit (path + time)
so tests can check retries and Retry-After waits. `ROUTES` doubles as the catalogue of bad inputs
that RELIABILITY.md lists.
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import struct
import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from functools import cache
from urllib.parse import parse_qs, urlsplit

import brotli

CYRILLIC = "Архив хранит статьи и комментарии читателей без потерь."
JAPANESE = "アーカイブは記事と読者のコメントを失わずに保存します。"
CHINESE = "档案馆完整保存文章和读者评论，不会丢失任何内容。"


def article_html(title: str, sentence: str = "This is a perfectly good article paragraph.",
                 charset: str | None = None, extra: str = "") -> str:
    """A small page that the extractor takes for an article (title + a few real paragraphs)."""
    meta = f'<meta charset="{charset}">' if charset else ""
    # og:type + a date: site crawls (which keep only pages classified as articles) keep these.
    meta += ('<meta property="og:type" content="article">'
             '<meta property="article:published_time" content="2024-05-01T08:00:00+00:00">')
    paragraphs = "".join(f"<p>{sentence} Paragraph {i} goes on for a while, with commas.</p>"
                         for i in range(6))
    return (f"<!doctype html><html><head>{meta}<title>{title}</title></head><body>"
            f"<article><h1>{title}</h1>{paragraphs}{extra}</article></body></html>")


@dataclass
class Exchange:
    """One request as the route sees it, plus the stream to answer on."""

    method: str
    target: str
    headers: dict[str, str]
    writer: asyncio.StreamWriter
    server: HostileServer

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query)

    async def send(self, status: str, body: bytes = b"", *headers: str,
                   content_type: str | None = "text/html; charset=utf-8") -> None:
        """A well-formed response with Content-Length, then close."""
        lines = [f"HTTP/1.1 {status}", f"Date: {formatdate(usegmt=True)}", "Connection: close"]
        if content_type is not None:
            lines.append(f"Content-Type: {content_type}")
        lines += [*headers, f"Content-Length: {len(body)}"]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        await self.raw(head + (b"" if self.method == "HEAD" else body))

    async def raw(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    def reset(self) -> None:
        """Abort with a TCP RST (SO_LINGER 0), the way overloaded servers and proxies drop peers."""
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()


Route = Callable[[Exchange], Awaitable[None]]
ROUTES: dict[str, tuple[str, Route]] = {}


def route(path: str, description: str) -> Callable[[Route], Route]:
    def register(function: Route) -> Route:
        ROUTES[path] = (description, function)
        return function
    return register


# --- good pages ---------------------------------------------------------------------------------

@route("/good/one", "a normal article (control)")
async def good_one(ex: Exchange) -> None:
    await ex.send("200 OK", article_html("Good one").encode())


@route("/good/two", "a normal article (control)")
async def good_two(ex: Exchange) -> None:
    await ex.send("200 OK", article_html("Good two").encode())


@route("/good/", "any other /good/… path: a normal article named after its path")
async def good_any(ex: Exchange) -> None:
    await ex.send("200 OK", article_html(f"Good {ex.path.rsplit('/', 1)[-1]}").encode())


@route("/robots.txt", "robots.txt allowing everything")
async def robots(ex: Exchange) -> None:
    mode = ex.server.robots
    if mode == "html":
        await ex.send("200 OK", b"<html><body><h1>Welcome!</h1><p>Disallow: nothing</p></body></html>")
    elif mode == "garbage":
        await ex.send("200 OK", bytes(range(256)) * 64 + b"\nDisallow /\n\x00User-agent\n",
                      content_type="text/plain")
    elif mode == "huge-line":
        await ex.send("200 OK", b"User-agent: *\nDisallow: /" + b"a" * 2_000_000 + b"\n",
                      content_type="text/plain")
    elif mode == "500":
        await ex.send("500 Internal Server Error", b"oops", content_type="text/plain")
    else:
        await ex.send("200 OK", b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")


# --- malformed markup and encodings -------------------------------------------------------------

@route("/html/truncated", "HTML cut mid-tag, unclosed elements")
async def truncated(ex: Exchange) -> None:
    page = article_html("Truncated page").encode()
    await ex.send("200 OK", page[: len(page) - 60] + b"<div><b><i class=\"x")


@route("/html/nul-bytes", "NUL and control bytes inside the markup")
async def nul_bytes(ex: Exchange) -> None:
    page = article_html("Control characters").encode().replace(b"goes on", b"go\x00es\x01\x0b on")
    await ex.send("200 OK", page)


@route("/charset/cp1251-meta", "windows-1251 bytes, charset only in <meta>, none in the header")
async def cp1251_meta(ex: Exchange) -> None:
    body = article_html("Кириллица", CYRILLIC, charset="windows-1251").encode("cp1251")
    await ex.send("200 OK", body, content_type="text/html")


@route("/charset/shift-jis", "Shift_JIS declared in the Content-Type header")
async def shift_jis(ex: Exchange) -> None:
    body = article_html("日本語の記事", JAPANESE).encode("shift_jis")
    await ex.send("200 OK", body, content_type="text/html; charset=Shift_JIS")


@route("/charset/gb18030", "GB18030 declared in <meta http-equiv> only")
async def gb18030(ex: Exchange) -> None:
    page = article_html("中文文章", CHINESE).replace(
        "<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=gb18030">')
    await ex.send("200 OK", page.encode("gb18030"), content_type="text/html")


@route("/charset/utf16-bom", "UTF-16LE with BOM, no charset anywhere")
async def utf16_bom(ex: Exchange) -> None:
    body = b"\xff\xfe" + article_html("UTF-16 page", CYRILLIC).encode("utf-16-le")
    await ex.send("200 OK", body, content_type="text/html")


@route("/charset/wrong-header", "header says utf-8, bytes are windows-1252")
async def wrong_header(ex: Exchange) -> None:
    body = article_html("Caf\u00e9 cr\u00e8me", "D\u00e9j\u00e0 vu na\u00efve r\u00e9sum\u00e9.").encode("cp1252")
    await ex.send("200 OK", body)


@route("/charset/mixed", "UTF-8 page with stray latin-1 bytes and an unknown charset label")
async def mixed(ex: Exchange) -> None:
    body = article_html("Mixed encodings", "Caf\u00e9 au lait.").encode() + b"<p>caf\xe9 \xff\xfe</p>"
    await ex.send("200 OK", body, content_type="text/html; charset=x-no-such-charset")


@route("/html/comment-soup", "an article whose WordPress comment thread holds broken markup")
async def comment_soup(ex: Exchange) -> None:
    thread = "".join(
        f'<li id="comment-{n}" class="comment depth-1"><article class="comment-body"><footer class="comment-meta">'
        f'<b class="fn">Reader {n}</b></footer><div class="comment-content">{content}</div></article></li>'
        for n, content in enumerate(["first <text< words", "&lt;img src=x onerror=alert(1)&gt; hi",
                                     "<<b>x</b>", "plain comment"], start=1))
    page = article_html("Comment soup", extra=f'</article><ol class="comment-list">{thread}</ol><article>')
    await ex.send("200 OK", page.encode())


# --- wrong types, empty and huge bodies ---------------------------------------------------------

@route("/type/binary-as-html", "PNG bytes served as text/html")
async def binary_as_html(ex: Exchange) -> None:
    body = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    await ex.send("200 OK", body)


@route("/type/html-as-octet-stream", "an article served as application/octet-stream")
async def html_as_octets(ex: Exchange) -> None:
    await ex.send("200 OK", article_html("Octet stream article").encode(),
                  content_type="application/octet-stream")


@route("/type/pdf", "a PDF (not HTML, correctly labelled)")
async def pdf(ex: Exchange) -> None:
    await ex.send("200 OK", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * 2000, content_type="application/pdf")


@route("/type/empty", "200 OK with an empty body")
async def empty(ex: Exchange) -> None:
    await ex.send("200 OK", b"")


@route("/type/whitespace", "200 OK with only whitespace")
async def whitespace(ex: Exchange) -> None:
    await ex.send("200 OK", b" \r\n\t \n" * 100)


HUGE_PAGE_BYTES = 50 * 1024 * 1024


@cache
def huge_page() -> bytes:
    """A 50 MB page: an article followed by megabytes of comment-like filler."""
    head = article_html("Huge page").encode().replace(b"</body></html>", b"")
    filler = b"<div class=\"filler\"><p>" + b"filler text " * 80 + b"</p></div>\n"
    count = (HUGE_PAGE_BYTES - len(head)) // len(filler) + 1
    return head + filler * count + b"</body></html>"


@route("/huge/page", "a 50 MB HTML page")
async def huge(ex: Exchange) -> None:
    await ex.send("200 OK", await asyncio.to_thread(huge_page))


@route("/huge/header-line", "a 1 MB response header line")
async def huge_header_line(ex: Exchange) -> None:
    await ex.send("200 OK", article_html("Huge header").encode(), "X-Big: " + "a" * 1_000_000)


@route("/huge/many-headers", "20,000 response headers")
async def many_headers(ex: Exchange) -> None:
    headers = [f"X-H{i}: {i}" for i in range(20_000)]
    await ex.send("200 OK", article_html("Many headers").encode(), *headers)


# --- compression bombs ----------------------------------------------------------------------------

BOMB_SIZE = 1024**3  # what the bombs expand to


@cache
def gzip_bomb() -> bytes:
    """~1 MB of gzip that inflates to 1 GiB of zeros."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b"\0" * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(BOMB_SIZE // len(block))]
    return b"".join(parts) + compressor.flush()


@cache
def brotli_bomb() -> bytes:
    """A few KB of brotli that inflate to 1 GiB of zeros."""
    compressor = brotli.Compressor(quality=5)
    block = b"\0" * (1024 * 1024)
    parts = [compressor.process(block) for _ in range(BOMB_SIZE // len(block))]
    return b"".join(parts) + compressor.finish()


@route("/bomb/gzip", "gzip bomb: 1 MB expanding to 1 GiB")
async def bomb_gzip(ex: Exchange) -> None:
    await ex.send("200 OK", await asyncio.to_thread(gzip_bomb), "Content-Encoding: gzip")


@route("/bomb/brotli", "brotli bomb: a few KB expanding to 1 GiB")
async def bomb_brotli(ex: Exchange) -> None:
    await ex.send("200 OK", await asyncio.to_thread(brotli_bomb), "Content-Encoding: br")


@route("/bomb/double-gzip", "gzip inside gzip (nested bomb)")
async def bomb_double(ex: Exchange) -> None:
    await ex.send("200 OK", gzip.compress(await asyncio.to_thread(gzip_bomb)), "Content-Encoding: gzip, gzip")


@route("/bomb/bad-gzip", "Content-Encoding: gzip on bytes that are not gzip")
async def bad_gzip(ex: Exchange) -> None:
    await ex.send("200 OK", b"\x1f\x8b\x08\x00garbage" + b"x" * 500, "Content-Encoding: gzip")


# --- redirects ------------------------------------------------------------------------------------

@route("/redirect/loop-a", "redirect loop a -> b -> a")
async def loop_a(ex: Exchange) -> None:
    await ex.send("302 Found", b"", "Location: /redirect/loop-b")


@route("/redirect/loop-b", "redirect loop b -> a")
async def loop_b(ex: Exchange) -> None:
    await ex.send("302 Found", b"", "Location: /redirect/loop-a")


@route("/redirect/self", "redirect to itself")
async def loop_self(ex: Exchange) -> None:
    await ex.send("301 Moved Permanently", b"", "Location: /redirect/self")


@route("/redirect/chain", "chain of N redirects (?n=N) ending on an article")
async def chain(ex: Exchange) -> None:
    left = int(ex.query.get("n", ["0"])[0])
    if left <= 0:
        await ex.send("200 OK", article_html("End of the chain").encode())
    else:
        await ex.send("302 Found", b"", f"Location: /redirect/chain?n={left - 1}")


@route("/redirect/offsite", "redirect to another host")
async def offsite(ex: Exchange) -> None:
    await ex.send("302 Found", b"", "Location: http://offsite.invalid/stolen")


@route("/redirect/to", "redirect to the URL in ?u= (private-network tests)")
async def redirect_to(ex: Exchange) -> None:
    await ex.send("302 Found", b"", f"Location: {ex.query.get('u', ['/'])[0]}")


@route("/redirect/bad-location", "Location header that is not a URL")
async def bad_location(ex: Exchange) -> None:
    await ex.send("302 Found", b"", "Location: http://[::1:bad/\x7f")


@route("/redirect/no-location", "302 without Location")
async def no_location(ex: Exchange) -> None:
    await ex.send("302 Found", b"moved somewhere")


# --- network faults -------------------------------------------------------------------------------

@route("/net/reset-before", "connection reset before any response byte")
async def reset_before(ex: Exchange) -> None:
    ex.reset()


@route("/net/reset-mid-body", "connection reset in the middle of the body")
async def reset_mid(ex: Exchange) -> None:
    await ex.raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
                 + article_html("Cut short").encode()[:300])
    await asyncio.sleep(0.05)
    ex.reset()


@route("/net/close-mid-body", "clean close before Content-Length bytes arrived")
async def close_mid(ex: Exchange) -> None:
    await ex.raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
                 + article_html("Closed early").encode()[:300])
    ex.writer.close()


@route("/net/silent", "accepts, reads the request, never answers")
async def silent(ex: Exchange) -> None:
    await asyncio.sleep(3600)


@route("/net/slow-loris", "sends the head, then one body byte per second forever")
async def slow_loris(ex: Exchange) -> None:
    await ex.raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000000\r\n\r\n")
    for _ in range(3600):
        await ex.raw(b"<")
        await asyncio.sleep(1)


@route("/net/slow-head", "sends the status line one byte per second")
async def slow_head(ex: Exchange) -> None:
    for byte in b"HTTP/1.1 200 OK\r\n" * 100:
        await ex.raw(bytes([byte]))
        await asyncio.sleep(1)


@route("/net/garbage-status", "not HTTP at all")
async def garbage_status(ex: Exchange) -> None:
    await ex.raw(b"SSH-2.0-OpenSSH_9.0\r\n\x00\x01\x02garbage\r\n\r\n")
    ex.writer.close()


@route("/net/bad-chunked", "Transfer-Encoding: chunked with a broken chunk size")
async def bad_chunked(ex: Exchange) -> None:
    await ex.raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"10\r\n<html><body>ok..\r\nzz-not-hex\r\nmore\r\n0\r\n\r\n")
    ex.writer.close()


@route("/net/chunked-no-end", "chunked body that stops without the final 0 chunk")
async def chunked_no_end(ex: Exchange) -> None:
    body = article_html("Chunked no end").encode()
    await ex.raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                 + b"%x\r\n%s\r\n" % (len(body), body))
    ex.writer.close()


# --- rate limiting --------------------------------------------------------------------------------

def _retry_after_route(status: str, value: Callable[[], str]) -> Route:
    async def limited(ex: Exchange) -> None:
        if len(ex.server.hits[ex.target]) <= 1:  # first hit: refuse
            await ex.send(status, b"slow down", f"Retry-After: {value()}", content_type="text/plain")
        else:
            await ex.send("200 OK", article_html(f"After {status}").encode())
    return limited


route("/limit/429", "429 with Retry-After: 2 (seconds), then the article")(
    _retry_after_route("429 Too Many Requests", lambda: "2"))
route("/limit/503-date", "503 with Retry-After as an HTTP date 2 s ahead, then the article")(
    _retry_after_route("503 Service Unavailable", lambda: formatdate(time.time() + 3, usegmt=True)))
route("/limit/429-forever", "429 with Retry-After: 86400 (beyond the cap)")(
    _retry_after_route("429 Too Many Requests", lambda: "86400"))
route("/limit/429-100", "429 with Retry-After: 100 (under the cap: a long wait)")(
    _retry_after_route("429 Too Many Requests", lambda: "100"))
route("/limit/429-garbage", "429 with an unparsable Retry-After")(
    _retry_after_route("429 Too Many Requests", lambda: "soon-ish"))


# --- traps ----------------------------------------------------------------------------------------

@route("/calendar", "an infinite calendar: every month links to the next/previous month and days")
async def calendar(ex: Exchange) -> None:
    month = int(ex.query.get("m", ["0"])[0])
    links = [f'<a href="/calendar?m={month + d}">month {month + d}</a>' for d in (-1, 1, 12, -12)]
    links += [f'<a href="/calendar?m={month}&amp;day={day}">day {day}</a>' for day in range(1, 8)]
    await ex.send("200 OK", f"<html><body><h1>Events</h1>{''.join(links)}</body></html>".encode())


@route("/s/", "session ids in the path: every page links to itself under a fresh session id")
async def session(ex: Exchange) -> None:
    token = f"{time.monotonic_ns():x}{len(ex.server.hits):04x}".rjust(24, "0")
    links = "".join(f'<a href="/s/{token}{i}/list">next</a>' for i in range(4))
    await ex.send("200 OK", f"<html><body><h1>List</h1>{links}</body></html>".encode())


# --- odd links --------------------------------------------------------------------------------------

@route("/links", "a listing page whose links are relative, protocol-relative, javascript:, data:, "
                 "spaced, percent-encoded, IDN and broken")
async def odd_links(ex: Exchange) -> None:
    host = ex.headers.get("host", "127.0.0.1")
    hrefs = ["good/one", f"//{host}/good/two", "javascript:alert(document.cookie)",
             "data:text/html,<script>alert(1)</script>", "  /good/one  ", "/good/t%77o",
             "/good/with space", "http://bücher.example/artikel", "mailto:editor@example.com",
             "HTTPS://", "/good/one#fragment", "?page=%00", "vbscript:msgbox", "http://xn--bcher-kva.example/",
             "/good/%E2%82%AC", "\t/good/two\n"]  # "http://[broken" breaks body extraction (test_security_html)
    links = "".join(f'<li><a href="{h}">link {i}</a></li>' for i, h in enumerate(hrefs))
    await ex.send("200 OK", f"<html><body><h1>Index</h1><ul>{links}</ul></body></html>".encode())


# --- a small slow site (for crawls that must still be running when a fault is injected) ----------

SLOW_SITE_PAGES = 120


@route("/slow/", "a 120-article site, 50 ms per page, each article linking to the next three")
async def slow_site(ex: Exchange) -> None:
    number = ex.path.rsplit("/", 1)[-1]
    n = int(number) if number.isdigit() else 0
    await asyncio.sleep(0.05)
    links = "".join(f'<a href="/slow/{m}">next {m}</a> ' for m in range(n + 1, min(n + 4, SLOW_SITE_PAGES)))
    await ex.send("200 OK", article_html(f"Slow article {n}", extra=f"<p>{links}</p>").encode())


# --- the server -----------------------------------------------------------------------------------

@dataclass
class HostileServer:
    host: str = "127.0.0.1"
    port: int = 0
    robots: str = "normal"  # normal | html | garbage | huge-line | 500
    hits: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    _loop: asyncio.AbstractEventLoop | None = None

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, target: str) -> str:
        return self.base + target

    def hit_times(self, target: str) -> list[float]:
        return list(self.hits.get(target, []))

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *header_lines = head.decode("latin-1").split("\r\n")
            method, target, _version = request_line.split(" ", 2)
            headers = {}
            for line in header_lines:
                name, _, value = line.partition(":")
                if name:
                    headers[name.strip().lower()] = value.strip()
            self.hits[target].append(time.monotonic())
            exchange = Exchange(method, target, headers, writer, self)
            await self._dispatch(exchange)
            if not writer.is_closing():
                writer.close()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            writer.close()
        except asyncio.CancelledError:  # server stopping: end quietly (stalled routes sleep here)
            writer.transport.abort()

    async def _dispatch(self, ex: Exchange) -> None:
        path = ex.path
        entry = ROUTES.get(path) or next(
            (r for p, r in ROUTES.items() if p.endswith("/") and path.startswith(p)), None)
        if entry is None:
            await ex.send("404 Not Found", b"<html><body>nothing here</body></html>")
        else:
            await entry[1](ex)

    def start(self) -> None:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop
            server = loop.run_until_complete(asyncio.start_server(self._handle, self.host, self.port))
            self.port = server.sockets[0].getsockname()[1]
            ready.set()
            loop.run_forever()
            server.close()
            tasks = asyncio.all_tasks(loop)  # stalled routes (slow-loris, silent)
            for task in tasks:
                task.cancel()
            if tasks:
                loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            loop.close()

        threading.Thread(target=run, name=f"hostile-{self.host}", daemon=True).start()
        ready.wait(10)

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)


def prepare_heavy_payloads() -> None:
    """Build the bombs and the 50 MB page up front (seconds of CPU) so no route stalls on them."""
    gzip_bomb()
    brotli_bomb()
    huge_page()


@contextmanager
def hostile_server(host: str = "127.0.0.1", robots: str = "normal") -> Iterator[HostileServer]:
    """Run a HostileServer on `host` (any 127.x.y.z works on Linux) for the duration of a block."""
    server = HostileServer(host=host, robots=robots)
    server.start()
    try:
        yield server
    finally:
        server.stop()


if __name__ == "__main__":  # manual poking: python tests/hostile_server.py
    with hostile_server() as running:
        print(running.base, flush=True)
        for target, (text, _fn) in sorted(ROUTES.items()):
            print(f"  {target:28} {text}")
        threading.Event().wait()
