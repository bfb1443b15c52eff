"""Soak test: a 10,000-page local site crawled with the full pipeline; RSS, fds and throughput over time.

    .venv/bin/python benchmarks/soak.py [--pages 10000] [--out benchmarks/results/soak.md]

A generated WordPress-like site (articles with comment threads, links to neighbours, a sitemap)
is served from a separate process; `scrapy crawl article -a site=…` runs with the project's
settings (WARC, dedupe, validation, JSONL). Every few seconds the crawler process is sampled:
resident memory (VmRSS), open file descriptors, records written. Flat RSS and fds and a steady
records/s rate mean no leak; the table goes to the results file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARAGRAPH = ("The harbour committee met again on {n}, and the minutes, which run to several pages, "
             "record a long argument about the night train, the bridge tolls and the archive. ")


def page(n: int, total: int) -> bytes:
    """Article n: title, dated byline, six paragraphs, a three-comment thread, links onwards."""
    links = "".join(f'<li><a href="/p/{(n * 7 + k) % total}.html">Related {k}</a></li>' for k in range(1, 6))
    comments = "".join(
        f'<li id="comment-{n * 10 + c}" class="comment depth-1"><article class="comment-body">'
        f'<footer class="comment-meta"><b class="fn">Reader {c}</b><time datetime="2024-05-0{c + 1}T10:00:00'
        f'+00:00">May {c + 1}</time></footer><div class="comment-content"><p>Comment {c} on article {n}: '
        f"I remember the old bridge well.</p></div></article></li>" for c in range(3))
    body = "".join(f"<p>{PARAGRAPH.format(n=n)}{PARAGRAPH.format(n=n + i)}</p>" for i in range(6))
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Article {n} | Soak Gazette'
            f'</title><meta property="og:type" content="article"><link rel="canonical" href="/p/{n}.html">'
            f'<meta property="article:published_time" content="2024-05-01T08:00:00+00:00"></head><body>'
            f'<header><nav><a href="/">Home</a></nav></header><main><article class="post"><h1>Article {n}'
            f'</h1><p class="byline">By <a rel="author" href="/author/ann">Ann Writer</a></p>'
            f'<div class="entry-content">{body}</div></article><div id="comments"><h2>3 comments</h2>'
            f'<ol class="comment-list">{comments}</ol></div><aside><ul>{links}</ul></aside></main>'
            f"</body></html>").encode()


def serve(port_queue: multiprocessing.Queue, total: int) -> None:  # type: ignore[type-arg]
    """The site, in its own process so its CPU does not count as the crawler's."""
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
               'sitemap/0.9">{}</urlset>')

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                target = head.split(b" ", 2)[1].decode()
                host = next((line.split(b":", 1)[1].strip().decode() for line in head.split(b"\r\n")
                             if line.lower().startswith(b"host:")), "127.0.0.1")
                body, ctype, status = b"not found", "text/plain", "404 Not Found"
                if target == "/robots.txt":
                    body, ctype, status = f"User-agent: *\nSitemap: http://{host}/sitemap.xml\n".encode(), \
                        "text/plain", "200 OK"
                elif target == "/sitemap.xml":
                    urls = "".join(f"<url><loc>http://{host}/p/{n}.html</loc></url>" for n in range(total))
                    body, ctype, status = sitemap.format(urls).encode(), "application/xml", "200 OK"
                elif target.startswith("/p/") and target.endswith(".html"):
                    n = int(target[3:-5]) if target[3:-5].isdigit() else -1
                    if 0 <= n < total:
                        body, ctype, status = page(n, total), "text/html; charset=utf-8", "200 OK"
                writer.write(f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                             f"\r\n".encode() + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port_queue.put(server.sockets[0].getsockname()[1])
        await server.serve_forever()

    asyncio.run(main())


def _rss_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def sample(pid: int, archive: Path) -> dict[str, float]:
    """Crawler RSS and fds, plus the RSS of its extraction worker processes (EXTRACT_WORKERS)."""
    workers = 0
    for child in _children(pid):
        try:
            workers += _rss_kb(child)
        except (FileNotFoundError, StopIteration):
            continue
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    records = sum(p.read_bytes().count(b"\n") for p in archive.rglob("records-*.jsonl*"))
    return {"rss_mb": _rss_kb(pid) / 1024, "workers_mb": workers / 1024, "fds": fds, "records": records}


def run(total: int, interval: float) -> tuple[list[dict[str, float]], dict, float]:  # type: ignore[type-arg]
    ports: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    server = multiprocessing.Process(target=serve, args=(ports, total), daemon=True)
    server.start()
    port = ports.get(timeout=30)
    archive = Path(tempfile.mkdtemp(prefix="soak-"))
    command = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"site=http://127.0.0.1:{port}/p/0.html",
               "-s", f"ARCHIVE_DIR={archive}", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "MAX_DEPTH=0",
               "-s", "LOG_LEVEL=INFO", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "LOGSTATS_INTERVAL=600"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="archiver.settings")
    started = time.monotonic()
    log = (archive / "crawl.log").open("w")
    crawl = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    samples = []
    while crawl.poll() is None:
        try:
            samples.append({"t": time.monotonic() - started, **sample(crawl.pid, archive)})
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            break
        time.sleep(interval)
    crawl.wait()
    elapsed = time.monotonic() - started
    server.terminate()
    summary = json.loads(next(archive.glob("*/crawl.json")).read_text())
    summary["_archive"] = str(archive)
    summary["_returncode"] = crawl.returncode
    return samples, summary, elapsed


def report(samples: list[dict[str, float]], summary: dict, elapsed: float, total: int) -> str:  # type: ignore[type-arg]
    rows, previous = [], {"t": 0.0, "records": 0}
    step = max(1, len(samples) // 20)
    for point in samples[::step]:
        rate = (point["records"] - previous["records"]) / max(point["t"] - previous["t"], 1e-9)
        rows.append(f"| {point['t']:6.0f} | {point['records']:6.0f} | {rate:6.1f} | {point['rss_mb']:6.0f} "
                    f"| {point['workers_mb']:6.0f} | {point['fds']:4.0f} |")
        previous = point
    steady = [s for s in samples if s["records"] > 500]  # after start-up and the first pages
    rss = [s["rss_mb"] for s in steady] or [0.0]
    fds = [s["fds"] for s in steady] or [0.0]
    workers = [s["workers_mb"] for s in steady] or [0.0]
    counts = summary["counts"]
    return "\n".join([
        "# Soak: 10,000-page local site, full pipeline", "",
        f"Command: `.venv/bin/python benchmarks/soak.py --pages {total}` (machine: 2 cores, shared; the site is "
        "served from a separate process on the same machine).", "",
        f"* pages in the site: {total}; records written: {counts['records']}; rejected: {counts['rejected']}; "
        f"errors: {counts['errors']}; exit code: {summary['_returncode']}",
        f"* wall time: {elapsed:.0f} s; mean throughput: {counts['records'] / elapsed:.1f} records/s",
        f"* RSS after warm-up (>500 records): min {min(rss):.0f} MB, median {statistics.median(rss):.0f} MB, "
        f"max {max(rss):.0f} MB; first half max {max(rss[: len(rss) // 2] or rss):.0f} MB vs second half max "
        f"{max(rss[len(rss) // 2:] or rss):.0f} MB",
        f"* open file descriptors after warm-up: min {min(fds):.0f}, max {max(fds):.0f}",
        f"* WARC files: {sum(1 for f in summary['files'] if f.endswith('.warc.gz'))}, "
        f"response bytes: {counts['response_bytes']}", "",
        f"* extraction workers' RSS (sum) after warm-up: max {max(workers):.0f} MB",
        "",
        "| t (s) | records | records/s since previous row | crawler RSS (MB) | workers RSS (MB) | fds |",
        "|---:|---:|---:|---:|---:|---:|", *rows, ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "soak.md")
    args = parser.parse_args()
    samples, summary, elapsed = run(args.pages, args.interval)
    text = report(samples, summary, elapsed, args.pages)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
