"""Write records as JSON Lines into the crawl directory, rotating by record count and size.

A file is written as `NAME.open`, one `write()` per line and flushed, so a killed process leaves
whole lines plus at most one partial last line, which `archiver verify --repair` trims. Finished
files are fsynced and renamed (compressed to `.jsonl.gz` first when JSONL_GZIP is on), so a file
without `.open` is always complete.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from scrapy.crawler import Crawler

from archiver.crawldir import OPEN_SUFFIX, RECORDS_PREFIX, CrawlDir, worker_id
from archiver.defaults import setting_bool, setting_int


def dumps_record(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)


class JsonlWriter:
    """Rotating JSONL file writer; `files` lists the finished files it produced."""

    def __init__(self, directory: Path, *, max_records: int = 0, max_bytes: int = 0,
                 compress: bool = False, prefix: str = RECORDS_PREFIX) -> None:
        self.directory = directory
        self.max_records = max_records
        self.max_bytes = max_bytes
        self.compress = compress
        self.prefix = prefix
        self.serial = 0
        self.stream: IO[bytes] | None = None
        self.path: Path | None = None
        self.records_in_file = 0
        self.bytes_in_file = 0
        self.files: list[Path] = []
        self.records_written = 0

    def _open(self) -> IO[bytes]:
        self.serial += 1
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        name = f"{self.prefix}-{stamp}-{self.serial:05d}-{worker_id()}.jsonl"
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / name
        self.stream = open(self.path.with_name(name + OPEN_SUFFIX), "ab")  # noqa: SIM115
        self.records_in_file = self.bytes_in_file = 0
        return self.stream

    def write(self, record: dict[str, Any]) -> None:
        line = (dumps_record(record) + "\n").encode("utf-8")
        stream = self.stream or self._open()
        stream.write(line)
        stream.flush()
        self.records_in_file += 1
        self.bytes_in_file += len(line)
        self.records_written += 1
        if (self.max_records and self.records_in_file >= self.max_records) or (
            self.max_bytes and self.bytes_in_file >= self.max_bytes
        ):
            self.close_file()

    def close_file(self) -> None:
        """Finish the current file: fsync, compress if asked, rename away from `.open`."""
        if self.stream is None or self.path is None:
            return
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        open_path = self.path.with_name(self.path.name + OPEN_SUFFIX)
        final = self.path
        if self.compress:
            final = self.path.with_name(self.path.name + ".gz")
            partial = final.with_name(final.name + OPEN_SUFFIX)
            with open(open_path, "rb") as source, gzip.open(partial, "wb") as target:
                shutil.copyfileobj(source, target)
            _fsync_path(partial)
            os.replace(partial, final)
            open_path.unlink()
        else:
            os.replace(open_path, final)
        _fsync_path(self.directory)
        self.files.append(final)
        self.stream = None
        self.path = None


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class JsonlWriterPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.writer = JsonlWriter(
            CrawlDir.from_crawler(crawler).path,
            max_records=setting_int(settings, "JSONL_MAX_RECORDS"),
            max_bytes=setting_int(settings, "JSONL_MAX_BYTES"),
            compress=setting_bool(settings, "JSONL_GZIP"),
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonlWriterPipeline:
        pipeline = cls(crawler)
        crawler._archiver_jsonl = pipeline.writer  # type: ignore[attr-defined]
        return pipeline

    def process_item(self, item: Any) -> Any:
        self.writer.write(item)
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("archiver/records_written")
        return item

    def close_spider(self) -> None:
        self.writer.close_file()
