"""`per_crawler`: the components of one crawler share one object; another crawler gets its own."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from archiver.crawldir import CrawlDir
from archiver.per_crawler import per_crawler


def test_built_once_per_crawler_and_never_shared_between_crawlers() -> None:
    built: list[Any] = []

    @per_crawler
    def thing(crawler: Any) -> object:
        built.append(crawler)
        return object()

    first, second = get_crawler(), get_crawler()
    assert thing(first) is thing(first)
    assert thing(second) is not thing(first)
    assert built == [first, second]


def test_a_failed_build_is_not_remembered() -> None:
    calls = []

    @per_crawler
    def flaky(crawler: Any) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("not yet")
        return len(calls)

    crawler = get_crawler()
    with pytest.raises(ValueError):
        flaky(crawler)
    assert flaky(crawler) == 2 and flaky(crawler) == 2


def test_two_builders_keep_their_own_objects(tmp_path: Any) -> None:
    crawler = get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path), "CRAWL_ID": "c1"})

    @per_crawler
    def other(crawler: Any) -> str:
        return "other"

    assert other(crawler) == "other"
    assert CrawlDir.from_crawler(crawler) is CrawlDir.from_crawler(crawler)
    assert CrawlDir.from_crawler(crawler).crawl_id == "c1"
