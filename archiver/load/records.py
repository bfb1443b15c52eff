"""`records(path)`: every article record of one or many crawls, streamed in fetch-time order.

Memory stays flat whatever the archive size: lines flow through a lazy merge and a small reorder
window (see `order`). `latest_only` needs to know the newest capture of each URL before yielding
anything, so it makes a first pass that keeps one small entry per distinct URL (an 8-byte hash and
where its newest line is), then a second pass that yields just those lines.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, overload
from urllib.parse import urlsplit

from archiver.load import order
from archiver.load.files import JsonlFile, Progress, discover, iter_lines
from archiver.load.typed import Record
from archiver.schema import record_errors

Since = datetime | date | str | float | None


class LoadError(ValueError):
    """A line that is not a valid record (bad JSON, not an object, or invalid against the schema)."""


class LoadedRecord(dict[str, Any]):
    """A record dict that remembers where it came from, so `page_html` can find its WARC file."""

    __slots__ = ("source", "line")

    def __init__(self, data: dict[str, Any], source: Path | None = None, line: int | None = None) -> None:
        super().__init__(data)
        self.source = source
        self.line = line

    @property
    def crawl_dir(self) -> Path | None:
        return self.source.parent if self.source else None


@overload
def records(path_or_dir: str | Path, *, since: Since = ..., site: str | None = ..., validate: bool = ...,
            latest_only: bool = ..., typed: Literal[False] = ..., progress: Progress | None = ...
            ) -> Iterator[LoadedRecord]: ...
@overload
def records(path_or_dir: str | Path, *, since: Since = ..., site: str | None = ..., validate: bool = ...,
            latest_only: bool = ..., typed: Literal[True], progress: Progress | None = ...
            ) -> Iterator[Record]: ...
def records(path_or_dir: str | Path, *, since: Since = None, site: str | None = None, validate: bool = True,
            latest_only: bool = False, typed: bool = False, progress: Progress | None = None
            ) -> Iterator[LoadedRecord] | Iterator[Record]:
    """Records under a JSONL file, crawl dir or archive dir, oldest fetch first.

    `since` keeps records fetched at or after it; `site` keeps one host (`example.org`, a URL, or
    `host:port`; `www.` and subdomains match); `validate` raises `LoadError` on a record that breaks
    the schema; `latest_only` keeps the newest capture per URL; `typed` yields `Record` objects;
    `progress(n)` is told of every n bytes read (both passes when `latest_only`).
    """
    files = discover(path_or_dir)
    since_key = order.time_key(since) if since is not None else -math.inf
    if since is not None and since_key == -math.inf:
        raise ValueError(f"since: not an ISO 8601 date or time: {since!r}")
    wanted = site_filter(site)
    winners = _latest_index(files, since_key, wanted, progress) if latest_only else None
    entries = order.reorder(order.merge(order.streams(files, since_key, progress)))
    for entry in entries:
        if entry.key < since_key or (entry.url is not None and not wanted(entry.url)):
            continue
        if winners is not None and entry.url is not None and winners.get(_url_hash(entry.url)) != (
                entry.key, entry.file_index, entry.line_number):
            continue  # an older capture (lines without a URL fall through to `parse`, which reports them)
        record = parse(files[entry.file_index], entry, validate)
        if entry.url is None and not wanted(record["url"]):
            continue
        yield (Record.from_dict(record, record.source, record.line) if typed else record)  # type: ignore[misc]


def parse(file: JsonlFile, entry: order.Entry, validate: bool) -> LoadedRecord:
    """The record of a merged line; `LoadError` names file and line when it is not a good record."""
    where = f"{file.path}:{entry.line_number}"
    data = entry.record
    if data is None:
        try:
            data = json.loads(entry.line)
        except ValueError as exc:
            raise LoadError(f"{where}: not JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("url"), str):
        raise LoadError(f"{where}: not a record (a JSON object with a url)")
    if validate:
        errors = record_errors(data)
        if errors:
            more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
            raise LoadError(f"{where}: invalid record: {errors[0]}{more}")
    return LoadedRecord(data, file.path, entry.line_number)


def site_filter(site: str | None) -> Any:
    """A predicate on URLs for the `site` option (always true when `site` is None)."""
    if not site:
        return lambda url: True
    wanted = urlsplit(site if "://" in site else f"//{site}")
    host = (wanted.hostname or "").removeprefix("www.")
    port = wanted.port

    def matches(url: str) -> bool:
        try:
            parts = urlsplit(url)
            other, other_port = (parts.hostname or "").removeprefix("www."), parts.port
        except ValueError:
            return False
        return (other == host or other.endswith("." + host)) and (port is None or port == other_port)

    return matches


def _url_hash(url: str | None) -> bytes:
    return hashlib.blake2b((url or "").encode("utf-8", "surrogatepass"), digest_size=8).digest()


def _latest_index(files: list[JsonlFile], since_key: float, wanted: Any, progress: Progress | None
                  ) -> dict[bytes, tuple[float, int, int]]:
    """URL hash -> (key, file index, line) of its newest line; ties go to the later file and line."""
    winners: dict[bytes, tuple[float, int, int]] = {}
    for index, file in enumerate(files):
        for number, line in iter_lines(file, progress):
            entry = order.entry_of(index, number, line)
            url = entry.url
            if url is None or entry.key < since_key or not wanted(url):
                continue  # unparseable lines are reported by the second pass
            candidate = (entry.key, index, number)
            digest = _url_hash(url)
            current = winners.get(digest)
            if current is None or candidate > current:
                winners[digest] = candidate
    return winners
