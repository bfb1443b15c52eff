"""The real `article` spider against the WordPress snapshot served with `serve.py --wire`.

serve.py behaves like a production server (gzip, chunked, two Set-Cookie, odd header case, 304s)
and is reached as an HTTP proxy with credentials, as in production deployments. Two crawls into
one ARCHIVE_DIR: the JSONL pointers must round-trip, the second crawl must write revisits, and the
standard tools (warcio, wacz, pywb) must accept and replay everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archiver.tools.wacz import write_wacz
from archiver.warc import read_response
from archiver.warc.checker import verify_warcs
from archiver.warc.reader import iter_records
from tests.servers import pywb_env

REPO = Path(__file__).resolve().parent.parent
SECRET = "s3cretPW"
ARTICLES = ["/2023/02/looking-for-the-river-trail/", "/2023/04/revisiting-the-night-train/"]
ORIGIN = "http://blog.test:8080"


@pytest.fixture(scope="module")
def wordpress(corpus: Path) -> Iterator[tuple[str, Path]]:
    site = corpus / "wordpress"
    port = pywb_env.free_port()
    proc = subprocess.Popen([sys.executable, str(site / "serve.py"), "classic", "--port",
                             str(port), "--wire", "--quiet"], cwd=site)
    try:
        _wait_port(port)
        yield f"http://u:{SECRET}@127.0.0.1:{port}", site / "classic"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait_port(port: int) -> None:
    import socket

    for _ in range(100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("serve.py did not start")


def crawl(archive: Path, crawl_id: str, proxy: str) -> list[dict[str, Any]]:
    urls = ",".join(ORIGIN + path for path in ARTICLES)
    command = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"url={urls}"]
    for key, value in {"ARCHIVE_DIR": str(archive), "CRAWL_ID": crawl_id,
                       "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "WARNING",
                       "ARCHIVE_MEDIA": "True"}.items():
        command += ["-s", f"{key}={value}"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="archiver.settings", http_proxy=proxy)
    proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = []
    for path in sorted((archive / crawl_id).glob("records-*.jsonl")):
        lines += [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return lines


@pytest.fixture(scope="module")
def crawled(wordpress: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Any:
    proxy, _ = wordpress
    archive = tmp_path_factory.mktemp("wp-archive")
    first = crawl(archive, "wp-1", proxy)
    time.sleep(1.1)  # distinct 14-digit timestamps for replay
    second = crawl(archive, "wp-2", proxy)
    return {"archive": archive, "first": first, "second": second}


def site_bytes(site: Path, path: str) -> bytes:
    manifest = json.loads((site / "manifest.json").read_text("utf-8"))
    return (site / manifest[path]["file"]).read_bytes()


def test_records_point_at_the_archived_page(crawled: Any, wordpress: tuple[str, Path]) -> None:
    _, site = wordpress
    assert sorted(r["url"] for r in crawled["first"]) == sorted(ORIGIN + p for p in ARTICLES)
    for record in crawled["first"] + crawled["second"]:
        stored = read_response(crawled["archive"], record["warc"])
        path = record["url"].removeprefix(ORIGIN)
        assert stored.body == site_bytes(site, path)
        assert stored.status == 200 and record["digest"].startswith("sha1:")
        assert ("Content-Encoding", "gzip") in stored.headers
        assert [k for k, _ in stored.headers].count("Set-Cookie") == 2
        assert "X-Snapshot-MiXeD-Case" in [k for k, _ in stored.headers]


def test_second_crawl_points_at_revisits(crawled: Any) -> None:
    first = {r["url"]: r for r in crawled["first"]}
    for record in crawled["second"]:
        stored = read_response(crawled["archive"], record["warc"])
        assert stored.revisit_of == first[record["url"]]["warc"]["record_id"]
        assert record["digest"] == first[record["url"]]["digest"]


def test_files_pass_every_check(crawled: Any, tmp_path: Path) -> None:
    archive = crawled["archive"]
    warcs = sorted(archive.rglob("*.warc.gz"))
    assert len(warcs) == 2 and verify_warcs(archive) == []
    checker = pywb_env.ensure_venv() / "warcio"
    result = subprocess.run([str(checker), "check", *map(str, warcs)], capture_output=True)
    assert result.returncode == 0, result.stdout
    for path in warcs:
        data = path.read_bytes()
        assert SECRET.encode() not in data and b"Proxy-Authorization" not in data
        records = list(iter_records(path))
        assert [r.warc_type for r in records].count("metadata") == len(ARTICLES)
        uris = {r.get("WARC-Target-URI") or "" for r in records if r.warc_type == "response"}
        assert f"{ORIGIN}/robots.txt" in uris or path.parent.name == "wp-2"
        assert any("/wp-json/wp/v2/comments" in uri for uri in uris) or path.parent.name == "wp-2"
    out = write_wacz(archive, tmp_path / "wp.wacz")
    validate = subprocess.run([str(Path(sys.executable).parent / "wacz"), "validate", "-f",
                               str(out)], capture_output=True, text=True)
    assert validate.returncode == 0, validate.stdout
    import zipfile

    with zipfile.ZipFile(out) as wacz:
        pages = wacz.read("pages/pages.jsonl").decode().splitlines()
    assert len(pages) == 1 + 2 * len(ARTICLES)


def test_media_is_archived_byte_for_byte(crawled: Any, wordpress: tuple[str, Path]) -> None:
    _, site = wordpress
    media = []
    for path in sorted((crawled["archive"] / "wp-1").glob("*.warc.gz")):
        for rec in iter_records(path):
            uri = rec.get("WARC-Target-URI") or ""
            if rec.warc_type == "response" and "/wp-content/uploads/" in uri:
                media.append((uri.removeprefix(ORIGIN), rec.block.split(b"\r\n\r\n", 1)[1]))
    assert len(media) >= 2
    for path, payload in media:
        assert payload == site_bytes(site, path), path


def test_pywb_replays_pages_and_revisits(crawled: Any, wordpress: tuple[str, Path],
                                         tmp_path: Path) -> None:
    _, site = wordpress
    warcs = sorted(crawled["archive"].rglob("*.warc.gz"))
    with pywb_env.wayback(tmp_path / "pywb", warcs) as replay:
        for path in ARTICLES:
            for when in ("2000", "2100"):  # crawl-1 response, crawl-2 revisit
                with urllib.request.urlopen(f"{replay}{when}id_/{ORIGIN}{path}") as response:
                    assert response.read() == site_bytes(site, path)
