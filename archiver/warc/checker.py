"""WARC integrity checks behind `archiver verify DIR [--repair]`.

Checks every `*.warc.gz` (and leftover `*.warc.gz.open`) under a directory: each gzip member holds
exactly one well-formed record, the first is `warcinfo`, the WARC version never changes, block and
payload digests match, revisits name what they revisit. `--repair` cuts a crashed `.open` file
after its last whole record and renames it; files of a live writer on this host are left alone.
"""

from __future__ import annotations

import os
from pathlib import Path

from archiver.crawldir import OPEN_SUFFIX, final_path, writer_alive
from archiver.warc.digests import sha1_digest
from archiver.warc.httphead import split_message
from archiver.warc.reader import RawRecord, RecordError, iter_members, parse_record


def verify_warcs(directory: str | Path, repair: bool = False) -> list[str]:
    """Problems found (one readable line each; empty = all good); `repair` fixes `.open` files."""
    root = Path(directory)
    files = [root] if root.is_file() else sorted(
        [*root.rglob("*.warc.gz"), *root.rglob(f"*.warc.gz{OPEN_SUFFIX}")])
    problems: list[str] = []
    for path in files:
        if path.name.endswith(OPEN_SUFFIX):
            problems += _check_open_file(path, repair)
        else:
            problems += [f"{path}: {p}" for p in check_file(path)[0]]
    return problems


def check_file(path: Path) -> tuple[list[str], int]:
    """(problems, end offset of the last whole valid record) of one WARC file."""
    problems: list[str] = []
    good_end, version = 0, None
    requests: dict[str, int] = {}  # request record id -> offset
    linked: set[str] = set()  # ids named by some WARC-Concurrent-To (either direction is valid)
    try:
        for index, (offset, length, data) in enumerate(iter_members(path)):
            try:
                record = parse_record(data, offset, length)
            except RecordError as exc:
                problems.append(f"offset {offset}: {exc}")
                break
            if index == 0 and record.warc_type != "warcinfo":
                problems.append("first record is not warcinfo")
            version = version or record.version
            if record.version != version:
                problems.append(f"offset {offset}: {record.version} after {version}")
            problems += [f"offset {offset}: {p}" for p in check_record(record)]
            _note_links(record, requests, linked)
            good_end = offset + length
    except RecordError as exc:
        problems.append(str(exc))
    problems += [f"offset {offset}: request {rid} linked to no response"
                 for rid, offset in requests.items() if rid not in linked]
    return problems, good_end


def _note_links(record: RawRecord, requests: dict[str, int], linked: set[str]) -> None:
    record_id = record.get("WARC-Record-ID") or ""
    concurrent = record.get("WARC-Concurrent-To")
    if record.warc_type == "request":
        requests[record_id] = record.offset
        if concurrent:
            linked.add(record_id)
    elif concurrent:
        linked.add(concurrent)


def check_record(record: RawRecord) -> list[str]:
    """Digest and linkage problems of one record."""
    problems = []
    for name in ("WARC-Record-ID", "WARC-Date", "WARC-Type"):
        if not record.get(name):
            problems.append(f"missing {name}")
    block_digest = record.get("WARC-Block-Digest")
    if block_digest and block_digest != sha1_digest(record.block):
        problems.append(f"{record.get('WARC-Record-ID')}: block digest mismatch")
    if record.warc_type == "response" and record.get("WARC-Payload-Digest"):
        _, payload = split_message(record.block)
        if record.get("WARC-Payload-Digest") != sha1_digest(payload):
            problems.append(f"{record.get('WARC-Record-ID')}: payload digest mismatch")
    if record.warc_type == "revisit":
        for name in ("WARC-Refers-To", "WARC-Refers-To-Target-URI", "WARC-Profile"):
            if not record.get(name):
                problems.append(f"{record.get('WARC-Record-ID')}: revisit without {name}")
    return problems


def _check_open_file(path: Path, repair: bool) -> list[str]:
    if writer_alive(path):
        return []  # being written right now: not a problem, never touched
    problems, good_end = check_file(path)
    if not repair:
        return [f"{path}: unclosed WARC file (crashed writer?); run with --repair"] + [
            f"{path}: {p}" for p in problems]
    final = final_path(path)
    with open(path, "r+b") as handle:
        handle.truncate(good_end)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(path, final)
    remaining, _ = check_file(final)
    return [f"{final}: {p} (after repair)" for p in remaining]
