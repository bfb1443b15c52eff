"""Find the JSONL record files of an archive and read their complete lines.

A crawl directory may hold finished files (`records-*.jsonl`, `records-*.jsonl.gz`) and files still
being written or left by a crashed writer (`*.jsonl.open`). An `.open` file's last line may be cut
short, so only newline-terminated lines of it are read. While the writer compresses a finished file
there are briefly two copies (`x.jsonl.open` and `x.jsonl.gz`); the finished one wins.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from archiver.crawldir import OPEN_SUFFIX, RECORDS_GLOBS, final_path

# records-STAMP-SERIAL-HOST-PID.jsonl: one writer (HOST-PID) rotates SERIAL 00001, 00002, ...
_NAME = re.compile(r"^(?P<prefix>.+?)-(?P<stamp>\d{14})-(?P<serial>\d+)-(?P<worker>.+?)\.jsonl(\.gz)?(\.open)?$")

Progress = Callable[[int], None]  # called with the number of on-disk bytes just consumed


@dataclass(frozen=True, order=True)
class JsonlFile:
    """One JSONL file of an archive, with what its name says about who wrote it."""

    path: Path
    crawl_dir: Path
    worker: str  # HOST-PID of the writer; files of one worker are written one after the other
    serial: int

    @property
    def partial(self) -> bool:
        """True for a file still open for writing (or left by a crashed writer)."""
        return self.path.name.endswith(OPEN_SUFFIX)

    @property
    def gzipped(self) -> bool:
        return self.path.name.removesuffix(OPEN_SUFFIX).endswith(".gz")

    @classmethod
    def of(cls, path: Path) -> JsonlFile:
        match = _NAME.match(path.name)
        worker = match["worker"] if match else path.name
        serial = int(match["serial"]) if match else 0
        return cls(path=path, crawl_dir=path.parent, worker=worker, serial=serial)


def discover(path: str | Path) -> list[JsonlFile]:
    """The record files under `path` (a JSONL file, a crawl directory or an archive directory)."""
    root = Path(path).expanduser()
    if root.is_file():
        if ".jsonl" not in root.name:
            raise ValueError(f"not a records file (.jsonl, .jsonl.gz): {root}")
        return [JsonlFile.of(root)]
    if not root.is_dir():
        raise FileNotFoundError(f"no such file or directory: {root}")
    found = {p for pattern in RECORDS_GLOBS for p in root.rglob(pattern) if p.is_file()}
    return sorted(JsonlFile.of(p) for p in found if not superseded(p))


def record_dicts(path: str | Path, *, finished_only: bool = False) -> Iterator[dict[str, Any]]:
    """The JSON objects of every complete line under `path`, file by file, unvalidated, unsorted.

    For tools that want every record in one cheap pass and must not stop at one bad line: such a
    line is skipped (`archiver verify` is what reports it). `finished_only` leaves `.open` files out.
    """
    for file in discover(path):
        if finished_only and file.partial:
            continue
        for _, line in iter_lines(file):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                yield record


def superseded(path: Path) -> bool:
    """An `.open` file whose finished twin exists (the writer died or is between rename and unlink)."""
    if not path.name.endswith(OPEN_SUFFIX):
        return False
    final = final_path(path)
    return final.exists() or final.with_name(final.name + ".gz").exists()


def finished_twin(file: JsonlFile) -> JsonlFile | None:
    """The finished file an `.open` file became, if its writer has closed it."""
    if not file.partial:
        return None
    final = final_path(file.path)
    for candidate in (final, final.with_name(final.name + ".gz")):
        if candidate.is_file():
            return JsonlFile.of(candidate)
    return None


def iter_lines(file: JsonlFile, progress: Progress | None = None) -> Iterator[tuple[int, bytes]]:
    """(line number, raw line) of every non-empty complete line; a partial tail of `.open` is skipped."""
    try:
        raw = open(file.path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        finished = finished_twin(file)
        if finished is None:
            raise
        yield from iter_lines(finished, progress)  # the writer closed it since we listed the folder
        return
    with raw:
        try:
            yield from _lines(file, raw, progress)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise ValueError(f"{file.path}: corrupt gzip file ({exc})") from exc


def _lines(file: JsonlFile, raw: BinaryIO, progress: Progress | None) -> Iterator[tuple[int, bytes]]:
    stream = gzip.GzipFile(fileobj=raw, mode="rb") if file.gzipped else raw
    position = 0
    for number, line in enumerate(stream, start=1):
        if progress is not None:
            now = raw.tell() if file.gzipped else position + len(line)
            progress(now - position)
            position = now
        if not line.endswith(b"\n") and file.partial:
            return  # the writer is (or was) in the middle of this line
        if line.strip():
            yield number, line
    if progress is not None:
        progress(raw.tell() - position)


def total_bytes(files: list[JsonlFile]) -> int:
    """On-disk size of the files, for progress bars."""
    total = 0
    for file in files:
        try:
            total += file.path.stat().st_size
        except OSError:
            continue  # renamed by its writer meanwhile; the bar is only a guide
    return total
