"""Round trip: crawl the demo site (twice, so the second crawl holds revisits) -> load -> pages and threads."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from archiver import load
from archiver.demo.server import SITE_DIR, resolve
from tests.archive_kit import demo_archive


@pytest.fixture(scope="module")
def archive() -> Path:
    return demo_archive()


def served_bytes(url: str) -> bytes:
    path = resolve(SITE_DIR.resolve(), urlsplit(url).path)
    assert path is not None, url
    return path.read_bytes()


def test_every_record_loads_valid_and_in_time_order(archive: Path) -> None:
    records = list(load.records(archive))  # validate=True: raises on any invalid record
    assert len(records) == 10 and len({r.crawl_dir for r in records}) == 2
    keys = [load.records.__globals__["order"].record_key(r) for r in records]
    assert keys == sorted(keys)


def test_page_html_equals_the_served_page_for_responses_and_revisits(archive: Path) -> None:
    revisits = 0
    for rec in load.records(archive):
        response = load.page_response(rec)
        assert response.status == 200
        assert response.url == rec["url"]
        assert load.page_html(rec) == served_bytes(rec["url"]).decode("utf-8")
        revisits += response.revisit_of is not None
    assert revisits == 5  # the second crawl's pages were unchanged


def test_comments_tree_matches_the_thread_of_each_record(archive: Path) -> None:
    threads = 0
    for rec in load.records(archive, latest_only=True):
        roots = load.comments_tree(rec)
        flat = rec["comments"]
        assert [(d, n.id) for d, n in load.walk(roots)] == [(c["depth"], c["id"]) for c in flat]
        parents = {n.id: parent.id for _, parent in load.walk(roots) for n in parent.children}
        assert parents == {c["id"]: c["parent_id"] for c in flat if c["parent_id"] is not None}
        threads += bool(flat)
    assert threads == 2


def test_night_train_thread_shape(archive: Path) -> None:
    rec = next(r for r in load.records(archive, latest_only=True) if r["url"].endswith("/night-train/"))
    roots = load.comments_tree(rec)
    shape = [(n.id, [(c.id, [g.id for g in c.children]) for c in n.children]) for n in roots]
    assert shape == [("101", [("103", ["104"]), ("105", [])]), ("102", []), ("106", [])]


def test_latest_only_gives_one_record_per_url_from_the_second_crawl(archive: Path) -> None:
    latest = list(load.records(archive, latest_only=True))
    assert len(latest) == 5 and len({r["url"] for r in latest}) == 5
    newest_crawl = max(r.crawl_dir for r in load.records(archive))
    assert {r.crawl_dir for r in latest} == {newest_crawl}


def test_wordpress_snapshot_gzip_chunked_round_trip(tmp_path: Path, corpus: Path) -> None:
    """serve.py --wire gzips and chunks every text response: page bodies still come back byte for byte."""
    import json
    import os
    import socket
    import subprocess
    import sys
    import time

    from archiver.tools.verify import verify
    from tests.archive_kit import REPO, free_port

    site = corpus / "wordpress"
    port = free_port()
    server = subprocess.Popen([sys.executable, "serve.py", "classic", "--port", str(port), "--wire"], cwd=site,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        env = dict(os.environ, SCRAPY_SETTINGS_MODULE="archiver.settings", http_proxy=f"http://127.0.0.1:{port}")
        crawl = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "article", "-a", "site=http://blog.test:8080/",
                                "-s", f"ARCHIVE_DIR={tmp_path}", "-s", "LOG_LEVEL=WARNING",
                                "-s", "AUTOTHROTTLE_ENABLED=False"], cwd=REPO, env=env, capture_output=True,
                               text=True, timeout=240, check=False)
        assert crawl.returncode == 0, crawl.stderr[-2000:]
    finally:
        server.terminate()
        server.wait(timeout=10)
    manifest = json.loads((site / "classic" / "manifest.json").read_text(encoding="utf-8"))
    loaded = list(load.records(tmp_path))
    assert len(loaded) == 12 and sum(len(r["comments"]) for r in loaded) == 159
    for rec in loaded:
        response = load.page_response(rec)
        assert response.header("Content-Encoding") == "gzip"  # archived as sent
        expected = (site / "classic" / manifest[urlsplit(rec["url"]).path]["file"]).read_bytes()
        assert response.body == expected, rec["url"]
    assert verify(tmp_path).ok
