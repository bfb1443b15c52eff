
"""Optional media capture (ARCHIVE_MEDIA): fetch an article's images, audio and video into the WARC.

An item pipeline, because the media list is only known after extraction. Each media URL is fetched
once per crawl through the engine's downloader (so robots.txt, politeness and the capture
middleware all apply) with `download_maxsize` = ARCHIVE_MEDIA_MAX_SIZE: larger files are dropped
by Scrapy, not archived. The response never reaches the spider.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

from archiver.defaults import setting_bool, setting_int, setting_list
from archiver.request_meta import MEDIA_KEY, OFFSITE_OK_KEY

logger = logging.getLogger(__name__)



def media_urls(record: dict[str, Any], types: set[str]) -> list[str]:
    """http(s) URLs of the record's media of the wanted types, in document order, deduplicated."""
    urls: list[str] = []
    for media in record.get("media") or []:
        url = media.get("url") or ""
        if media.get("type") in types and url.startswith(("http://", "https://")):
            if url not in urls:
                urls.append(url)
    return urls


class MediaCapturePipeline:
    """Schedules media downloads for each article record (see module docstring)."""

    def __init__(self, crawler: Any, types: set[str], max_size: int) -> None:
        self.crawler = crawler
        self.types = types
        self.max_size = max_size
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> MediaCapturePipeline:
        settings = crawler.settings
        if not settings.getbool("ARCHIVE_MEDIA") or not setting_bool(settings, "WARC_ENABLED"):
            raise NotConfigured  # off by default: no warning in every crawl log
        types = set(setting_list(settings, "ARCHIVE_MEDIA_TYPES"))
        return cls(crawler, types, setting_int(settings, "ARCHIVE_MEDIA_MAX_SIZE"))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        for url in media_urls(dict(item), self.types):
            if url not in self.seen:
                self.seen.add(url)
                self._fetch(url)
        return item

    def _fetch(self, url: str) -> None:
        request = Request(url, priority=-10, meta={
            MEDIA_KEY: True, OFFSITE_OK_KEY: True, "allow_offsite": True,
            "download_maxsize": self.max_size, "handle_httpstatus_all": True})
        deferred = deferred_from_coro(self.crawler.engine.download_async(request))
        deferred.addCallbacks(self._done, self._failed, errbackArgs=(url,))

    def _done(self, response: Any) -> None:
        self.crawler.stats.inc_value("warc/media/fetched")

    def _failed(self, failure: Any, url: str) -> None:
        self.crawler.stats.inc_value("warc/media/failed")
        logger.debug("media not archived: %s (%s)", url, failure.value)
