"""A generated site of N article pages, served with per-request latency and an access log.

For the distributed tests and benchmarks/distributed.py: `generate(root, articles)` writes the
site (home -> listing pages -> articles, with cross links so most pages are discovered more than
once), `serve(root, latency)` serves it on 127.0.0.1 from a thread per connection, recording every
GET path, and sleeping `latency` seconds per request as a stand-in for a remote server.
`/go/N` answers 301 to article N (listing pages link to one each).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PER_LISTING = 20
WORDS = ("archive harbour letter winter signal river paper window garden lantern station market "
         "bridge orchard thread stone ledger violin meadow compass").split()


def _paragraph(seed: int, sentences: int = 5) -> str:
    words = [WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(sentences * 12)]
    chunks = [" ".join(words[i:i + 12]).capitalize() + "." for i in range(0, len(words), 12)]
    return " ".join(chunks)


def article_path(number: int) -> str:
    return f"/articles/story-{number:04d}.html"


def _article(number: int, total: int) -> str:
    paragraphs = "\n".join(f"<p>{_paragraph(number * 10 + k)} Story {number}, part {k}.</p>" for k in range(5))
    neighbours = " ".join(f'<a href="{article_path((number + step) % total)}">related {step}</a>'
                          for step in (1, 7))
    return (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
        f"<title>Story {number} - Test Gazette</title></head><body>"
        '<div id="top"><a href="/">Test Gazette</a></div><div id="content">'
        f"<h1>Story number {number}</h1>"
        f'<div class="meta">Posted by Ada Quill on March {number % 28 + 1}, 2024</div>'
        f'<div class="entry">{paragraphs}</div></div>'
        f'<div id="sidebar"><h3>Related</h3>{neighbours}</div></body></html>'
    )


def _listing(page: int, pages: int, total: int) -> str:
    first = (page - 1) * PER_LISTING
    links = "".join(f'<li><a href="{article_path(n)}">Story {n}</a></li>'
                    for n in range(first, min(first + PER_LISTING, total)))
    # A short link that redirects (301) to an article: redirects go through the shared queue too.
    links += f'<li><a href="/go/{(first + PER_LISTING) % total}">Next page lead</a></li>'
    nav = "".join(f'<a href="/page/{p}.html">{p}</a> ' for p in range(1, pages + 1))
    return (f"<!DOCTYPE html><html><head><title>Page {page} - Test Gazette</title></head><body>"
            f"<h1>All stories, page {page}</h1><ul>{links}</ul><nav>{nav}</nav></body></html>")


def generate(root: Path, articles: int) -> list[str]:
    """Write the site under `root`; returns the paths of every article page."""
    pages = max(1, -(-articles // PER_LISTING))
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "page").mkdir(exist_ok=True)
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    nav = "".join(f'<li><a href="/page/{p}.html">Page {p}</a></li>' for p in range(1, pages + 1))
    (root / "index.html").write_text(
        f"<!DOCTYPE html><html><head><title>Test Gazette</title></head><body><h1>Test Gazette</h1>"
        f"<ul>{nav}</ul></body></html>")
    for page in range(1, pages + 1):
        (root / "page" / f"{page}.html").write_text(_listing(page, pages, articles))
    for number in range(articles):
        (root / article_path(number).lstrip("/")).write_text(_article(number, articles))
    return [article_path(n) for n in range(articles)]


@dataclass
class AccessLog:
    """Every GET path in arrival order; `latency` (seconds per request) may change while serving."""

    paths: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    latency: float = 0.0

    def add(self, path: str) -> None:
        with self.lock:
            self.paths.append(path)

    def snapshot(self) -> list[str]:
        with self.lock:
            return list(self.paths)

    def clear(self) -> None:
        with self.lock:
            self.paths.clear()


class _Handler(BaseHTTPRequestHandler):
    root: Path
    log: AccessLog
    protocol_version = "HTTP/1.1"  # keep-alive, as a real server

    def do_GET(self) -> None:  # noqa: N802
        path = self.path.split("?", 1)[0]
        self.log.add(path)
        if self.log.latency:
            time.sleep(self.log.latency)
        if path.startswith("/go/") and path[4:].isdigit():
            self.send_response(301)
            self.send_header("Location", article_path(int(path[4:])))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        target = (self.root / (path.lstrip("/") or "index.html")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if self.root not in target.parents or not target.is_file():
            body, status, kind = b"not found", 404, "text/plain"
        else:
            body, status = target.read_bytes(), 200
            kind = "text/plain" if target.suffix == ".txt" else "text/html; charset=utf-8"
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # a killed client: nothing to answer
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def serve(root: Path, latency: float = 0.0) -> Iterator[tuple[str, AccessLog]]:
    """Serve `root` on 127.0.0.1; yields (base URL, access log)."""
    log = AccessLog(latency=latency)
    handler = type("Handler", (_Handler,), {"root": root.resolve(), "log": log})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.request_queue_size = 128
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        server.server_close()
