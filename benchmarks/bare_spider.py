"""The reference: a bare Scrapy spider that only follows links (no extraction, no files).

It follows the same links our `site` crawl follows (same host, same trap filter), so both fetch the
same pages and the comparison measures the pipeline, not the link policy.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy

from archiver.crawl.links_policy import is_followable


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start: str = "", stats_file: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = start
        self.stats_file = stats_file
        self.host = urlsplit(start).netloc

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.start_url)

    def parse(self, response: scrapy.http.Response) -> Any:
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if urlsplit(url).netloc == self.host and is_followable(url):
                yield scrapy.Request(url.split("#")[0])

    def closed(self, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        with open(self.stats_file or os.devnull, "w") as stream:
            elapsed = (datetime.now(UTC) - stats["start_time"]).total_seconds()
            json.dump({"responses": stats.get("downloader/response_count", 0), "elapsed": elapsed}, stream)
