"""A small static HTTP server for the demo site and for tests (127.0.0.1 only).

`{{BASE}}` inside .xml/.txt files is replaced by the server's own base URL, so sitemaps, feeds and
robots.txt point at whatever port the server got. Paths can never leave the served folder.
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

SITE_DIR = Path(__file__).resolve().parent / "site"
_TEMPLATED = {".xml", ".txt"}
_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml; charset=utf-8",
          ".txt": "text/plain; charset=utf-8", ".css": "text/css", ".json": "application/json"}


def resolve(root: Path, url_path: str) -> Path | None:
    """The file under `root` for a URL path (directories → index.html), or None if outside/missing."""
    relative = unquote(urlsplit(url_path).path).lstrip("/")
    candidate = (root / relative).resolve()
    if candidate != root and root not in candidate.parents:
        return None
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


class SiteHandler(BaseHTTPRequestHandler):
    root: Path = SITE_DIR
    server_version = "archiver-demo/1"

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    def _respond(self, send_body: bool) -> None:
        path = resolve(self.root.resolve(), self.path)
        if path is None:
            body = b"<html><body><h1>404 Not Found</h1></body></html>"
            self._send(404, "text/html; charset=utf-8", body, send_body)
            return
        body = path.read_bytes()
        if path.suffix in _TEMPLATED:
            host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]!s}"  # type: ignore[index]
            body = body.replace(b"{{BASE}}", f"http://{host}".encode())
        content_type = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
        self._send(200, content_type or "application/octet-stream", body, send_body)

    def _send(self, status: int, content_type: str, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet: the crawler logs
        return


@contextmanager
def serve(
    root: Path = SITE_DIR, port: int = 0, handler_class: type[SiteHandler] = SiteHandler,
    **handler_attributes: Any,
) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 in a background thread; yields the base URL. Extra keyword
    arguments become class attributes of the handler (settings of a SiteHandler subclass)."""
    handler = type("Handler", (handler_class,), {"root": Path(root).resolve(), **handler_attributes})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"site-{handler_class.__name__}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
