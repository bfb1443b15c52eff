"""The `article` spider end to end against the bundled demo site: every input mode, scope, robots."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from archiver.schema import record_errors
from tests.crawling import run_crawl

DEMO_ARTICLES = {
    "/news/harbour-bridge-reopens.html",
    "/2024/03/night-train/",
    "/2024/04/harbour-notes/",
    "/reviews/rangefinder.html",
    "/essays/on-archives.html",
}


def paths(records: list[dict], base: str) -> set[str]:
    return {r["url"].removeprefix(base) for r in records}


def assert_clean_run(result) -> list[dict]:  # type: ignore[no-untyped-def]
    assert result.returncode == 0, result.stderr[-3000:]
    crawl_dir = result.crawl_dir
    assert not list(crawl_dir.glob("*.open")), "unfinished files left behind"
    records = result.records()
    for record in records:
        assert record_errors(record) == [], record["url"]
    assert (crawl_dir / "crawl.json").is_file()
    return records


def test_site_mode_archives_every_article_and_only_articles(tmp_path: Path, demo_site: str) -> None:
    result = run_crawl(tmp_path, f"site={demo_site}/")
    records = assert_clean_run(result)
    assert paths(records, demo_site) == DEMO_ARTICLES
    summary = result.summary()
    assert summary["counts"]["records"] == len(DEMO_ARTICLES)
    assert summary["outcome"]["exit_code"] == 0
    assert summary["inputs"] == {"mode": "site", "urls": [f"{demo_site}/"]}


def test_site_mode_obeys_robots_txt(tmp_path: Path, demo_site: str) -> None:
    result = run_crawl(tmp_path, f"site={demo_site}/")
    assert result.returncode == 0
    assert "/private/draft.html" not in paths(result.records(), demo_site)
    stats = result.summary()["stats"]
    assert stats.get("robotstxt/forbidden", 0) >= 1


def test_url_mode_comma_list(tmp_path: Path, demo_site: str) -> None:
    urls = [f"{demo_site}/essays/on-archives.html", f"{demo_site}/about.html"]
    records = assert_clean_run(run_crawl(tmp_path, "url=" + ",".join(urls)))
    # Pages named by the user are archived even when they do not look like articles.
    assert paths(records, demo_site) == {"/essays/on-archives.html", "/about.html"}
    essay = next(r for r in records if r["url"].endswith("on-archives.html"))
    assert essay["status"] == 200
    assert essay["fetched_at"] is not None
    assert "promise made to a stranger" in essay["body"]


def test_urls_file_mode_skips_comments_and_blank_lines(tmp_path: Path, demo_site: str) -> None:
    urls_file = tmp_path / "urls.txt"
    urls_file.write_text(f"# demo\n\n{demo_site}/reviews/rangefinder.html\n  \n{demo_site}/2024/03/night-train/\n")
    records = assert_clean_run(run_crawl(tmp_path / "out", f"urls_file={urls_file}"))
    assert paths(records, demo_site) == {"/reviews/rangefinder.html", "/2024/03/night-train/"}


def test_sitemap_mode_follows_sitemap_index(tmp_path: Path, demo_site: str) -> None:
    records = assert_clean_run(run_crawl(tmp_path, f"sitemap={demo_site}/sitemap.xml"))
    assert paths(records, demo_site) == DEMO_ARTICLES


def test_feed_mode(tmp_path: Path, demo_site: str) -> None:
    records = assert_clean_run(run_crawl(tmp_path, f"feed={demo_site}/feed.xml"))
    assert paths(records, demo_site) == {
        "/2024/04/harbour-notes/", "/2024/03/night-train/", "/news/harbour-bridge-reopens.html"}


def test_include_exclude_and_max_pages(tmp_path: Path, demo_site: str) -> None:
    result = run_crawl(tmp_path / "a", f"sitemap={demo_site}/sitemap.xml", "exclude=/2024/")
    assert paths(result.records(), demo_site) == DEMO_ARTICLES - {"/2024/03/night-train/", "/2024/04/harbour-notes/"}
    result = run_crawl(tmp_path / "b", f"sitemap={demo_site}/sitemap.xml", r"include=\.html$")
    assert all(p.endswith(".html") for p in paths(result.records(), demo_site))
    result = run_crawl(tmp_path / "c", f"sitemap={demo_site}/sitemap.xml", "max_pages=2")
    assert len(result.records()) == 2


def _chain_site(root: Path, length: int) -> None:
    """page0 → page1 → … each an article linking to the next, plus an off-site link."""
    for number in range(length):
        link = f'<a href="/page{number + 1}.html">next</a>' if number + 1 < length else ""
        text = " ".join(["Running text of a chained article page for depth tests."] * 6)
        (root / f"page{number}.html").write_text(
            f'<html><head><meta property="og:type" content="article"><title>Page {number}</title></head>'
            f"<body><article><h1>Page {number}</h1><p>{text}</p><p>{text}</p><p>{text}</p>{link}"
            f'<a href="http://elsewhere.test/x.html">off-site</a></article></body></html>')


def test_max_depth_limits_link_following(tmp_path: Path) -> None:
    from archiver.demo.server import serve

    site = tmp_path / "site"
    site.mkdir()
    _chain_site(site, 5)
    with serve(site) as base:
        shallow = run_crawl(tmp_path / "a", f"site={base}/page0.html", "max_depth=1")
        deep = run_crawl(tmp_path / "b", f"site={base}/page0.html", "max_depth=3")
    assert paths(shallow.records(), base) == {"/page0.html", "/page1.html"}
    assert paths(deep.records(), base) == {f"/page{n}.html" for n in range(4)}
    assert deep.summary()["stats"].get("archiver/offsite_dropped", 0) == 0  # never even requested


def test_redirect_to_another_host_is_not_followed(tmp_path: Path) -> None:
    from archiver.demo.server import SiteHandler, serve

    class Redirecting(SiteHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/moved.html":
                port = self.server.server_address[1]
                self.send_response(301)
                self.send_header("Location", f"http://localhost:{port}/page0.html")  # other host
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            super().do_GET()

    site = tmp_path / "site"
    site.mkdir()
    _chain_site(site, 1)
    with serve(site, handler_class=Redirecting) as base:
        result = run_crawl(tmp_path / "out", f"url={base}/moved.html,{base}/page0.html")
    assert paths(result.records(), base) == {"/page0.html"}
    stats = result.summary()["stats"]
    assert stats["archiver/offsite_dropped"] == 1
    assert "outside the crawl scope" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "no input"),
        (["url=http://a.test/", "site=http://b.test/"], "exactly one input"),
        (["urls_file=/nonexistent/urls.txt"], "cannot read"),
        (["url=not a url"], "not an absolute http(s) URL"),
        (["url=ftp://example.org/x"], "not an absolute http(s) URL"),
        (["site=http://a.test/", "max_pages=many"], "whole number"),
        (["site=http://a.test/", "include=("], "invalid regular expression"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_crawl(tmp_path, *args)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and message in lines[0]
    assert "Traceback" not in result.stderr


def test_failed_crawl_exits_non_zero(tmp_path: Path, demo_site: str) -> None:
    result = run_crawl(tmp_path, f"url={demo_site}/missing-page.html")
    assert result.returncode == 3
    assert result.summary()["counts"]["errors"] == 1
    assert "Traceback" not in result.stderr


def test_empty_crawl_exits_non_zero(tmp_path: Path, demo_site: str) -> None:
    result = run_crawl(tmp_path, f"feed={demo_site}/about.html")
    assert result.returncode == 4
    assert result.summary()["outcome"]["reason"] == "no article record was written"


def test_gzip_jsonl_and_rotation(tmp_path: Path, demo_site: str) -> None:
    result = run_crawl(tmp_path, f"sitemap={demo_site}/sitemap.xml",
                       settings={"JSONL_GZIP": "True", "JSONL_MAX_RECORDS": "2"})
    assert result.returncode == 0, result.stderr[-2000:]
    files = sorted(result.crawl_dir.glob("records-*.jsonl.gz"))
    assert len(files) == 3
    lines = [line for f in files for line in gzip.open(f, "rt", encoding="utf-8").read().splitlines()]
    assert len(lines) == len(DEMO_ARTICLES)
    assert all(record_errors(json.loads(line)) == [] for line in lines)


def test_extraction_in_worker_processes_gives_the_same_records(tmp_path: Path, demo_site: str) -> None:
    volatile = ("fetched_at", "warc", "digest")

    def comparable(result) -> dict[str, dict]:  # type: ignore[no-untyped-def]
        return {r["url"]: {k: v for k, v in r.items() if k not in volatile} for r in result.records()}

    pooled = run_crawl(tmp_path / "pool", f"sitemap={demo_site}/sitemap.xml", settings={"EXTRACT_WORKERS": "1"})
    inline = run_crawl(tmp_path / "inline", f"sitemap={demo_site}/sitemap.xml", settings={"EXTRACT_WORKERS": "0"})
    assert pooled.returncode == 0, pooled.stderr[-2000:]
    assert comparable(pooled) == comparable(inline)
    assert len(comparable(pooled)) == len(DEMO_ARTICLES)


class _RecordingExtraction:
    """Stands in for the ExtractionPool: notes whether each page was to be classified."""

    def __init__(self) -> None:
        self.classify: list[bool] = []

    async def analyze(self, html: str, url: str, *, classify: bool = True) -> None:
        self.classify.append(classify)


@pytest.mark.parametrize(("callback", "classified"), [("parse_page", True), ("parse_article", False)])
def test_only_pages_of_site_and_sitemap_crawls_are_classified(callback: str, classified: bool) -> None:
    import asyncio

    from scrapy.http import HtmlResponse

    from spiders.article import ArticleSpider

    spider = ArticleSpider(url="https://news.example/a/")
    spider.extraction = extraction = _RecordingExtraction()  # type: ignore[assignment]
    response = HtmlResponse("https://news.example/a/", body=b"<html><body><p>Text</p></body></html>",
                            encoding="utf-8")

    async def drain() -> None:
        async for _ in getattr(spider, callback)(response):
            pass

    asyncio.run(drain())
    assert extraction.classify == [classified]
