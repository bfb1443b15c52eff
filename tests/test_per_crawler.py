"""`per_crawler`: the components of one crawler share one object; another crawler gets its own."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from archiver.crawldir import CrawlDir
from archiver.per_crawler import OnePerCrawler, per_crawler


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


def test_one_per_crawler_classes_are_built_from_the_crawlers_settings() -> None:
    class Thing(OnePerCrawler):
        def __init__(self, name: str) -> None:
            self.name = name

        @classmethod
        def from_settings(cls, settings: Any) -> Thing:
            return cls(settings.get("BOT_NAME"))

    first, second = get_crawler(settings_dict={"BOT_NAME": "a"}), get_crawler(settings_dict={"BOT_NAME": "b"})
    assert Thing.from_crawler(first) is Thing.from_crawler(first)
    assert (Thing.from_crawler(first).name, Thing.from_crawler(second).name) == ("a", "b")
