"""The page state of incremental crawls in Redis, shared by workers on several machines.

`archiver.incremental.state.CrawlState` is a SQLite file in ARCHIVE_DIR: each machine would keep its
own copy and the copies would disagree about which article is known, due or at which version.
`RedisCrawlState` keeps the page part (get, articles, note_fetch, mark_unchanged, mark_gone,
commit_article, counts) in one Redis hash of JSON rows under
`DISTRIBUTED_KEY_PREFIX:state:NAMESPACE:pages`. The run history, lock and resume of
`archiver cron` stay local to the machine that runs the cron job (the coordinator).
Every write is a read-modify-write under WATCH/MULTI, so two workers racing on one URL never
lose an update nor let an older version overwrite a newer one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import fields
from typing import Any

import redis

from archiver.defaults import setting
from archiver.distributed.keys import client
from archiver.incremental.state import ARTICLE, ERROR, GONE, PAGE, ArticleCommit, PageState

# The namespace of an archive whose DISTRIBUTED_STATE_NAMESPACE is empty (its documented default).
UNNAMED_NAMESPACE = "default"
_PAGE_FIELDS = [item.name for item in fields(PageState)]
Row = dict[str, Any]


class RedisCrawlState:
    """CrawlState's page interface on a Redis hash (url → JSON row with PageState's fields)."""

    def __init__(self, server: redis.Redis, namespace: str, prefix: str = "archiver") -> None:
        self.server = server
        self.pages_key = f"{prefix}:state:{namespace}:pages"

    @classmethod
    def from_settings(cls, settings: Any) -> RedisCrawlState:
        # One namespace per archive identity: every run of a job must see the same state, so it
        # is never the (per-run) crawl id. Several jobs on one Redis each name their own.
        namespace = settings.get("DISTRIBUTED_STATE_NAMESPACE") or UNNAMED_NAMESPACE
        return cls(client(settings.get("DISTRIBUTED")), str(namespace),
                   setting(settings, "DISTRIBUTED_KEY_PREFIX"))

    def close(self) -> None:
        self.server.close()

    def get(self, url: str) -> PageState | None:
        raw = self.server.hget(self.pages_key, url)
        return _page(json.loads(raw)) if raw else None

    def articles(self) -> Iterator[PageState]:
        """Every known (not gone) article, for the re-visit schedule."""
        for _url, raw in self.server.hscan_iter(self.pages_key):
            row = json.loads(raw)
            if row["kind"] == ARTICLE:
                yield _page(row)

    def note_fetch(self, url: str, status: int, now: str) -> None:
        """A page answered: remember the URL (an article row is left to commit/unchanged/gone)."""
        kind = PAGE if status < 400 else GONE if status in (404, 410) else ERROR

        def change(row: Row | None) -> Row | None:
            if row is None:
                return _new_row(url, kind, now) | {"last_fetch": now, "last_status": status}
            if row["kind"] == ARTICLE:
                return None
            return row | {"kind": kind, "last_fetch": now, "last_status": status}

        self._update(url, change)

    def mark_unchanged(self, url: str, now: str, status: int, payload_digest: str | None) -> None:
        """A re-visited article did not change (304, same payload or same record)."""
        def change(row: Row | None) -> Row | None:
            if row is None:
                return None
            return row | {"last_fetch": now, "last_status": status,
                          "payload_digest": payload_digest or row["payload_digest"]}

        self._update(url, change)

    def mark_gone(self, url: str, now: str, status: int) -> None:
        """A known article answers 404/410: stop re-visiting it (until it is linked again)."""
        def change(row: Row | None) -> Row | None:
            return None if row is None else row | {"kind": GONE, "last_fetch": now, "last_status": status}

        self._update(url, change)

    def commit_article(self, commit: ArticleCommit) -> None:
        """The record of `commit.version` is written: make it the article's latest state."""
        values = {
            "kind": ARTICLE, "last_fetch": commit.fetched, "last_status": commit.status,
            "etag": commit.etag, "last_modified": commit.last_modified,
            "payload_digest": commit.payload_digest, "record_digest": commit.record_digest,
            "record_payload_digest": commit.payload_digest, "version": commit.version,
            "published": commit.published, "comment_count": commit.comment_count,
            "newest_comment": commit.newest_comment,
            "comment_ids": json.dumps(sorted(commit.comment_ids)),
        }

        def change(row: Row | None) -> Row | None:
            if row is None:
                return _new_row(commit.url, ARTICLE, commit.fetched) | values
            if commit.version <= int(row["version"]):
                return None  # an older (or the same) version never replaces a newer one
            return row | values

        self._update(commit.url, change)

    def counts(self) -> dict[str, int]:
        """Known URLs by kind."""
        result: dict[str, int] = {}
        for _url, raw in self.server.hscan_iter(self.pages_key):
            kind = str(json.loads(raw)["kind"])
            result[kind] = result.get(kind, 0) + 1
        return result

    def _update(self, url: str, change: Callable[[Row | None], Row | None]) -> None:
        """Read-modify-write of one row, retried while another client changes the hash."""
        with self.server.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(self.pages_key)
                    raw = pipe.hget(self.pages_key, url)
                    row = change(json.loads(raw) if raw else None)
                    if row is None:
                        pipe.unwatch()
                        return
                    pipe.multi()
                    pipe.hset(self.pages_key, url, json.dumps(row, sort_keys=True))
                    pipe.execute()
                    return
                except redis.WatchError:
                    continue


def _new_row(url: str, kind: str, now: str) -> Row:
    row: Row = dict.fromkeys(_PAGE_FIELDS)
    return row | {"url": url, "kind": kind, "first_seen": now, "version": 0}


def _page(row: Row) -> PageState:
    values: dict[str, Any] = {name: row.get(name) for name in _PAGE_FIELDS}
    return PageState(**values)


def state_for(settings: Any) -> RedisCrawlState:
    """STATE_FACTORY of distributed crawls (set by the addon)."""
    return RedisCrawlState.from_settings(settings)



