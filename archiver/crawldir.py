"""The crawl directory: `ARCHIVE_DIR/<crawl-id>/`, shared by every writer of one crawl.

One `CrawlDir` per crawler (`CrawlDir.from_crawler`), so the JSONL writer, the WARC writer and the
run summary agree on the crawl id and the folder. File names derived from URLs or hosts go through
`safe_name` so nothing can escape the directory.

This module owns the directory's layout: the summary's name, the `.open` suffix of files being
written, the globs of record and WARC files, whether a file's writer is still alive, and the repair
of a JSONL file a dead writer left open. Writers, `verify`, cron's resume and the loaders use it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archiver.defaults import setting
from archiver.per_crawler import OnePerCrawler

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
class CrawlDir(OnePerCrawler):  # CrawlDir.from_crawler: the crawler's one crawl dir
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
        root = Path(setting(settings, "ARCHIVE_DIR")).expanduser()
        crawl_id = settings.get("CRAWL_ID") or new_crawl_id()
        if not _CRAWL_ID.match(str(crawl_id)):
            raise ValueError(f"CRAWL_ID must match {_CRAWL_ID.pattern}: {crawl_id!r}")
        return cls(root=root, crawl_id=str(crawl_id))



# --- File names and suffixes of a crawl directory ------------------------------------------------
SUMMARY_FILE = "crawl.json"  # the run summary (archiver.extensions.summary)
# Every file is written as NAME.open and renamed to NAME once complete; a name without it is whole.
OPEN_SUFFIX = ".open"
# records-STAMP-SERIAL-HOST-PID.jsonl[.gz]: one writer (HOST-PID) rotates SERIAL 00001, 00002, ...
RECORDS_PREFIX = "records"
RECORDS_GLOBS = ("records-*.jsonl", "records-*.jsonl.gz", "records-*.jsonl.open")
JSONL_LEFTOVER_GLOBS = ("*.jsonl.open", "*.jsonl.gz.open")
# PREFIX-YYYYMMDDhhmmssfff-SERIAL-HOST-PID.warc.gz
WARC_GLOBS = ("*.warc.gz", "*.warc.gz.open")


def final_path(path: Path) -> Path:
    """The name an `.open` file gets once its writer closes it."""
    return path.with_name(path.name.removesuffix(OPEN_SUFFIX))


def writer_alive(path: Path) -> bool:
    """True if the file's name says a live process on this host writes it (HOST-PID before the suffix)."""
    stem = path.name.split(".jsonl")[0] if ".jsonl" in path.name else path.name.split(".warc")[0]
    host, _, pid = stem.rpartition("-")
    ours = safe_name(socket.gethostname(), 32)
    if not pid.isdigit() or not (host == ours or host.endswith(f"-{ours}")):
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def write_json_atomic(path: Path, data: Any) -> None:
    """`data` as indented JSON at `path`: written to `path.open`, fsynced, then renamed over it.

    Readers see the old version or the whole new one, never half of it.
    """
    partial = path.with_name(path.name + OPEN_SUFFIX)
    with partial.open("w", encoding="utf-8") as stream:
        json.dump(data, stream, indent=2, ensure_ascii=False)
        stream.write("\n")
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(partial, path)


def repair_jsonl(path: Path) -> str:
    """Finish a dead writer's `.jsonl.open`: cut at the last whole line, rename; returns what was done."""
    final = final_path(path)
    twins = [t for t in (final, final.with_name(final.name + ".gz")) if t.exists()]
    if twins:  # died between writing the finished file and removing the open one
        path.unlink()
        return f"removed {path} (finished copy {twins[0].name} exists)"
    if final.name.endswith(".gz"):  # an interrupted compression; its plain `.jsonl.open` source remains
        source = final.with_name(final.name[: -len(".gz")] + OPEN_SUFFIX)
        if not source.exists():
            raise ValueError("interrupted compression without its source file")
        path.unlink()
        return f"removed {path} (interrupted compression of {source.name})"
    keep = _last_line_end(path)
    with open(path, "r+b") as handle:
        dropped = handle.seek(0, os.SEEK_END) - keep
        handle.truncate(keep)
        handle.flush()
        os.fsync(handle.fileno())
    if keep == 0:
        path.unlink()
        return f"removed {path} (no whole line)"
    os.replace(path, final)
    return f"{path} -> {final.name}" + (f" (cut {dropped} bytes of a partial line)" if dropped else "")


def _last_line_end(path: Path, block: int = 1 << 16) -> int:
    """Offset just after the last newline of a file (0 when it has none), reading from the end."""
    with open(path, "rb") as handle:
        end = handle.seek(0, os.SEEK_END)
        while end > 0:
            start = max(0, end - block)
            handle.seek(start)
            index = handle.read(end - start).rfind(b"\n")
            if index >= 0:
                return start + index + 1
            end = start
    return 0
