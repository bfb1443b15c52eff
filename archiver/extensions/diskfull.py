"""Stop the crawl on the first "disk full" write error and keep the log to one line about it.

Pipelines (JSONL, rejects), signal handlers (crawl.json) and the WARC writer all write files; a
full disk makes each of them fail on every item, and Scrapy logs every item error with a full
traceback. This extension listens to item and spider errors and stops the crawl through
`archiver.crawl.disk_full.stop_for_disk_full`, and a log filter folds the tracebacks of disk errors into
the one line of their message (the CRITICAL line already says what happened and what to do).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.python.failure import Failure

from archiver.crawl.disk_full import disk_error, stop_for_disk_full

ERROR_LOGGERS = ("scrapy.core.scraper", "scrapy.utils.signal", "scrapy.core.engine", "scrapy.utils.defer",
                 "scrapy.core.downloader", "scrapy.middleware", "twisted")


class DiskErrorLogFilter(logging.Filter):
    """Drops the traceback from log records whose exception is a disk error."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and disk_error(exc) is not None:
            record.msg = f"{record.getMessage()} [{type(exc).__name__}: {exc}]"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


class DiskFullGuard:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.item_error, signal=signals.item_error)
        crawler.signals.connect(self.spider_error, signal=signals.spider_error)
        # On the loggers that report item and signal-handler errors (robust to Scrapy replacing the
        # root handler) and on the root handlers (errors logged anywhere else).
        targets: list[logging.Filterer] = [logging.getLogger(name) for name in ERROR_LOGGERS]
        targets += logging.getLogger().handlers
        for target in targets:
            if not any(isinstance(f, DiskErrorLogFilter) for f in target.filters):
                target.addFilter(DiskErrorLogFilter())

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiskFullGuard:
        return cls(crawler)

    def item_error(self, item: Any, response: Any, spider: Any, failure: Failure) -> None:
        stop_for_disk_full(self.crawler, failure.value)

    def spider_error(self, failure: Failure, response: Any, spider: Any) -> None:
        stop_for_disk_full(self.crawler, failure.value)
