"""The issue's figure on the WordPress snapshot sites: every approved comment, exact parents, no
spam/pending, exact comment_count and comments_open, for every post — following comment pages the way
the spider does (benchmarks/comments.py), with and without REST reconciliation."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from archiver.extract.comments import extract_comments
from archiver.extract.comments.rest import comments_from_rest, reconcile, rest_page_url, wordpress_rest_url
from archiver.extract.document import Document

sys.path.append(str(Path(__file__).resolve().parent.parent / "benchmarks"))  # last: never shadows packages
import comments as bench  # noqa: E402


@pytest.mark.parametrize("site", bench.SITES)
@pytest.mark.parametrize("use_rest", [False, True])
def test_every_post_is_perfect(site: str, use_rest: bool, corpus: Path) -> None:
    rows = bench.run_site(site, bench.manifest_fetcher(site), use_rest)
    assert len(rows) == 12
    for row in rows:
        assert row["found"] == row["truth"], row
        assert row["parent_ok"] == row["found"] and row["depth_ok"] == row["found"], row
        assert row["extra"] == 0 and row["leaked"] == 0, row
        assert row["order_ok"] and row["count_ok"] and row["open_ok"], row
        assert row["text_ok"] == row["texts"], row


def test_block_paged_post_links_older_pages(corpus: Path) -> None:
    site = corpus / "wordpress" / "block-paged"
    url = "http://blog.test:8080/2023/09/a-small-week-with-a-sourdough-starter/"
    thread = extract_comments(Document.from_html((site / "site" / "2023/09/a-small-week-with-a-sourdough-starter"
                                                  / "index.html").read_bytes(), url))
    assert thread.page_number == 8
    assert thread.page_urls == [url + "comment-page-7/"]
    assert thread.count == 65 and thread.open is True
    assert thread.rest_url == "http://blog.test:8080/wp-json/wp/v2/comments?post=12&per_page=100"
    assert rest_page_url(thread.rest_url, 2) == thread.rest_url + "&page=2"


def test_rest_completes_offsets_and_missing_comments(corpus: Path) -> None:
    site = corpus / "wordpress" / "classic"
    manifest = json.loads((site / "manifest.json").read_text())
    page = manifest["/2023/02/looking-for-the-river-trail/"]
    doc = Document.from_html((site / page["file"]).read_bytes(), page["url"])
    html_comments = extract_comments(doc).comments
    api = json.loads((site / manifest["/wp-json/wp/v2/comments?post=4&per_page=100"]["file"]).read_text())
    rest = comments_from_rest([api])
    assert [c["id"] for c in rest] == ["2", "3", "5", "6", "7", "4", "8"]  # no pingbacks in the API
    assert rest[0]["published"] == "2023-02-20T05:30:45+01:00"
    # HTML dates without offsets get the API's; a comment missing from the HTML is put in place.
    naive = [{**c, "published": (c["published"] or "")[:19] or None} for c in html_comments if c["id"] != "5"]
    merged = reconcile(naive, rest)
    assert [(c["id"], c["depth"]) for c in merged] == [
        (c["id"], c["depth"]) for c in html_comments]
    assert merged[0]["published"] == "2023-02-20T05:30:45+01:00"
    assert reconcile(html_comments, comments_from_rest([{"code": "rest_disabled"}])) == html_comments


def test_rest_url_sources() -> None:
    base = ('<html><head><link rel="https://api.w.org/" href="https://x.example/wp-json/"/>{}</head>'
            "<body {}></body></html>")
    cases = [
        (base.format('<link rel="shortlink" href="https://x.example/?p=42"/>', ""), "42"),
        (base.format("", 'class="single postid-77"'), "77"),
        (base.format('<link rel="alternate" type="application/json" href="https://x.example/wp-json/wp/v2/posts/9"/>',
                     ""), "9"),
    ]
    for html, post in cases:
        url = wordpress_rest_url(Document.from_html(html, "https://x.example/a/"))
        assert url == f"https://x.example/wp-json/wp/v2/comments?post={post}&per_page=100"
    assert wordpress_rest_url(Document.from_html("<html><body><p>hi</p></body></html>", "https://y.example/")) is None
