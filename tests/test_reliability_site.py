"""Site-level hostility: URL traps must not explode a crawl; broken robots.txt must not stop one."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from archiver.middlewares.traps import url_shape
from tests.crawling import CrawlResult, run_crawl
from tests.hostile_server import hostile_server

TRAP_SETTINGS = {"MAX_DEPTH": "0", "MAX_PAGES": "600", "TRAP_UNPRODUCTIVE_PAGES": "10",
                 "CONCURRENT_REQUESTS_PER_DOMAIN": "16", "FAIL_ON_EMPTY": "False"}


def _trap_crawl(tmp_path: Path, seed: str, **extra: str) -> tuple[CrawlResult, int]:
    with hostile_server() as server:
        crawl = run_crawl(tmp_path, f"site={server.url(seed)}", settings={**TRAP_SETTINGS, **extra})
        fetched = sum(len(times) for target, times in server.hits.items() if target != "/robots.txt")
    return crawl, fetched


@pytest.mark.parametrize("seed", ["/calendar?m=0", "/s/000000000000000000000000/list"])
def test_trap_guard_bounds_the_crawl(tmp_path: Path, seed: str) -> None:
    crawl, fetched = _trap_crawl(tmp_path / "guarded", seed)
    assert "Traceback" not in crawl.stderr
    stats = crawl.summary()["stats"]
    assert stats.get("archiver/trap_shapes", 0) >= 1, (fetched, crawl.stderr[-3000:])
    assert "URL trap: not following more links like" in crawl.stderr
    # Each URL family closes after 10 unproductive pages; requests already in flight then (at most
    # the 16 concurrent ones) still land. The calendar makes four families (?m=# and ?m=-#, each
    # with and without &day=#), not one per URL.
    families = stats["archiver/trap_shapes"]
    assert families <= 4, (families, stats)
    assert fetched <= 1 + families * (int(TRAP_SETTINGS["TRAP_UNPRODUCTIVE_PAGES"])
                                      + int(TRAP_SETTINGS["CONCURRENT_REQUESTS_PER_DOMAIN"])), (fetched, stats)
    assert crawl.returncode == 0


def test_without_the_guard_the_trap_runs_to_the_page_cap(tmp_path: Path) -> None:
    """Control: the same trap, guard off, only stops at MAX_PAGES — the guard is what bounds it."""
    crawl, fetched = _trap_crawl(tmp_path, "/calendar?m=0", TRAP_GUARD_ENABLED="False")
    assert fetched >= 500, fetched
    assert crawl.summary()["stats"].get("archiver/max_pages_skipped", 0) > 0


@pytest.mark.parametrize("url, same_family", [
    ("http://h/calendar?m=17", "http://h/calendar?m=18"),
    ("http://h/s/9f8e7d6c5b4a39281706f5e4/list", "http://h/s/0a1b2c3d4e5f60718293a4b5/list"),
    ("http://h/2024/03/05/", "http://h/2023/11/30/"),
    ("http://h/list?b=2&a=1", "http://h/list?a=7&b=9"),
])
def test_url_shape_groups_trap_families(url: str, same_family: str) -> None:
    assert url_shape(url) == url_shape(same_family)


def test_url_shape_keeps_article_slugs_apart() -> None:
    assert url_shape("http://h/news/harbour-bridge-reopens") != url_shape("http://h/news/night-train")


@pytest.fixture(scope="module")
def robots_crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CrawlResult]:
    modes = ["html", "garbage", "huge-line", "500"]

    def crawl(mode: str) -> CrawlResult:
        with hostile_server(robots=mode) as server:
            return run_crawl(tmp_path_factory.mktemp(f"robots-{mode}"),
                             f"url={server.url('/good/one')},{server.url('/good/two')}")

    with ThreadPoolExecutor(max_workers=len(modes)) as pool:
        return dict(zip(modes, pool.map(crawl, modes), strict=True))


@pytest.mark.parametrize("mode", ["html", "garbage", "huge-line", "500"])
def test_broken_robots_txt_does_not_stop_the_crawl(robots_crawls: dict[str, CrawlResult], mode: str) -> None:
    crawl = robots_crawls[mode]
    assert "Traceback" not in crawl.stderr
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    assert len(crawl.records()) == 2
    assert crawl.summary()["stats"]["robotstxt/request_count"] == 1


def test_a_big_productive_url_family_is_not_a_trap() -> None:
    """Regression (soak run): 10,000 articles at /p/N.html are one URL family, and all articles."""
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from archiver.middlewares.traps import TrapGuardMiddleware

    guard = TrapGuardMiddleware.from_crawler(get_crawler(settings_dict={"TRAP_MAX_PER_SHAPE": 50}))
    for n in range(200):
        request = Request(f"http://h/p/{n}.html", meta={"archiver_role": "page", "archiver_depth": 1})
        guard.process_request(request)
        guard.item_scraped({}, guard.process_response(request, _ok(request)))
    assert guard.closed == set()
    for n in range(200):  # the same family without a single article: closed
        request = Request(f"http://h/tag/{n}", meta={"archiver_role": "page", "archiver_depth": 1})
        try:
            guard.process_request(request)
        except Exception:  # IgnoreRequest once closed
            break
        guard.process_response(request, _ok(request))
    assert guard.closed


def _ok(request):  # type: ignore[no-untyped-def]
    from scrapy.http import HtmlResponse

    return HtmlResponse(request.url, status=200, body=b"<html></html>", request=request)


def test_records_of_listings_kept_by_keep_all_do_not_make_a_family_productive() -> None:
    """`-a keep=all` makes every calendar page a record: those records prove nothing about a family."""
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from archiver.middlewares.traps import TrapGuardMiddleware

    guard = TrapGuardMiddleware.from_crawler(get_crawler(settings_dict={"TRAP_UNPRODUCTIVE_PAGES": 10}))
    for n in range(20):
        request = Request(f"http://h/calendar?m={n}", meta={"archiver_role": "page", "archiver_depth": 1})
        try:
            guard.process_request(request)
        except Exception:  # IgnoreRequest once closed
            break
        guard.item_scraped({"page_type": "listing"}, guard.process_response(request, _ok(request)))
    assert guard.closed == {url_shape("http://h/calendar?m=0")}
    article = Request("http://h/2024/05/story", meta={"archiver_role": "page", "archiver_depth": 1})
    guard.item_scraped({"page_type": "article"}, guard.process_response(article, _ok(article)))
    assert guard.productive[url_shape(article.url)] == 1
