"""`archiver verify DIR|FILE [--repair]`: is this archive whole, and does every record lead to its page?

Checks, per crawl directory: `crawl.json` is there and every file it lists exists; every JSONL line
is JSON and valid against the record schema; every record's WARC pointer opens a `response` or
`revisit` record with the pointer's record id, the record's URL as WARC-Target-URI and the record's
`digest` as WARC-Payload-Digest (a revisit's original must be found too); no `.open` file is left
by a dead writer. WARC files themselves (gzip members, digests, warcinfo first) are checked by
`archiver.warc.checker.verify_warcs`.

`repair` cuts a dead writer's `.jsonl.open` after its last whole line and gives it its final name
(and lets `verify_warcs` do the same for WARC files); files of live writers on this host are never
touched, nor reported.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from archiver.crawldir import (
    JSONL_LEFTOVER_GLOBS,
    OPEN_SUFFIX,
    RECORDS_GLOBS,
    RECORDS_PREFIX,
    SUMMARY_FILE,
    WARC_GLOBS,
    repair_jsonl,
    writer_alive,
)
from archiver.load.files import JsonlFile, discover, iter_lines, total_bytes
from archiver.schema import record_errors
from archiver.warc import read_response
from archiver.warc.checker import verify_warcs
from archiver.warc.reader import RecordError, read_record

Progress = Callable[[int], None]


@dataclass
class Problem:
    """One thing wrong, with where (file and line when known) and which check found it."""

    check: str  # crawl.json | missing-file | jsonl | schema | pointer | open-file | warc
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}" if where else self.message


@dataclass
class VerifyReport:
    problems: list[Problem] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    crawls: int = 0
    jsonl_files: int = 0
    records: int = 0
    pointers: int = 0
    warc_files: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data


def verify(path: str | Path, *, repair: bool = False, progress: Progress | None = None) -> VerifyReport:
    """Check an archive, crawl directory, JSONL file or WARC file; `repair` fixes leftover `.open` files."""
    root = Path(path).expanduser()
    if not root.exists():
        raise FileNotFoundError(f"no such file or directory: {root}")
    report = VerifyReport()
    if root.is_file() and ".warc" in root.name:
        report.warc_files = 1
        report.problems += [Problem("warc", "", p) for p in verify_warcs(root, repair=repair)]
        return report
    crawl_dirs = [root.parent] if root.is_file() else find_crawl_dirs(root)
    if not crawl_dirs:
        report.problems.append(Problem("missing-file", str(root), "no crawl files (records, WARC, crawl.json) here"))
        return report
    for crawl_dir in crawl_dirs:
        _leftovers(crawl_dir, repair, report)
    files = [JsonlFile.of(root)] if root.is_file() else discover(root)
    for file in files:
        check_jsonl(file, report, progress)
    if root.is_dir():
        report.crawls = len(crawl_dirs)
        for crawl_dir in crawl_dirs:
            report.problems += check_summary(crawl_dir)
        warcs = sorted({p for pattern in WARC_GLOBS for p in root.rglob(pattern)})
        report.warc_files = len(warcs)
        report.problems += [Problem("warc", "", p) for p in verify_warcs(root, repair=repair)]
        if progress is not None:
            progress(sum(p.stat().st_size for p in warcs if p.exists()))
    return report


def find_crawl_dirs(root: Path) -> list[Path]:
    """Directories holding crawl files (records, WARCs or crawl.json), `root` included."""
    patterns = (SUMMARY_FILE, *RECORDS_GLOBS, f"{RECORDS_PREFIX}-*.jsonl.gz{OPEN_SUFFIX}", *WARC_GLOBS)
    return sorted({p.parent for pattern in patterns for p in root.rglob(pattern) if p.is_file()})


def work_bytes(path: str | Path) -> int:
    """What `verify` will read, in bytes (for a progress bar's total)."""
    root = Path(path)
    if root.is_file():
        return root.stat().st_size
    warcs = sum(p.stat().st_size for pattern in WARC_GLOBS for p in root.rglob(pattern))
    return total_bytes(discover(root)) + warcs


def check_jsonl(file: JsonlFile, report: VerifyReport, progress: Progress | None = None) -> None:
    """JSON, schema and pointer checks of every line of one records file."""
    report.jsonl_files += 1
    path = str(file.path)
    try:
        for number, line in iter_lines(file, progress):
            report.records += 1
            try:
                record = json.loads(line)
            except ValueError as exc:
                report.problems.append(Problem("jsonl", path, f"not JSON ({exc})", number))
                continue
            if not isinstance(record, dict):
                report.problems.append(Problem("jsonl", path, "not a JSON object", number))
                continue
            for error in record_errors(record):
                report.problems.append(Problem("schema", path, f"invalid record: {error}", number))
            if isinstance(record.get("warc"), dict):
                report.pointers += 1
                report.problems += [Problem("pointer", path, m, number) for m in check_pointer(file.crawl_dir, record)]
    except (OSError, ValueError) as exc:  # a corrupt .gz comes as ValueError from iter_lines
        report.problems.append(Problem("jsonl", path, f"unreadable ({exc})"))


def check_pointer(crawl_dir: Path, record: dict[str, Any]) -> list[str]:
    """Why the record's WARC pointer does not lead to its page (empty when it does)."""
    pointer = record["warc"]
    filename = str(pointer.get("filename") or "")
    warc = crawl_dir / filename
    if not filename or "/" in filename or not (warc.is_file() or warc.with_name(filename + OPEN_SUFFIX).is_file()):
        return [f"pointer: WARC file {filename!r} is missing from {crawl_dir}"]
    if not warc.is_file():
        warc = warc.with_name(filename + OPEN_SUFFIX)  # still being written
    try:
        found = read_record(warc, int(pointer.get("offset", -1)), int(pointer.get("length") or 0) or None)
    except (RecordError, OSError, ValueError, EOFError, zlib.error) as exc:
        return [f"pointer: no WARC record at {filename}@{pointer.get('offset')} ({exc})"]
    problems = []
    if found.warc_type not in ("response", "revisit"):
        problems.append(f"pointer: {filename}@{pointer['offset']} is a {found.warc_type or '?'} record, "
                        "not a response or revisit")
    if pointer.get("length") and found.length != pointer["length"]:
        problems.append(f"pointer: length {pointer['length']} but the record takes {found.length} bytes")
    if found.get("WARC-Record-ID") != pointer.get("record_id"):
        problems.append(f"pointer: record id {pointer.get('record_id')} but the WARC record is "
                        f"{found.get('WARC-Record-ID')}")
    if found.get("WARC-Target-URI") != record.get("url"):
        problems.append(f"pointer: WARC-Target-URI {found.get('WARC-Target-URI')} is not the record url")
    archived_digest = found.get("WARC-Payload-Digest")
    if record.get("digest") and archived_digest and record["digest"] != archived_digest:
        problems.append(f"pointer: record digest {record['digest']} is not the WARC payload digest {archived_digest}")
    if found.warc_type == "revisit" and not problems:
        try:
            read_response(crawl_dir, pointer)
        except (LookupError, OSError, ValueError) as exc:
            problems.append(f"pointer: revisit's original cannot be read ({exc})")
    return problems


def check_summary(crawl_dir: Path) -> list[Problem]:
    """crawl.json is present and readable, and every file it lists exists."""
    summary_path = crawl_dir / SUMMARY_FILE
    if not summary_path.is_file():
        if any(writer_alive(p) for p in crawl_dir.glob(f"*{OPEN_SUFFIX}")):
            return []  # the crawl is still running: crawl.json comes at its end
        return [Problem("crawl.json", str(summary_path), "missing (crawl killed before it finished?)")]
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [Problem("crawl.json", str(summary_path), f"unreadable ({exc})")]
    if not isinstance(summary, dict):
        return [Problem("crawl.json", str(summary_path), "not a JSON object")]
    missing = [name for name in summary.get("files") or [] if not (crawl_dir / str(name)).exists()]
    return [Problem("missing-file", str(crawl_dir / name), "listed in crawl.json but missing") for name in missing]


def _leftovers(crawl_dir: Path, repair: bool, report: VerifyReport) -> None:
    """Report (or repair) JSONL `.open` files of writers that are no longer running."""
    for path in sorted({p for pattern in JSONL_LEFTOVER_GLOBS for p in crawl_dir.glob(pattern)}):
        if writer_alive(path):
            continue
        if not repair:
            report.problems.append(Problem("open-file", str(path), "unclosed JSONL file (crashed writer?); "
                                           "run with --repair"))
            continue
        try:
            report.repaired.append(repair_jsonl(path))
        except (OSError, ValueError) as exc:
            report.problems.append(Problem("open-file", str(path), f"cannot repair: {exc}"))
