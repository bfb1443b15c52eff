"""Build small archives for the load / verify / export / CLI tests.

Two sources: `demo_archive()` crawls the bundled demo site twice (subprocesses, same port, so the
second crawl holds revisits), once per test session; `build_archive()` writes fixed records and a
WARC with fixed ids and dates, so CLI output can be compared with snapshot files.
"""

from __future__ import annotations

import atexit
import gzip
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@cache
def demo_archive() -> Path:
    """ARCHIVE_DIR with two crawls of the demo site (the second one deduplicated to revisits)."""
    root = Path(tempfile.mkdtemp(prefix="archiver-demo-"))
    atexit.register(shutil.rmtree, root, True)
    port = str(free_port())
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="archiver.settings")
    for _ in range(2):
        result = subprocess.run([sys.executable, "-m", "archiver", "demo", "-o", str(root), "--port", port],
                                cwd=REPO, env=env, capture_output=True, text=True, timeout=240, check=False)
        assert result.returncode == 0, result.stderr[-2000:]
    return root


def copy_archive(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def record(url: str, fetched_at: str, **fields: Any) -> dict[str, Any]:
    """A schema-valid record with every key present; `fields` override."""
    data: dict[str, Any] = {
        "url": url, "canonical_url": None, "fetched_at": fetched_at, "status": 200, "title": f"Title of {url}",
        "authors": [], "published": None, "modified": None, "language": "en", "site_name": None,
        "description": None, "categories": [], "tags": [], "body": "Body text.", "body_html": "<p>Body text.</p>",
        "media": [], "comments": [], "comment_count": None, "comments_system": None, "comments_open": None,
        "warc": None, "digest": None, "extractor": {"name": "archiver", "version": "0.1.0"},
    }
    data.update(fields)
    return data


def comment(cid: str, parent: str | None, depth: int, author: str, text: str,
            published: str = "2024-05-01T10:00:00+00:00") -> dict[str, Any]:
    return {"id": cid, "parent_id": parent, "depth": depth, "author": {"name": author, "url": None},
            "published": published, "text": text, "html": f"<p>{text}</p>", "permalink": None, "type": "comment"}


def media(url: str, kind: str = "image", **fields: Any) -> dict[str, Any]:
    data = {"type": kind, "url": url, "srcset": [], "caption": None, "alt": None, "credit": None, "width": None,
            "height": None, "mime": None, "provider": None, "in_body": True}
    data.update(fields)
    return data


def write_jsonl(path: Path, records: list[dict[str, Any]], gz: bool = False) -> Path:
    lines = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        path.write_bytes(gzip.compress(lines.encode("utf-8"), mtime=0))
    else:
        path.write_text(lines, encoding="utf-8")
    return path


def write_warc(path: Path, pages: list[tuple[str, str, bytes]], *, gz: bool = True,
               headers: list[tuple[str, str]] | None = None) -> list[dict[str, Any]]:
    """A per-record-gzip WARC (warcinfo + one response per page) with fixed ids; returns pointers.

    `pages` holds (url, WARC date, HTTP payload) triples; record ids are numbered urn:uuid values.
    `headers` replaces the default HTTP headers (Content-Type + Content-Length).
    """
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    info = writer.create_warcinfo_record(path.name, {"software": "archiver tests"})
    info.rec_headers.replace_header("WARC-Record-ID", "<urn:uuid:00000000-0000-0000-0000-000000000000>")
    info.rec_headers.replace_header("WARC-Date", "2024-05-01T00:00:00Z")
    writer.write_record(info)
    pointers = []
    for number, (url, date, body) in enumerate(pages, start=1):
        record_id = f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>"
        http = StatusAndHeaders("200 OK", headers or [("Content-Type", "text/html; charset=utf-8"),
                                                      ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        response = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                             warc_headers_dict={"WARC-Record-ID": record_id, "WARC-Date": date})
        offset = buffer.tell()
        writer.write_record(response)
        pointers.append({"filename": path.name, "offset": offset, "length": buffer.tell() - offset,
                         "record_id": record_id, "date": date})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return pointers


def page_body(url: str) -> bytes:
    return f"<html><head><title>{url}</title></head><body><p>Archived {url}</p></body></html>".encode()


def build_archive(root: Path) -> Path:
    """A fixed two-crawl archive: articles with media, a nested thread, a re-capture, crawl.json files."""
    crawls = {
        "20240501T000000Z-aaaaaa": [
            record("https://blog.example.org/2024/05/first", "2024-05-01T08:00:00Z", title="First post",
                   authors=[{"name": "Ada", "url": None}], published="2024-04-30T12:00:00+02:00",
                   categories=["News"], tags=["harbour", "ships"], site_name="Example Blog",
                   comments_system="wordpress", comment_count=4, comments_open=True,
                   media=[media("https://blog.example.org/img/quay.jpg", caption="The quay", width=800, height=600),
                          media("https://www.youtube.com/embed/xyz", "iframe", provider="youtube")],
                   comments=[comment("1", None, 1, "Bo", "Great post."),
                             comment("2", "1", 2, "Ada", "Thank you!"),
                             comment("3", "2", 3, "Bo", "You are welcome."),
                             comment("4", None, 1, "Cy", "Second thread.")]),
            record("https://news.example.com/story", "2024-05-01T09:30:00Z", title="A story"),
        ],
        "20240502T000000Z-bbbbbb": [
            record("https://blog.example.org/2024/05/first", "2024-05-02T08:00:00Z", title="First post (edited)",
                   comments=[comment("1", None, 1, "Bo", "Great post.")], comment_count=1,
                   comments_system="wordpress"),
        ],
    }
    for crawl_id, records in crawls.items():
        crawl_dir = root / crawl_id
        warc_name = f"archiver-{crawl_id[:8]}000000000-00001-testhost-1.warc.gz"
        pointers = write_warc(crawl_dir / warc_name, [(r["url"], r["fetched_at"], page_body(r["url"]))
                                                      for r in records])
        for rec, pointer in zip(records, pointers, strict=True):
            rec["warc"] = pointer
        jsonl = f"records-{crawl_id[:8]}000000-00001-testhost-1.jsonl"
        write_jsonl(crawl_dir / jsonl, records)
        summary = {"crawl_id": crawl_id, "start": records[0]["fetched_at"], "end": records[-1]["fetched_at"],
                   "outcome": {"exit_code": 0, "reason": "ok"},
                   "counts": {"records": len(records), "errors": 1, "rejected": 0, "by_status": {"200": 3, "404": 1},
                              "errors_by_kind": {"http_404": 1}},
                   "files": [warc_name, jsonl]}
        (crawl_dir / "crawl.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return root


def generate_archive(root: Path, *, crawls: int = 3, workers: int = 2, files_per_worker: int = 2,
                     records_per_file: int = 1000, distinct_urls: int = 0, body_chars: int = 1500,
                     warc: bool = False) -> int:
    """A large synthetic archive (for memory tests and benchmarks); returns the number of records.

    Each writer's lines are a little out of fetch order (neighbours swapped), as in a real crawl.
    `distinct_urls` > 0 makes later crawls re-capture the same URLs; `warc` adds one WARC per writer
    with a response record behind every pointer.
    """
    filler = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * (body_chars // 56 + 1))[:body_chars]
    total = 0
    for crawl in range(crawls):
        crawl_dir = root / f"2024010{crawl + 1}T000000Z-{crawl:06d}"
        for worker in range(workers):
            pages, pending = [], []
            for serial in range(1, files_per_worker + 1):
                batch = []
                for _ in range(records_per_file):
                    number = total
                    total += 1
                    slot = number % distinct_urls if distinct_urls else number
                    seconds = (number // 2) * 2 + (1 - number % 2)  # swap neighbours: mild disorder
                    fetched = f"2024-01-0{crawl + 1}T{seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}:" \
                              f"{seconds % 60:02d}.{number % 1000:03d}000Z"
                    url = f"https://site{slot % 5}.example/post/{slot}"
                    rec = record(url, fetched, title=f"Post {slot}", body=filler,
                                 comments=[comment(str(c), str(c - 1) if c else None, c + 1, "Reader", "Nice.")
                                           for c in range(3)],
                                 media=[media(f"https://site{slot % 5}.example/img/{slot}.jpg")])
                    batch.append(rec)
                    if warc:
                        pages.append((url, fetched, page_body(url) + filler.encode()))
                pending.append((crawl_dir / f"records-2024010{crawl + 1}000000-{serial:05d}-gen-{worker}.jsonl",
                                batch))
            if warc:
                name = f"archiver-2024010{crawl + 1}000000000-00001-gen-{worker}.warc.gz"
                pointers = iter(write_warc(crawl_dir / name, pages))
                for _, batch in pending:
                    for rec in batch:
                        rec["warc"] = next(pointers)
            for path, batch in pending:
                write_jsonl(path, batch)
    return total
