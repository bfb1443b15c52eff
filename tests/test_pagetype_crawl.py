"""End to end: a `site` crawl keeps the articles, counts the other pages in crawl.json by kind and
reason and lists the first of them; `-a keep=all` makes every page a record with its page_type."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.demo.server import serve
from tests.crawling import run_crawl
from tests.test_pagetype import page, paragraphs, prose

ARTICLES = {
    "2024/05/short-brief": f"<h1>Harbour bridge reopens after eight months</h1><div><p>{prose(420)}</p></div>",
    "2024/05/headline-in-h2": f"<article><h2>Ferry timetable changes</h2>{paragraphs(4, tag='div')}</article>",
    "2024/05/blog-class": f"<article><h1>Council passes the budget</h1>{paragraphs(5)}</article>",
}


def card(path: str, excerpt: int = 200) -> str:
    return (f'<article class="teaser"><h2><a href="/{path}/">A story about {path.rsplit("/", 1)[-1]} '
            f"and the harbour</a></h2><p>{prose(excerpt)}</p></article>")


def build_site(root: Path) -> None:
    pages = {
        "": "<h1>News Example</h1>" + "".join(card(path) for path in ARTICLES)
            + '<p><a href="/tag/bridges/">Bridges</a> <a href="/members/">Members</a> '
              '<a href="/contact/">Contact</a></p>',
        "tag/bridges": "<h1>Tag: bridges</h1>" + card("2024/05/short-brief", 300),
        "members": '<h1>Members</h1><form method="post"><input type="email" name="e">'
                   '<input type="password" name="p"><button>Sign in</button></form>',
        "contact": f"<h1>Contact us</h1><p>{prose(150)}</p><address>1 Harbour Street</address>"
                   "<form><input name='n'><input type='email' name='e'><textarea name='m'></textarea></form>",
        **ARTICLES,
    }
    for path, content in pages.items():
        folder = root / path
        folder.mkdir(parents=True, exist_ok=True)
        body_class = "blog" if path.endswith("blog-class") else ""
        (folder / "index.html").write_text(page(content, body_class=body_class), encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("classified-site")
    build_site(root)
    with serve(root) as base:
        yield base


def test_site_crawl_counts_and_lists_the_pages_it_leaves_out(site: str, tmp_path: Path) -> None:
    result = run_crawl(tmp_path, f"site={site}/", settings={"PAGE_TYPE_REJECTED_LISTED": "2"})
    assert result.returncode == 0, result.stderr[-2000:]
    records = result.records()
    assert sorted(r["url"] for r in records) == sorted(f"{site}/{path}/" for path in ARTICLES)
    assert {r["page_type"] for r in records} == {"article"}
    summary = result.summary()
    assert summary["counts"]["page_types"] == {"article": 3, "listing": 2, "other": 2}
    reasons = summary["counts"]["page_type_reasons"]
    assert sum(reasons.values()) == 4 and all(key.split(": ")[0] in ("listing", "other") for key in reasons)
    assert reasons["other: form page"] == 2
    listed = summary["page_type_rejected"]
    assert len(listed) == 2  # PAGE_TYPE_REJECTED_LISTED
    not_articles = {f"{site}/", f"{site}/tag/bridges/", f"{site}/members/", f"{site}/contact/"}
    for entry in listed:
        assert entry["url"] in not_articles and entry["page_type"] in ("listing", "other") and entry["reason"]


def test_keep_all_archives_every_page_with_its_page_type(site: str, tmp_path: Path) -> None:
    result = run_crawl(tmp_path, f"site={site}/", "keep=all")
    assert result.returncode == 0, result.stderr[-2000:]
    kinds = {r["url"]: r["page_type"] for r in result.records()}
    assert kinds == {
        **{f"{site}/{path}/": "article" for path in ARTICLES},
        f"{site}/": "listing", f"{site}/tag/bridges/": "listing",
        f"{site}/members/": "other", f"{site}/contact/": "other",
    }
    summary = result.summary()
    assert summary["counts"]["articles"] == len(ARTICLES)  # the kept listings are records, not articles
    assert summary["counts"]["records"] == len(kinds)
    stats = summary["stats"]
    assert (stats["archiver/page_type_kept/listing"], stats["archiver/page_type_kept/other"]) == (2, 2)
    summary = result.summary()
    assert summary["page_type_rejected"] == []
    assert summary["counts"]["page_types"] == {"article": 3, "listing": 2, "other": 2}


def test_url_mode_does_not_classify(site: str, tmp_path: Path) -> None:
    result = run_crawl(tmp_path, f"url={site}/members/")
    assert result.returncode == 0, result.stderr[-2000:]
    assert [r["page_type"] for r in result.records()] == [None]


def test_incremental_keep_all_keeps_listings_as_discovery_pages(site: str, tmp_path: Path) -> None:
    """Records of listings are not articles of the state: the next run fetches them again, and
    so still finds new articles through their links (a known article that is not due is not)."""
    from archiver.incremental.state import ARTICLE, PAGE, CrawlState

    state_db = tmp_path / "state.sqlite3"
    settings = {"INCREMENTAL": "True", "STATE_DB": str(state_db)}
    first = run_crawl(tmp_path / "run1", f"site={site}/", "keep=all", settings=settings)
    assert first.returncode == 0, first.stderr[-2000:]
    listings = {f"{site}/", f"{site}/tag/bridges/", f"{site}/members/", f"{site}/contact/"}
    assert {r["url"] for r in first.records() if r["page_type"] != "article"} == listings
    assert all("version" not in r for r in first.records() if r["page_type"] != "article")
    state = CrawlState(state_db)
    try:
        kinds = {url: state.get(url).kind for url in listings | {f"{site}/{p}/" for p in ARTICLES}}  # type: ignore[union-attr]
    finally:
        state.close()
    assert kinds == {url: PAGE if url in listings else ARTICLE for url in kinds}
    second = run_crawl(tmp_path / "run2", f"site={site}/", "keep=all", settings=settings)
    assert second.returncode == 0, second.stderr[-2000:]
    assert {r["url"] for r in second.records()} == listings  # the articles are not due yet
