"""Put the lines of many JSONL files into fetch-time order without holding the archive in memory.

Files of one writer are read one after the other (it rotates them in order); writers and crawls are
merged on `fetched_at` with a k-way heap merge. A crawl's files are opened only once the merge has
reached the crawl's start time (from crawl.json or the crawl id), so an archive of a thousand daily
crawls keeps about one crawl's files open, not a thousand. Inside one crawl a record is written a
little after its fetch (comment pages are fetched first), so a bounded reorder window fixes the
small local disorder; memory is that window of raw lines, whatever the archive size.
"""

from __future__ import annotations

import heapq
import itertools
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from archiver.crawldir import SUMMARY_FILE
from archiver.load.files import JsonlFile, Progress, iter_lines

ORDER_WINDOW = 512  # lines held back to repair write-order vs fetch-order disorder inside a crawl
# Our writer's layout: url first, fetched_at third. Reading them with a regex lets filters and the
# merge skip json.loads for lines they drop; any other layout takes the slow path.
_HEAD = re.compile(
    rb'^\{"url":"((?:[^"\\]|\\.)*)","canonical_url":(?:null|"(?:[^"\\]|\\.)*"),'
    rb'"fetched_at":(?:null|"([^"\\]*)")')
_CRAWL_ID_TIME = re.compile(r"^(\d{8}T\d{6})(?:\.(\d{3}))?Z")


class Entry(NamedTuple):
    """One line on its way through the merge; `record` is set when the line was already parsed."""

    key: float
    file_index: int
    line_number: int
    line: bytes
    url: str | None
    record: dict[str, Any] | None


def time_key(value: Any) -> float:
    """POSIX seconds of an ISO 8601 string, datetime or date (naive = UTC); -inf when unknown."""
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and value:
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return -math.inf
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    return -math.inf


def record_key(record: dict[str, Any]) -> float:
    """Sort key of a parsed record: fetched_at, else the WARC date."""
    pointer = record.get("warc") if isinstance(record.get("warc"), dict) else None
    return time_key(record.get("fetched_at") or (pointer or {}).get("date"))


def entry_of(file_index: int, number: int, line: bytes) -> Entry:
    """Key and URL of a line, by regex when the layout allows, else by parsing it."""
    head = _HEAD.match(line)
    if head is not None and head[2] is not None:
        raw_url = head[1]
        url = json.loads(b'"' + raw_url + b'"') if b"\\" in raw_url else raw_url.decode("utf-8", "replace")
        return Entry(time_key(head[2].decode("ascii", "replace")), file_index, number, line, url, None)
    try:
        record = json.loads(line)
    except ValueError:
        return Entry(-math.inf, file_index, number, line, None, None)  # reported when emitted
    if not isinstance(record, dict):
        return Entry(-math.inf, file_index, number, line, None, None)
    url = record.get("url") if isinstance(record.get("url"), str) else None
    return Entry(record_key(record), file_index, number, line, url, record)


def file_entries(files: list[JsonlFile], indexes: list[int], progress: Progress | None) -> Iterator[Entry]:
    """Entries of files read one after the other (one writer's rotated files)."""
    for index in indexes:
        for number, line in iter_lines(files[index], progress):
            yield entry_of(index, number, line)


def crawl_bounds(crawl_dir: Path) -> tuple[float, float]:
    """(earliest, latest) possible fetch time of a crawl; -inf / +inf where unknown."""
    start, end = -math.inf, math.inf
    try:
        summary = json.loads((crawl_dir / SUMMARY_FILE).read_text(encoding="utf-8"))
        start, end = time_key(summary.get("start")), time_key(summary.get("end"))
        if end == -math.inf:
            end = math.inf
    except (OSError, ValueError, AttributeError):
        pass
    stamp = _CRAWL_ID_TIME.match(crawl_dir.name)
    if stamp:  # a resumed crawl's summary starts at the resume; the id dates its first run
        created = datetime.strptime(stamp[1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC).timestamp()
        created += int(stamp[2] or 0) / 1000
        start = created if start == -math.inf else min(start, created)
    return start, end


def streams(files: list[JsonlFile], since: float, progress: Progress | None
            ) -> list[tuple[float, Callable[[], Iterator[Entry]]]]:
    """(lower bound, opener) of each writer's chain of files; crawls that ended before `since` are left out."""
    chains: dict[tuple[Path, str], list[int]] = {}
    for index, file in enumerate(files):
        chains.setdefault((file.crawl_dir, file.worker), []).append(index)
    result = []
    bounds: dict[Path, tuple[float, float]] = {}
    for (crawl_dir, _), indexes in chains.items():
        start, end = bounds.setdefault(crawl_dir, crawl_bounds(crawl_dir))
        still_open = any(files[i].partial for i in indexes)
        if end < since and not still_open:
            continue
        indexes.sort(key=lambda i: (files[i].serial, files[i].path.name))
        result.append((start, _opener(files, indexes, progress)))
    return result


def _opener(files: list[JsonlFile], indexes: list[int], progress: Progress | None
            ) -> Callable[[], Iterator[Entry]]:
    return lambda: file_entries(files, indexes, progress)


def merge(sources: Iterable[tuple[float, Callable[[], Iterator[Entry]]]]) -> Iterator[Entry]:
    """K-way merge on `key`, opening each source only when the output reaches its lower bound."""
    sequence = itertools.count()
    heap: list[tuple[float, int, Entry | None, Any]] = []
    for bound, opener in sources:
        heap.append((bound, next(sequence), None, opener))
    heapq.heapify(heap)
    while heap:
        _, _, entry, source = heapq.heappop(heap)
        if entry is None:
            iterator = source()  # activation: the merge has reached this source's start
        else:
            yield entry
            iterator = source
        following = next(iterator, None)
        if following is not None:
            heapq.heappush(heap, (following.key, next(sequence), following, iterator))


def reorder(entries: Iterable[Entry], window: int = ORDER_WINDOW) -> Iterator[Entry]:
    """Sort entries that are at most `window` places out of order; holds `window` entries at most."""
    sequence = itertools.count()
    heap: list[tuple[float, int, Entry]] = []
    for entry in entries:
        heapq.heappush(heap, (entry.key, next(sequence), entry))
        if len(heap) > window:
            yield heapq.heappop(heap)[2]
    while heap:
        yield heapq.heappop(heap)[2]
