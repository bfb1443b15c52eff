"""Run a tiny spider over fixed URLs with the WARC capture on (one crawl per process).

Usage: `python -m tests.servers.crawl CONFIG.json` where CONFIG holds `urls`, `out` (items JSON
path) and `settings` (overrides). Items are what `archiver.warc.pointer_for` returned per page.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archiver.warc import pointer_for


class FetchSpider(scrapy.Spider):
    name = "fetch"

    def __init__(self, urls: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.items: list[dict[str, Any]] = []

    async def start(self):  # type: ignore[override]
        for url in self.urls:
            yield scrapy.Request(url, dont_filter=True,
                                 meta={"handle_httpstatus_list": [304, 404]})

    def parse(self, response: Any) -> Any:
        pointer, digest = pointer_for(response)
        item = {"url": response.url, "status": response.status, "warc": pointer,
                "digest": digest, "type": response.meta.get("archiver_warc_type"),
                "body_len": len(response.body)}
        self.items.append(item)
        yield item


def settings_for(overrides: dict[str, Any]) -> Settings:
    settings = Settings()
    settings.setmodule("archiver.settings", priority="project")
    settings.update({
        "ITEM_PIPELINES": {"archiver.pipelines.warcmeta.WarcMetadataPipeline": 700},
        "EXTENSIONS": {}, "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOADER_MIDDLEWARES": {"archiver.middlewares.warc_capture.WarcCaptureMiddleware": 950},
        "LOG_LEVEL": "WARNING", "RETRY_ENABLED": False,
    }, priority="cmdline")
    settings.update(overrides, priority="cmdline")
    return settings


def main(config_path: str) -> None:
    config = json.loads(open(config_path).read())
    process = CrawlerProcess(settings_for(config.get("settings", {})))
    crawler = process.create_crawler(FetchSpider)
    process.crawl(crawler, urls=config["urls"])
    process.start()
    spider = crawler.spider
    with open(config["out"], "w") as handle:
        json.dump({"items": spider.items, "stats": crawler.stats.get_stats()}, handle,
                  default=str)


if __name__ == "__main__":
    main(sys.argv[1])
