"""End to end: a site crawl of both WordPress snapshots gives every post's metadata exactly as the
database truth has it — including `modified`, which only the REST post endpoint carries."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import pytest

from archiver.extract.wordpress_post import post_dates, post_rest_url

sys.path.append(str(Path(__file__).resolve().parent.parent / "benchmarks"))  # last: never shadows packages
import comments as bench  # noqa: E402
import comments_crawl  # noqa: E402

FIELDS = ("title", "published", "modified", "categories", "tags")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_post_rest_url_from_the_comments_endpoint() -> None:
    assert post_rest_url("http://b.test/wp-json/wp/v2/comments?post=42&per_page=100") == \
        "http://b.test/wp-json/wp/v2/posts/42"
    assert post_rest_url("http://b.test/?rest_route=/wp/v2/comments&post=42&per_page=100") == \
        "http://b.test/?rest_route=/wp/v2/posts/42"
    assert post_rest_url("http://b.test/wp-json/wp/v2/comments?per_page=100") is None
    assert post_rest_url(None) is None


def test_post_dates_carry_the_site_offset() -> None:
    post = {"date": "2023-02-19T08:22:00", "date_gmt": "2023-02-19T07:22:00",
            "modified": "2023-07-21T01:22:00", "modified_gmt": "2023-07-20T23:22:00"}
    assert post_dates(post) == ("2023-02-19T08:22:00+01:00", "2023-07-21T01:22:00+02:00")
    assert post_dates({"date": "bad", "date_gmt": "2023-01-01T00:00:00"}) == (None, None)
    assert post_dates([]) == (None, None)


@pytest.mark.parametrize("site", bench.SITES)
def test_site_crawl_metadata_matches_the_database(site: str, corpus: Path) -> None:
    records = {r["url"]: r for r in comments_crawl.crawl_records(site, _free_port(), bench.serve)}
    index = json.loads((corpus / "wordpress" / site / "truth" / "index.json").read_text())
    for post in index["posts"]:
        truth = json.loads((corpus / "wordpress" / site / "truth" / post["file"]).read_text())
        record = records[post["url"]]
        assert record["authors"][0]["name"] == truth["author"], post["slug"]
        for field in FIELDS:
            assert record[field] == truth[field], (post["slug"], field)
