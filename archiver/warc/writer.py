"""WARC file handling: `.open` files, per-record gzip, rotation, fsync + rename on close.

One `WarcFileWriter` per crawler, held by its `WarcArchive` (see
`archiver.middlewares.warc_capture.archive_for`). Files are named
`PREFIX-YYYYMMDDhhmmssfff-SERIAL-HOST-PID.warc.gz`, written as `NAME.warc.gz.open` and renamed
when closed, so a reader never sees a half-written file under its final name. Each record is its
own gzip member and is flushed whole, so after a crash every complete record stays readable and
`archiver verify --repair` can cut the file at the last whole member.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from archiver.crawldir import OPEN_SUFFIX, safe_name, worker_id
from archiver.warc.record_builder import RecordIds, WarcRecord, warc_date, warcinfo_record

logger = logging.getLogger(__name__)

DEFAULT_MAX_SIZE = 1024**3


@dataclass(frozen=True)
class Written:
    """Where one record landed: bare file name (final name), offset and length of its member."""

    filename: str
    offset: int
    length: int


def gzip_member(data: bytes, level: int = 6) -> bytes:
    """One complete gzip member holding `data` (WARC per-record compression)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(data) + compressor.flush()


class WarcFileWriter:
    """Appends gzipped records to rotating WARC files in `directory`."""

    def __init__(
        self,
        directory: Path,
        *,
        prefix: str = "archiver",
        max_size: int = DEFAULT_MAX_SIZE,
        info: dict[str, str] | None = None,
        ids: RecordIds | None = None,
        worker: str | None = None,
        gzip_level: int = 6,
    ) -> None:
        self.directory = directory
        self.prefix = safe_name(prefix or "archiver", 40)
        self.max_size = max_size
        self.info = dict(info or {})
        self.ids = ids or RecordIds()
        self.worker = worker or worker_id()
        self.gzip_level = gzip_level
        self.serial = 0
        self.closed_files: list[Path] = []
        self._file: BinaryIO | None = None
        self._name = ""
        self._size = 0
        self._broken = False

    @property
    def current_name(self) -> str | None:
        """Final name of the file being written, or None when none is open."""
        return self._name or None

    def write(self, records: Sequence[WarcRecord]) -> list[Written]:
        """Write records together into one file (a response and its request never split)."""
        if self._file is not None and self.max_size and self._size >= self.max_size:
            self.close()
        if self._file is None:
            self._open()
        return [self._append(record) for record in records]

    def _append(self, record: WarcRecord) -> Written:
        assert self._file is not None
        member = gzip_member(record.to_bytes(), self.gzip_level)
        offset = self._size
        try:
            _write_all(self._file, member)
        except OSError:
            self._roll_back(offset)
            raise
        self._size += len(member)
        return Written(self._name, offset, len(member))

    def _roll_back(self, offset: int) -> None:
        """Cut a partly written member (disk full, I/O error) so the file ends on a whole record.
        If even that fails the file keeps its `.open` name for `archiver verify --repair`."""
        assert self._file is not None
        try:
            os.ftruncate(self._file.fileno(), offset)
        except OSError:
            self._broken = True

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.serial += 1
        stamp = self.ids.now().strftime("%Y%m%d%H%M%S%f")[:17]
        self._name = f"{self.prefix}-{stamp}-{self.serial:05d}-{self.worker}.warc.gz"
        path = self.directory / (self._name + OPEN_SUFFIX)
        # Unbuffered: each member reaches the OS whole, so a crash loses at most the last record.
        self._file = open(path, "xb", buffering=0)  # noqa: SIM115 - closed in close()
        self._size = 0
        info = warcinfo_record(
            self._name, self.info, record_id=self.ids.make_id(), date=warc_date(self.ids.now())
        )
        self._append(info)
        logger.info("WARC file opened: %s", path)

    def close(self) -> Path | None:
        """fsync, rename `NAME.open` to `NAME`, fsync the directory; returns the final path."""
        if self._file is None:
            return None
        if self._broken:
            self._file.close()
            self._file = None
            logger.error("WARC file %s left as .open after a write error; run `archiver verify --repair`",
                         self._name)
            self._name, self._broken = "", False
            return None
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self._file = None
        final = self.directory / self._name
        os.replace(self.directory / (self._name + OPEN_SUFFIX), final)
        _fsync_dir(self.directory)
        self.closed_files.append(final)
        self._name = ""
        logger.info("WARC file closed: %s", final)
        return final


def _write_all(stream: BinaryIO, data: bytes) -> None:
    """Write every byte: an unbuffered write may be short (a nearly full disk) without raising."""
    view = memoryview(data)
    while view:
        written = stream.write(view)
        if not written:
            raise OSError(28, "No space left on device (write made no progress)")
        view = view[written:]


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (POSIX: the directory entry needs its own fsync)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)



