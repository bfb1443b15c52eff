"""Incremental runs: a record only when an article is new or changed, with its version (docs/cron.md).

`IncrementalPipeline` (before validation) compares the record with the article's last record in the
crawl state: the same content digest → dropped (the WARC already holds the capture, the JSONL
gets nothing); otherwise it gets `version`, `previous_digest` (the `digest` of the previous
record, so downstream can find it and diff) and `new_comment_count` (comments not in the previous
record; all of them for version 1). Records of listing and other pages (`-a keep=all`) pass
through without a version: they are not articles of the state, so they stay discovery pages,
fetched on every run.

`IncrementalCommitPipeline` (after the JSONL writer) then makes the written record the article's
state. Committing after the write means a crash between the two leaves a record the state does
not know, which the cron runner reconciles from the JSONL files before resuming; never the other
way round (a state claiming a record that was never written would lose it).
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archiver.incremental.changes import article_commit, comment_ids, record_digest
from archiver.incremental.context import incremental_for
from archiver.incremental.middlewares import count
from archiver.incremental.state import ARTICLE, GONE
from archiver.items import is_article_record


class IncrementalPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.context = incremental_for(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        record = dict(item)
        if not is_article_record(record):
            return item  # no version: IncrementalCommitPipeline leaves the page a discovery page
        url = str(record.get("url"))
        page = self.context.state.get(url)
        ids = comment_ids(record)
        if page is None or page.version == 0 or page.kind not in (ARTICLE, GONE):
            record.update(version=1, previous_digest=None, new_comment_count=len(ids))
            count(self.crawler, "new")
            count(self.crawler, "comments_in_new", len(ids))
            return record
        if page.kind == ARTICLE and record_digest(record) == page.record_digest:
            self.context.state.mark_unchanged(url, self.context.now_iso(), record.get("status") or 200,
                                              record.get("digest"))
            self.context.fetches.pop(url, None)
            count(self.crawler, "unchanged")
            count(self.crawler, "unchanged/same_record")
            raise DropItem(f"unchanged since version {page.version}: {url}", log_level="DEBUG")
        known = page.comment_id_set()
        new_comments = len([i for i in ids if i not in known])
        record.update(version=page.version + 1, previous_digest=page.record_payload_digest,
                      new_comment_count=new_comments)
        count(self.crawler, "changed")
        count(self.crawler, "new_comments", new_comments)
        return record


class IncrementalCommitPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.context = incremental_for(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalCommitPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        record = dict(item)
        if not record.get("version"):
            return item
        fetch = self.context.fetches.pop(str(record.get("url")), None)
        self.context.state.commit_article(article_commit(
            record, fetched=self.context.now_iso(),
            etag=fetch.etag if fetch else None, last_modified=fetch.last_modified if fetch else None))
        return item
