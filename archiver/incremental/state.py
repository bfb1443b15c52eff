"""Crawl state of incremental runs: what we know about every URL, across crawls (SQLite, WAL).

One file per archive directory (STATE_DB, default `ARCHIVE_DIR/cron-state.sqlite3`). It holds
every page URL seen (`pages`: kind, last fetch, validators, payload digest, the digest/version of
the last record written and its comments) and the history of cron runs (`runs`), which tells the
runner whether the last run was interrupted and must be resumed.

Payload deduplication and conditional-request validators for the WARC files live in the WARC
digest index (`archiver.warc.digest_index`); this state only decides what to fetch and what changed.
An article's row is updated only *after* its JSONL line is written, so a crash can leave a record
the state does not know yet (`reconcile` fixes that) but never a state claiming a record that
was not written.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ARTICLE, PAGE, GONE, ERROR = "article", "page", "gone", "error"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                 -- article | page | gone | error
    first_seen TEXT NOT NULL,
    last_fetch TEXT,
    last_status INTEGER,
    etag TEXT,
    last_modified TEXT,
    payload_digest TEXT,                -- payload of the last fetch (identical → unchanged)
    record_digest TEXT,                 -- content digest of the last record written
    record_payload_digest TEXT,         -- the `digest` of that record (→ previous_digest)
    version INTEGER NOT NULL DEFAULT 0, -- version of the last record written (0: none)
    published TEXT,
    comment_count INTEGER,
    newest_comment TEXT,
    comment_ids TEXT                    -- JSON list: comment ids of the last record
);
CREATE TABLE IF NOT EXISTS runs (
    crawl_id TEXT PRIMARY KEY,
    job TEXT,
    started TEXT NOT NULL,
    ended TEXT,
    status TEXT NOT NULL,               -- running | finished | interrupted | killed
    exit_code INTEGER,
    segments INTEGER NOT NULL DEFAULT 1
);
"""


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_time(text: str | None) -> datetime | None:
    """An ISO 8601 time as an aware datetime (naive = UTC); None when missing or unreadable."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class PageState:
    url: str
    kind: str
    first_seen: str
    last_fetch: str | None
    last_status: int | None
    etag: str | None
    last_modified: str | None
    payload_digest: str | None
    record_digest: str | None
    record_payload_digest: str | None
    version: int
    published: str | None
    comment_count: int | None
    newest_comment: str | None
    comment_ids: str | None

    def comment_id_set(self) -> set[str]:
        return set(json.loads(self.comment_ids)) if self.comment_ids else set()


@dataclass(frozen=True)
class ArticleCommit:
    """What the state keeps of one written record (see `CrawlState.commit_article`)."""

    url: str
    fetched: str
    status: int | None
    payload_digest: str | None
    record_digest: str
    version: int
    published: str | None
    comment_count: int | None
    newest_comment: str | None
    comment_ids: list[str]
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Run:
    crawl_id: str
    job: str | None
    started: str
    ended: str | None
    status: str
    exit_code: int | None
    segments: int


class CrawlState:
    """The state database at `path` (created on first use)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a committed row survives a killed process (not a power cut, where
        # `reconcile` re-reads the JSONL files).
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    # --- pages ---------------------------------------------------------------------------------

    def get(self, url: str) -> PageState | None:
        row = self._db.execute(f"SELECT {_PAGE_COLUMNS} FROM pages WHERE url = ?", (url,)).fetchone()
        return PageState(*row) if row else None

    def articles(self) -> Iterator[PageState]:
        """Every known (not gone) article, for the re-visit schedule."""
        cursor = self._db.execute(f"SELECT {_PAGE_COLUMNS} FROM pages WHERE kind = ?", (ARTICLE,))
        for row in cursor:
            yield PageState(*row)

    def note_fetch(self, url: str, status: int, now: str) -> None:
        """A page answered: remember the URL (an article row is left to commit/unchanged/gone)."""
        kind = PAGE if status < 400 else GONE if status in (404, 410) else ERROR
        self._db.execute(
            "INSERT INTO pages (url, kind, first_seen, last_fetch, last_status) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(url) DO UPDATE SET kind = excluded.kind, last_fetch = excluded.last_fetch,"
            " last_status = excluded.last_status WHERE pages.kind != 'article'",
            (url, kind, now, now, status))

    def mark_unchanged(self, url: str, now: str, status: int, payload_digest: str | None) -> None:
        """A re-visited article did not change (304, same payload or same record)."""
        self._db.execute(
            "UPDATE pages SET last_fetch = ?, last_status = ?,"
            " payload_digest = COALESCE(?, payload_digest) WHERE url = ?",
            (now, status, payload_digest, url))

    def mark_gone(self, url: str, now: str, status: int) -> None:
        """A known article answers 404/410: stop re-visiting it (until it is linked again)."""
        self._db.execute(
            "UPDATE pages SET kind = ?, last_fetch = ?, last_status = ? WHERE url = ?",
            (GONE, now, status, url))

    def commit_article(self, commit: ArticleCommit) -> None:
        """The record of `commit.version` is written: make it the article's latest state."""
        self._db.execute(
            "INSERT INTO pages (url, kind, first_seen, last_fetch, last_status, etag, last_modified,"
            " payload_digest, record_digest, record_payload_digest, version, published,"
            " comment_count, newest_comment, comment_ids)"
            " VALUES (?, 'article', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(url) DO UPDATE SET kind = 'article', last_fetch = excluded.last_fetch,"
            " last_status = excluded.last_status, etag = excluded.etag,"
            " last_modified = excluded.last_modified, payload_digest = excluded.payload_digest,"
            " record_digest = excluded.record_digest,"
            " record_payload_digest = excluded.record_payload_digest, version = excluded.version,"
            " published = excluded.published, comment_count = excluded.comment_count,"
            " newest_comment = excluded.newest_comment, comment_ids = excluded.comment_ids"
            " WHERE excluded.version > pages.version",
            (commit.url, commit.fetched, commit.fetched, commit.status, commit.etag,
             commit.last_modified, commit.payload_digest, commit.record_digest,
             commit.payload_digest, commit.version, commit.published, commit.comment_count,
             commit.newest_comment, json.dumps(sorted(commit.comment_ids))))

    def counts(self) -> dict[str, int]:
        """Known URLs by kind."""
        rows = self._db.execute("SELECT kind, COUNT(*) FROM pages GROUP BY kind").fetchall()
        return {str(kind): int(count) for kind, count in rows}

    # --- runs ----------------------------------------------------------------------------------

    def last_run(self) -> Run | None:
        row = self._db.execute(
            # Insertion order, not the wall clock: a clock stepped back must not hide the newest run.
            f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY rowid DESC LIMIT 1").fetchone()
        return Run(*row) if row else None

    def start_run(self, crawl_id: str, job: str, now: str) -> None:
        """Record that a run (or a further segment of an interrupted one) starts now."""
        self._db.execute(
            "INSERT INTO runs (crawl_id, job, started, status) VALUES (?, ?, ?, 'running')"
            " ON CONFLICT(crawl_id) DO UPDATE SET status = 'running', ended = NULL,"
            " exit_code = NULL, segments = runs.segments + 1",
            (crawl_id, job, now))

    def finish_run(self, crawl_id: str, status: str, exit_code: int, now: str) -> None:
        self._db.execute(
            "UPDATE runs SET status = ?, exit_code = ?, ended = ? WHERE crawl_id = ?",
            (status, exit_code, now, crawl_id))

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Raw access for tests and reports."""
        return list(self._db.execute(sql, parameters).fetchall())


_PAGE_COLUMNS = ", ".join(PageState.__dataclass_fields__)
_RUN_COLUMNS = ", ".join(Run.__dataclass_fields__)
