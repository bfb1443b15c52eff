"""Sitemaps, feeds, robots.txt and the link policy of site crawls."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.crawl.discovery import TooLarge, maybe_gunzip, parse_feed, parse_sitemap, robots_sitemaps
from archiver.crawl.links_policy import is_followable
from archiver.crawl.url_scope import Scope

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://a.test/one</loc><lastmod>2024-01-01</lastmod></url>
<url><loc> https://a.test/two </loc></url>
<url><loc>/relative</loc></url>
<url><loc>https://a.test/one</loc></url>
</urlset>"""


def test_urlset_and_relative_locations() -> None:
    entries = parse_sitemap(URLSET, "https://a.test/sitemap.xml")
    assert entries.kind == "urlset"
    assert entries.urls == ["https://a.test/one", "https://a.test/two", "https://a.test/relative"]
    assert entries.lastmod["https://a.test/one"] == "2024-01-01"


def test_sitemap_index_gzipped() -> None:
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://a.test/s1.xml.gz</loc></sitemap></sitemapindex>"""
    entries = parse_sitemap(gzip.compress(index), "https://a.test/sitemap.xml.gz")
    assert entries.kind == "sitemapindex"
    assert entries.urls == ["https://a.test/s1.xml.gz"]


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (5 * 1024 * 1024))
    with pytest.raises(TooLarge):
        maybe_gunzip(bomb, max_size=1024 * 1024)


def test_xml_entities_are_not_expanded() -> None:
    evil = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
    <urlset><url><loc>https://a.test/&e;</loc></url></urlset>"""
    entries = parse_sitemap(evil, "https://a.test/")
    assert all("root:" not in url for url in entries.urls)


def test_not_a_sitemap() -> None:
    assert parse_sitemap(b"<html><body>hi</body></html>", "https://a.test/").kind == "invalid"
    assert parse_sitemap(b"", "https://a.test/").kind == "invalid"


def test_rss_and_atom_feeds() -> None:
    rss = b"""<rss version="2.0"><channel><item><link>https://a.test/p1</link></item>
    <item><guid isPermaLink="true">https://a.test/p2</guid></item></channel></rss>"""
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry>
    <link rel="replies" href="https://a.test/p3#comments"/><link rel="alternate" type="text/html" href="/p3"/>
    </entry></feed>"""
    assert parse_feed(rss, "https://a.test/feed") == ["https://a.test/p1", "https://a.test/p2"]
    assert parse_feed(atom, "https://a.test/feed") == ["https://a.test/p3"]
    assert parse_feed(b"not xml at all", "https://a.test/") == []


def test_robots_sitemaps() -> None:
    text = "User-agent: *\nDisallow: /x\nSITEMAP: /s.xml\nsitemap:https://a.test/t.xml\n"
    assert robots_sitemaps(text, "https://a.test/robots.txt") == ["https://a.test/s.xml", "https://a.test/t.xml"]
    assert robots_sitemaps("<html>garbage</html>", "https://a.test/robots.txt") == []


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_parsers_never_raise_on_garbage(data: bytes) -> None:
    parse_sitemap(data, "https://a.test/")
    parse_feed(data, "https://a.test/")


def test_scope_hosts_and_patterns() -> None:
    import re

    scope = Scope.build(["https://www.a.test/start"], ["b.test"], exclude=(re.compile("/private/"),))
    assert scope.url_allowed("https://a.test/x")
    assert scope.url_allowed("https://news.a.test/x")
    assert scope.url_allowed("https://b.test/y")
    assert not scope.url_allowed("https://a.test.evil.test/x")
    assert not scope.url_allowed("https://evil-a.test/x")
    assert not scope.url_allowed("https://a.test/private/x")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.test/2024/01/post/", True),
        ("https://a.test/page/2/", True),
        ("https://a.test/2024/01/post/?replytocom=12", False),
        ("https://a.test/2024/01/post/comment-page-2/", False),
        ("https://a.test/wp-login.php?redirect_to=x", False),
        ("https://a.test/image.JPG", False),
        ("https://a.test/feed/", False),
        ("https://a.test/?s=query", False),
        ("https://a.test/a/b/a/b/a/b/a/b/a/b/", False),
        ("https://a.test/" + "x" * 600, False),
    ],
)
def test_link_policy(url: str, expected: bool) -> None:
    assert is_followable(url) is expected


def _gzip_sitemap_of(size: int) -> bytes:
    """A one-URL urlset padded with XML comments to `size` bytes once decompressed."""
    filler = b"<!--" + b"x" * 1000 + b"-->\n"
    body = URLSET.replace(b"</urlset>", filler * (size // len(filler)) + b"</urlset>")
    return gzip.compress(body, compresslevel=1)


@pytest.mark.parametrize("download_maxsize, parsed", [(0, True), (1024 * 1024, False)])
def test_spider_caps_a_gzip_sitemap_at_download_maxsize_or_the_protocol_limit(
        download_maxsize: int, parsed: bool) -> None:
    """DOWNLOAD_MAXSIZE bounds the compressed download; the decompressed sitemap is bounded by it
    too, and by the sitemaps.org limit of 50 MB when it is 0 (not by the 16 MB default)."""
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from archiver.crawl.discovery import SITEMAP_MAX_BYTES
    from spiders.article import ArticleSpider

    assert SITEMAP_MAX_BYTES == 50 * 1024 * 1024
    crawler = get_crawler(ArticleSpider, settings_dict={"DOWNLOAD_MAXSIZE": download_maxsize,
                                                        "EXTRACT_WORKERS": 0})
    spider = ArticleSpider.from_crawler(crawler, sitemap="https://a.test/sitemap.xml.gz")
    response = Response("https://a.test/sitemap.xml.gz", body=_gzip_sitemap_of(20 * 1024 * 1024))
    if parsed:
        assert {r.url for r in spider.parse_sitemap(response)} == {"https://a.test/one", "https://a.test/two",
                                                                  "https://a.test/relative"}
    else:
        with pytest.raises(TooLarge):
            list(spider.parse_sitemap(response))
