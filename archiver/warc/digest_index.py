"""Persistent digest index for revisits across crawls (SQLite in ARCHIVE_DIR).

Keyed by URL + payload digest: the first response record holding a payload is its original;
later identical payloads become `revisit` records pointing at it, in this crawl or any later one
sharing the same ARCHIVE_DIR. The newest validators (ETag / Last-Modified) per URL drive
conditional requests. WAL mode lets several local worker processes share the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

INDEX_NAME = "warc-dedupe.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS originals (
    url TEXT NOT NULL, digest TEXT NOT NULL, crawl_id TEXT NOT NULL, filename TEXT NOT NULL,
    offset INTEGER NOT NULL, length INTEGER NOT NULL, record_id TEXT NOT NULL, date TEXT NOT NULL,
    PRIMARY KEY (url, digest));
CREATE INDEX IF NOT EXISTS originals_record_id ON originals (record_id);
CREATE TABLE IF NOT EXISTS validators (
    url TEXT PRIMARY KEY, digest TEXT NOT NULL, etag TEXT, last_modified TEXT);
"""


@dataclass(frozen=True)
class Capture:
    """Location of an original response record."""

    url: str
    digest: str
    crawl_id: str
    filename: str
    offset: int
    length: int
    record_id: str
    date: str


@dataclass(frozen=True)
class Validators:
    digest: str
    etag: str | None
    last_modified: str | None


class DigestStore(Protocol):
    """What the archive needs from a digest index (SQLite here; Redis in archiver.distributed)."""

    def original(self, url: str, digest: str) -> Capture | None: ...
    def by_record_id(self, record_id: str) -> Capture | None: ...
    def transaction(self) -> AbstractContextManager[None]: ...
    def add_original(self, capture: Capture) -> None: ...
    def validators(self, url: str) -> Validators | None: ...
    def set_validators(self, url: str, validators: Validators) -> None: ...
    def close(self) -> None: ...


class DigestIndex:
    """The SQLite digest index at `path` (created on first use)."""

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        if readonly:  # loaders: never create or migrate the file
            self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    @classmethod
    def in_archive(cls, archive_dir: Path) -> DigestIndex:
        return cls(archive_dir / INDEX_NAME)

    def original(self, url: str, digest: str) -> Capture | None:
        """The original record of this URL with this payload, if any."""
        row = self._db.execute(
            "SELECT url, digest, crawl_id, filename, offset, length, record_id, date"
            " FROM originals WHERE url = ? AND digest = ?", (url, digest)).fetchone()
        return Capture(*row) if row else None

    def by_record_id(self, record_id: str) -> Capture | None:
        """The original whose WARC-Record-ID is `record_id` (to follow a revisit)."""
        row = self._db.execute(
            "SELECT url, digest, crawl_id, filename, offset, length, record_id, date"
            " FROM originals WHERE record_id = ?", (record_id,)).fetchone()
        return Capture(*row) if row else None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group the writes of one exchange: one commit instead of one per statement, and the
        lock is never held between exchanges (other local workers share the file)."""
        self._db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _write(self, sql: str, params: tuple[object, ...]) -> None:
        self._db.execute(sql, params)

    def add_original(self, capture: Capture) -> None:
        """Remember a response record (the first one for a URL + digest wins)."""
        self._write(
            "INSERT OR IGNORE INTO originals VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (capture.url, capture.digest, capture.crawl_id, capture.filename, capture.offset,
             capture.length, capture.record_id, capture.date))

    def validators(self, url: str) -> Validators | None:
        """Latest ETag / Last-Modified seen for `url` with the digest they describe."""
        row = self._db.execute(
            "SELECT digest, etag, last_modified FROM validators WHERE url = ?", (url,)).fetchone()
        return Validators(*row) if row else None

    def set_validators(self, url: str, validators: Validators) -> None:
        self._write(
            "INSERT OR REPLACE INTO validators VALUES (?, ?, ?, ?)",
            (url, validators.digest, validators.etag, validators.last_modified))

    def close(self) -> None:
        self._db.close()
