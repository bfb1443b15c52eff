"""The crawl directory: `ARCHIVE_DIR/<crawl-id>/`, shared by every writer of one crawl (DESIGN §5).

One `CrawlDir` per crawler (`CrawlDir.from_crawler`), so the JSONL writer, the WARC writer and the
run summary agree on the crawl id and the folder. File names derived from URLs or hosts go through
`safe_name` so nothing can escape the directory.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_CRAWL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def safe_name(text: str, max_length: int = 64) -> str:
    """A file-name fragment with only [A-Za-z0-9._-], no leading dots, never empty or too long."""
    cleaned = _UNSAFE.sub("-", text).strip(".-_")
    return (cleaned[:max_length].rstrip(".-_")) or "x"


def new_crawl_id(now: datetime | None = None) -> str:
    """A sortable, unique crawl id: UTC timestamp to the millisecond plus a random suffix.

    Milliseconds keep ids of runs started within the same second in start order (cron jobs
    and tests start several runs a second apart or less).
    """
    now = now or datetime.now(UTC)
    return f"{now.strftime('%Y%m%dT%H%M%S')}.{now.microsecond // 1000:03d}Z-{secrets.token_hex(3)}"


def worker_id() -> str:
    """Identifies this process among the writers of one crawl (host + pid)."""
    return f"{safe_name(socket.gethostname(), 32)}-{os.getpid()}"


@dataclass
class CrawlDir:
    root: Path  # ARCHIVE_DIR
    crawl_id: str

    @property
    def path(self) -> Path:
        return self.root / self.crawl_id

    def ensure(self) -> Path:
        self.path.mkdir(parents=True, exist_ok=True)
        return self.path

    def file(self, name: str) -> Path:
        """A path inside the crawl directory for a bare file name (rejects separators and dots)."""
        if name != safe_name(name, max_length=200):
            raise ValueError(f"unsafe file name: {name!r}")
        return self.ensure() / name

    @classmethod
    def from_settings(cls, settings: Any) -> CrawlDir:
        root = Path(settings.get("ARCHIVE_DIR") or "output").expanduser()
        crawl_id = settings.get("CRAWL_ID") or new_crawl_id()
        if not _CRAWL_ID.match(str(crawl_id)):
            raise ValueError(f"CRAWL_ID must match {_CRAWL_ID.pattern}: {crawl_id!r}")
        return cls(root=root, crawl_id=str(crawl_id))

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlDir:
        """The one CrawlDir of this crawler (created on first use)."""
        existing = getattr(crawler, "_archiver_crawl_dir", None)
        if existing is None:
            existing = cls.from_settings(crawler.settings)
            crawler._archiver_crawl_dir = existing
        return existing  # type: ignore[no-any-return]
