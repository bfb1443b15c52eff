"""Browser capture end to end: the crawler renders pages whose comments load by JavaScript (local
Disqus-, Coral- and Viafoura-style widgets on 127.0.0.1), gets their whole threads, and archives every
exchange of the browser with the bytes as received; a hanging or crashing render loses no page."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest

from archiver.schema import record_errors
from archiver.warc.reader import RawRecord, iter_records
from tests.crawling import CrawlResult, run_crawl
from tests.servers.widget_site import CORAL_COMMENTS, DISQUS_POSTS, VIAFOURA_COMMENTS, widget_site

SYSTEM_PAGES = ["/disqus/article.html", "/coral/article.html", "/viafoura/article.html"]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def _preorder(items: list[tuple[str, str | None, Any]]) -> list[tuple[str, str | None, int, Any]]:
    """(id, parent, payload) in thread pre-order with depth; a comment whose parent is not in the
    list is top level (depth 1) and keeps its parent id."""
    ids = {item[0] for item in items}
    out: list[tuple[str, str | None, int, Any]] = []

    def walk(parent: str | None, depth: int) -> None:
        for cid, pid, payload in items:
            is_root = pid is None or pid not in ids
            if (parent is None and is_root) or (parent is not None and pid == parent):
                out.append((cid, pid, depth, payload))
                walk(cid, depth + 1)

    walk(None, 1)
    return out


def disqus_truth() -> list[tuple[Any, ...]]:
    items = [(p["id"], str(p["parent"]) if p["parent"] else None,
              (p["author"]["name"], p["createdAt"] + "+00:00", _text(p["message"]))) for p in DISQUS_POSTS]
    return [(cid, pid, depth, *payload) for cid, pid, depth, payload in _preorder(items)]


def coral_truth() -> list[tuple[Any, ...]]:
    items = [(c["id"], c["parent"], (c["username"], c["createdAt"][:19] + "+00:00", _text(c["body"])))
             for c in CORAL_COMMENTS]
    return [(cid, pid, depth, *payload) for cid, pid, depth, payload in _preorder(items)]


def viafoura_truth() -> list[tuple[Any, ...]]:
    from datetime import UTC, datetime

    def when(ms: int) -> str:
        return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="seconds")

    items = [(c["content_uuid"], c["parent_uuid"] if c["parent_uuid"] != c["content_container_uuid"] else None,
              (c["actor"]["name"], when(c["date_created"]), c["content"])) for c in VIAFOURA_COMMENTS]
    return [(cid, pid, depth, *payload) for cid, pid, depth, payload in _preorder(items)]


def as_rows(record: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(c["id"], c["parent_id"], c["depth"], c["author"]["name"], c["published"], c["text"])
            for c in record["comments"]]


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with widget_site() as base:
        urls = ",".join(base + path for path in [*SYSTEM_PAGES, "/plain/1"])
        # Two pages per browser: the third widget page gets a fresh browser.
        auto = run_crawl(tmp_path_factory.mktemp("auto"), f"url={urls}", "render=auto",
                         settings={"RENDER_RESTART_AFTER": "2"})
        never = run_crawl(tmp_path_factory.mktemp("never"), f"url={urls}", "render=never")
    return {"base": base, "auto": auto, "never": never}


def by_path(result: CrawlResult) -> dict[str, dict[str, Any]]:
    return {re.sub(r"^https?://[^/]+", "", r["url"]): r for r in result.records()}


def warc_records(result: CrawlResult) -> list[RawRecord]:
    return [rec for path in sorted(result.crawl_dir.glob("*.warc.gz")) for rec in iter_records(path)]


def test_render_auto_gets_every_thread_comment_by_comment(crawls: dict[str, Any]) -> None:
    result = crawls["auto"]
    assert result.returncode == 0, result.stderr[-3000:]
    records = by_path(result)
    for record in records.values():
        assert record_errors(record) == []
    expected = {"/disqus/article.html": ("disqus", disqus_truth()),
                "/coral/article.html": ("coral", coral_truth()),
                "/viafoura/article.html": ("viafoura", viafoura_truth())}
    for path, (system, truth) in expected.items():
        record = records[path]
        assert record["comments_system"] == system
        assert record["comments_source"] == "rendered"
        assert as_rows(record) == truth, path
    assert all(c["html"] for c in records["/disqus/article.html"]["comments"])
    assert records["/disqus/article.html"]["comments"][2]["html"] == "<p>A reply to the reply, <b>with markup</b>.</p>"


def test_render_auto_leaves_pages_without_a_widget_alone(crawls: dict[str, Any]) -> None:
    plain = by_path(crawls["auto"])["/plain/1"]
    assert plain["comments"] == [] and plain["comments_source"] is None
    stats = crawls["auto"].summary()["stats"]
    assert stats["archiver/render/pages"] == 3  # the three widget pages, not the plain one
    assert stats["archiver/render/comment_threads"] == 3
    assert stats["archiver/render/browser_launches"] == 2  # RENDER_RESTART_AFTER=2


def test_render_never_keeps_the_plain_records(crawls: dict[str, Any]) -> None:
    result = crawls["never"]
    assert result.returncode == 0, result.stderr[-3000:]
    records = by_path(result)
    assert records["/disqus/article.html"]["comments_system"] == "disqus"
    assert all(r["comments"] == [] and r["comments_source"] is None for r in records.values())
    assert not [r for r in warc_records(result) if r.warc_type == "conversion"]
    assert "archiver/render/pages" not in result.summary()["stats"]


def test_every_browser_exchange_is_archived_as_received(crawls: dict[str, Any]) -> None:
    records = warc_records(crawls["auto"])
    responses = [r for r in records if r.warc_type == "response"]
    urls = {re.sub(r"^https?://[^/]+", "", r.get("WARC-Target-URI") or "") for r in responses}
    for path in ["/disqus-embed.js", "/disqus-frame.js", "/assets/js/coral-embed.js", "/assets/js/coral-frame.js",
                 "/api/graphql", "/entry/viafoura-entry.js"]:
        assert path in urls, path
    assert any(u.startswith("/embed/comments/?base=default&f=example&t_i=post-42") for u in urls)
    assert any(u.startswith("/api/3.0/threads/listPostsThreaded?") and "cursor=2%3A0%3A0" in u for u in urls)
    assert any(u.startswith("/v4/livecomments/") and u.split("?")[0].endswith("/replies") for u in urls)
    requests = {r.get("WARC-Target-URI") for r in records if r.warc_type == "request"}
    assert {r.get("WARC-Target-URI") for r in responses} <= requests  # each response has its request record
    api = next(r for r in responses if "listPostsThreaded" in (r.get("WARC-Target-URI") or ""))
    head, _, payload = api.block.partition(b"\r\n\r\n")
    assert b"\r\nContent-Encoding: gzip\r\n" in head  # as sent: still encoded, header kept
    assert b'"Margaret Hamilton"' in gzip.decompress(payload)


def test_the_page_keeps_one_plain_capture_and_a_linked_dom(crawls: dict[str, Any]) -> None:
    base = crawls["base"]
    records = warc_records(crawls["auto"])
    for path in SYSTEM_PAGES:
        url = base + path
        captures = [r for r in records
                    if r.get("WARC-Target-URI") == url and r.warc_type in ("response", "revisit")]
        assert len(captures) == 1, path  # the browser got the archived response, it did not refetch
        (dom,) = [r for r in records
                  if r.warc_type == "conversion" and r.get("WARC-Target-URI") == "rendered://archiver/" + url]
        assert dom.get("WARC-Refers-To") == captures[0].get("WARC-Record-ID")
        assert records.index(captures[0]) < records.index(dom)
    disqus_dom = next(r for r in records
                      if r.warc_type == "conversion" and "disqus" in (r.get("WARC-Target-URI") or ""))
    assert b'id="dsq-app1"' in disqus_dom.block  # the widget's iframe, drawn by its script


def test_the_archive_passes_warcio_cdxj_indexer_and_verify(crawls: dict[str, Any]) -> None:
    import subprocess
    import sys

    from tests.servers import pywb_env

    result = crawls["auto"]
    files = [str(p) for p in sorted(result.crawl_dir.glob("*.warc.gz"))]
    checked = subprocess.run([str(pywb_env.ensure_venv() / "warcio"), "check", "-v", *files],
                             capture_output=True, text=True)
    assert checked.returncode == 0 and "fail" not in checked.stdout, checked.stdout[-2000:]
    assert "conversion" in checked.stdout
    bin_dir = Path(sys.executable).parent
    indexed = subprocess.run([str(bin_dir / "cdxj-indexer"), "--records", "all", *files], capture_output=True,
                             text=True, check=True).stdout.splitlines()
    assert len(indexed) == len(warc_records(result))
    verify = subprocess.run([str(bin_dir / "archiver"), "verify", str(result.crawl_dir)], capture_output=True,
                            text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_a_hanging_render_keeps_the_plain_record_and_counts_an_error(tmp_path: Path) -> None:
    with widget_site() as base:
        result = run_crawl(tmp_path, f"url={base}/hang/article.html,{base}/disqus/article.html", "render=always",
                           # A 1 MB memory bound: the browser is replaced before the second page.
                           settings={"RENDER_TIMEOUT": "4", "DOWNLOAD_TIMEOUT": "6", "RENDER_MAX_MEMORY_MB": "1",
                                     "RENDER_CONCURRENT_PAGES": "1"})
    records = by_path(result)
    hung = records["/hang/article.html"]
    assert hung["comments"] == [] and hung["warc"] is not None and hung["comments_system"] == "disqus"
    assert as_rows(records["/disqus/article.html"]) == disqus_truth()
    stats = result.summary()["stats"]
    assert stats["archiver/render/error/timeout"] == 1
    assert stats["archiver/errors"] >= 1
    assert "Render failed for" in result.stderr and "timeout" in result.stderr
    assert stats["archiver/render/browser_launches"] == 2
    assert "resident > RENDER_MAX_MEMORY_MB" in result.stderr


def test_a_browser_crash_is_survived_and_the_browser_restarted(tmp_path: Path) -> None:
    with widget_site() as base:
        result = run_crawl(
            tmp_path, f"url={base}/crash/article.html,{base}/disqus/article.html", "render=auto",
            settings={"RENDER_CONCURRENT_PAGES": "1", "CONCURRENT_REQUESTS": "1",
                      "TEST_CRASH_BROWSER_ON": "/crash/disqus-embed.js",
                      "DOWNLOADER_MIDDLEWARES": '{"tests.servers.browser_faults.CrashBrowserOnce": 100}'})
    records = by_path(result)
    assert set(records) == {"/crash/article.html", "/disqus/article.html"}, result.stderr[-3000:]
    assert records["/crash/article.html"]["comments"] == []
    assert as_rows(records["/disqus/article.html"]) == disqus_truth()
    stats = result.summary()["stats"]
    assert stats["archiver/render/error/crash"] == 1
    assert stats["archiver/render/browser_launches"] == 2


def test_widget_scripts_fresh_from_one_render_serve_the_next_and_are_archived_once(tmp_path: Path) -> None:
    """The widget comes from a third-party host (as disqus.com does) and its bundles say max-age=600:
    the second page's browser gets them from the crawl's cache (Chromium's own is off while routed),
    so the WARC holds each once; the JSON of every thread is still downloaded for each page."""
    with widget_site(widget_host_name="localhost") as base:
        result = run_crawl(tmp_path, f"url={base}/disqus/1.html,{base}/disqus/2.html", "render=always",
                           settings={"RENDER_CONCURRENT_PAGES": "1", "CONCURRENT_REQUESTS": "1"})
    records = by_path(result)
    assert as_rows(records["/disqus/1.html"]) == as_rows(records["/disqus/2.html"]) == disqus_truth()
    # One exchange record per download: a response, or a revisit when the bytes repeat an earlier
    # capture of the URL (both pages' threads ask the same JSON URL and get the same answer).
    exchanges = [r for r in warc_records(result) if r.warc_type in ("response", "revisit")]
    responses = [urlsplit(r.get("WARC-Target-URI") or "") for r in exchanges]
    widget = [u.path + (f"?{u.query}" if u.query else "") for u in responses if u.hostname == "localhost"]
    assert widget.count("/disqus-embed.js") == widget.count("/disqus-frame.js") == 1
    assert len([u for u in widget if u.startswith("/api/3.0/threads/listPostsThreaded?")]) == 2
    assert len([u for u in widget if u.startswith("/embed/comments/?")]) == 2  # no-store frames
    assert {u.path for u in responses if u.hostname == "127.0.0.1"} >= {"/disqus/1.html", "/disqus/2.html"}
    assert result.summary()["stats"]["archiver/render/requests_cached"] == 2


def test_pywb_replays_the_page_with_its_comments(crawls: dict[str, Any], tmp_path: Path) -> None:
    """The archive replays on its own (the site is gone): the page as first served, the thread's JSON,
    and, in a browser, the widget drawing every comment again from the archived answers."""
    from playwright.sync_api import sync_playwright

    from archiver.render.browser import CHROMIUM_ARGS, find_executable
    from tests.servers import pywb_env

    base, result = crawls["base"], crawls["auto"]
    page_url = f"{base}/disqus/article.html"
    api_url = next(r.get("WARC-Target-URI") for r in warc_records(result)
                   if "listPostsThreaded" in (r.get("WARC-Target-URI") or ""))
    with pywb_env.wayback(tmp_path / "pywb", sorted(result.crawl_dir.glob("*.warc.gz"))) as replay:
        with urlopen(f"{replay}2100id_/{page_url}") as answer:
            html = answer.read()
        assert b'<div id="disqus_thread"></div>' in html and b"dsq-app1" not in html  # not the DOM
        with urlopen(f"{replay}2100id_/{api_url}") as answer:
            assert json.loads(answer.read())["response"][1]["author"]["name"] == "Margaret Hamilton"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_executable(""), args=list(CHROMIUM_ARGS))
            try:
                page = browser.new_page()
                page.goto(f"{replay}2100mp_/{page_url}", wait_until="load")
                frame = _wait_for_frame(page, "/embed/comments/")
                frame.click("#load-more")
                frame.wait_for_selector("#post-1012", timeout=15_000)
                drawn = frame.inner_text("#post-list")
            finally:
                browser.close()
    for post in DISQUS_POSTS:
        assert _text(post["message"]) in drawn, post["id"]


def _wait_for_frame(page: Any, part: str) -> Any:
    for _ in range(150):
        frame = next((f for f in page.frames if part in f.url), None)
        if frame is not None and frame.query_selector("#post-1001") is not None:
            return frame
        page.wait_for_timeout(100)
    raise AssertionError(f"no replayed frame {part}: {[f.url for f in page.frames]}")


@pytest.mark.parametrize(("path", "texts"), [
    ("/coral/article.html", [_text(c["body"]) for c in CORAL_COMMENTS]),  # GraphQL POSTs replayed
    ("/viafoura/article.html", [c["content"] for c in VIAFOURA_COMMENTS]),
])
def test_pywb_replays_coral_and_viafoura_threads_in_a_browser(
        crawls: dict[str, Any], tmp_path: Path, path: str, texts: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    from archiver.render.browser import CHROMIUM_ARGS, find_executable
    from archiver.render.interact import CLICK_SCRIPT, LOAD_MORE_PATTERN
    from tests.servers import pywb_env

    result = crawls["auto"]
    with pywb_env.wayback(tmp_path / "pywb", sorted(result.crawl_dir.glob("*.warc.gz"))) as replay:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_executable(""), args=list(CHROMIUM_ARGS))
            try:
                page = browser.new_page()
                page.goto(f"{replay}2100mp_/{crawls['base']}{path}", wait_until="load")
                drawn = ""
                for _ in range(40):  # press the replayed widget's buttons until the thread is whole
                    page.wait_for_timeout(250)
                    drawn = "\n".join(f.inner_text("body") for f in page.frames if f.query_selector("body"))
                    if all(text in drawn for text in texts):
                        break
                    for frame in page.frames:
                        frame.evaluate(CLICK_SCRIPT, LOAD_MORE_PATTERN)
            finally:
                browser.close()
    assert [t for t in texts if t not in drawn] == []


@pytest.mark.parametrize(("mode", "exit_code"), [("auto", 0), ("always", 3)])
def test_no_browser_on_the_machine(tmp_path: Path, mode: str, exit_code: int) -> None:
    """auto: one warning, then the crawl goes on as render=never; always: every page is an error."""
    with widget_site() as base:
        result = run_crawl(tmp_path, f"url={base}/disqus/article.html,{base}/coral/article.html", f"render={mode}",
                           settings={"RENDER_BROWSER": str(tmp_path / "no-such-chromium")})
    assert result.returncode == exit_code, result.stderr[-2000:]
    assert len(result.records()) == 2 and all(r["comments"] == [] for r in result.records())
    stats = result.summary()["stats"]
    if mode == "auto":
        assert result.stderr.count("Not rendering JavaScript comments: no browser") == 1
        assert stats["archiver/render/unavailable"] == 2 and "archiver/errors" not in stats
    else:
        assert stats["archiver/render/error/unavailable"] == 2
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("args", "settings", "message"), [
    (["render=sometimes"], {}, "error: render: expected one of auto, always, never, got 'sometimes'"),
    ([], {"RENDER": "yes"}, "error: RENDER setting: expected one of auto, always, never, got 'yes'"),
])
def test_a_bad_render_mode_is_one_line_and_exit_2(tmp_path: Path, args: list[str], settings: dict[str, str],
                                                  message: str) -> None:
    result = run_crawl(tmp_path, "url=http://127.0.0.1:9/never-fetched", *args, settings=settings)
    assert result.returncode == 2
    assert result.stderr.strip() == message
