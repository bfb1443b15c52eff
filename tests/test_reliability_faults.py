"""Faults on our side: disk full, read-only output, unsafe crawl ids, kill -9 in the middle of writes.

Disk full and read-only are real file systems (a tiny tmpfs mounted by the test) when the test
runs as root; elsewhere the disk-full path is exercised through a writer whose `write` raises
ENOSPC. kill -9 hits a real crawl at several moments; afterwards `archiver verify --repair` must
leave only whole files, and every record line left must be valid and point into a WARC record.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from archiver.crawl.disk_full import disk_error, stop_for_disk_full
from archiver.pipelines.jsonl import JsonlWriter
from archiver.schema import record_errors
from tests.crawling import REPO, CrawlResult, run_crawl
from tests.hostile_server import hostile_server


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _mount_tmpfs(target: Path, options: str) -> bool:
    """Mount a tmpfs (needs root with CAP_SYS_ADMIN); False when this machine does not allow it."""
    if not _is_root():
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
                          capture_output=True, check=False)
    return done.returncode == 0


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Path]:
    """A 256 KB tmpfs: enough for the first records, then ENOSPC."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if not _mount_tmpfs(mount, "size=256k"):
        pytest.skip("cannot mount a tmpfs here; test_jsonl_writer_on_enospc covers the path")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "ro"
    target.mkdir()
    if _mount_tmpfs(target, "ro,size=64k"):
        yield target
        subprocess.run(["umount", "-l", str(target)], check=False)
    elif not _is_root():  # permission bits are enforced for ordinary users
        target.chmod(0o555)
        yield target
        target.chmod(0o755)
    else:
        pytest.skip("root without mount rights: no way to make a directory read-only for us")


def _verify(archive: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "archiver", "verify", str(archive), *extra], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)


def _disk_full_crawl(tiny_fs: Path) -> CrawlResult:
    with hostile_server() as server:
        urls = tiny_fs.parent / "urls.txt"
        urls.write_text("\n".join(server.url(f"/good/one?copy={i}") for i in range(300)) + "\n")
        return run_crawl(tiny_fs / "archive", f"urls_file={urls}", settings={"CONCURRENT_REQUESTS": "4"})


def test_disk_full_stops_cleanly_with_one_clear_line(tiny_fs: Path) -> None:
    crawl = _disk_full_crawl(tiny_fs)
    assert "Traceback" not in crawl.stderr, crawl.stderr[-3000:]
    critical = [line for line in crawl.stderr.splitlines() if "] CRITICAL:" in line]
    assert len(critical) == 1 and "Cannot write the archive" in critical[0], critical
    assert "(ENOSPC)" in critical[0]
    assert crawl.returncode == 1
    # Stopped early: far fewer than 300 pages were fetched after the disk filled up.
    assert crawl.stderr.count("Download failed") + crawl.stderr.count("Error processing") < 20
    for path in (tiny_fs / "archive").rglob("records-*.jsonl"):  # closed JSONL files are whole
        for line in path.read_text(encoding="utf-8").splitlines():
            assert record_errors(json.loads(line)) == []


def _limit_file_size() -> None:
    """In the crawl process: files may not grow past 150 KB (EFBIG instead of SIGXFSZ)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))


def test_file_size_limit_stops_cleanly_without_root(tmp_path: Path) -> None:
    """The same clean stop for any user: RLIMIT_FSIZE makes every writer (WARC, JSONL, SQLite
    digest index) fail like a full disk; the first failure must stop the crawl with one line."""
    archive = tmp_path / "archive"
    with hostile_server() as server:
        urls = tmp_path / "urls.txt"
        urls.write_text("\n".join(server.url(f"/good/one?copy={i}") for i in range(300)) + "\n")
        command = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"urls_file={urls}",
                   "-s", f"ARCHIVE_DIR={archive}", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=4"]
        crawl = subprocess.run(command, cwd=REPO, env=dict(os.environ, SCRAPY_SETTINGS_MODULE="archiver.settings"),
                               capture_output=True, text=True, preexec_fn=_limit_file_size, timeout=120, check=False)
    assert "Traceback" not in crawl.stderr, crawl.stderr[-3000:]
    critical = [line for line in crawl.stderr.splitlines() if "] CRITICAL:" in line]
    assert len(critical) == 1 and "Cannot write the archive" in critical[0], critical
    assert crawl.returncode == 1
    assert crawl.stderr.count("[article] ERROR") < 10
    report = _verify(archive)
    assert [line for line in report.stdout.splitlines() if ".warc.gz:" in line or ".jsonl:" in line] == []


def test_disk_full_leaves_no_corrupt_closed_warc(tiny_fs: Path) -> None:
    _disk_full_crawl(tiny_fs)
    report = _verify(tiny_fs / "archive")
    closed_problems = [line for line in report.stdout.splitlines() if ".warc.gz:" in line]
    assert closed_problems == [], report.stdout


def test_jsonl_writer_on_enospc_keeps_finished_files_whole(tmp_path: Path) -> None:
    """Without root: the writer's stream fails like a full disk; closed files stay valid."""
    writer = JsonlWriter(tmp_path, max_records=2)
    record = {"url": "https://example.com/a", "body": "x" * 100}
    writer.write(record)
    writer.write(record)  # rotates: one finished file
    stream = writer._open()
    original_write = stream.write

    def full_disk(data: bytes) -> int:
        original_write(data[: len(data) // 2])  # a short write, then the error, as on a real disk
        raise OSError(errno.ENOSPC, "No space left on device")

    stream.write = full_disk  # type: ignore[method-assign]
    with pytest.raises(OSError) as raised:
        writer.write(record)
    assert disk_error(raised.value) is not None
    finished = list(tmp_path.glob("*.jsonl"))
    assert len(finished) == 1
    assert [json.loads(line) for line in finished[0].read_text().splitlines()] == [record, record]
    assert list(tmp_path.glob("*.jsonl.open"))  # the broken file keeps its .open name


def test_stop_for_disk_full_logs_once_and_closes_the_spider(caplog: pytest.LogCaptureFixture,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[str] = []

    def schedule(coro) -> None:  # type: ignore[no-untyped-def]
        coro.close()  # no reactor here: record that closing was asked for
        closed.append("scheduled")

    monkeypatch.setattr("archiver.crawl.disk_full._schedule_coro", schedule)

    async def close_spider_async(*, reason: str) -> None:
        return None

    stats: dict[str, int] = {}
    crawler = SimpleNamespace(
        stats=SimpleNamespace(inc_value=lambda key: stats.__setitem__(key, stats.get(key, 0) + 1)),
        engine=SimpleNamespace(spider=object(), close_spider_async=close_spider_async), spider=object())
    error = OSError(errno.ENOSPC, "No space left on device", "/archive/x.warc.gz.open")
    with caplog.at_level("CRITICAL"):
        assert stop_for_disk_full(crawler, error)
        assert stop_for_disk_full(crawler, RuntimeError("wrapped")) is False
        assert stop_for_disk_full(crawler, error)
    assert len(caplog.records) == 1 and "x.warc.gz.open" in caplog.records[0].getMessage()
    assert stats["archiver/disk_full"] == 2
    assert closed == ["scheduled"]  # the spider is closed once


def test_read_only_output_dir_is_one_clear_error(read_only_dir: Path) -> None:
    crawl = run_crawl(read_only_dir / "archive", "url=http://127.0.0.1:9/never")
    assert crawl.returncode == 2
    assert "Traceback" not in crawl.stderr
    lines = crawl.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write to ARCHIVE_DIR"), lines


@pytest.mark.parametrize("crawl_id", ["../../escape", "/tmp/absolute-escape", "a/b", "..", ".hidden",
                                      "x" * 300, "bad\nline"])
def test_unsafe_crawl_id_is_refused_and_nothing_escapes(tmp_path: Path, crawl_id: str) -> None:
    sandbox = tmp_path / "sandbox"
    archive = sandbox / "archive"
    crawl = run_crawl(archive, "url=http://127.0.0.1:9/never", settings={"CRAWL_ID": crawl_id})
    assert crawl.returncode == 2
    assert "Traceback" not in crawl.stderr
    assert crawl.stderr.strip().startswith("error: CRAWL_ID must match"), crawl.stderr[-500:]
    assert not Path("/tmp/absolute-escape").exists()
    outside = [p for p in tmp_path.rglob("*") if archive not in (p, *p.parents) and p != sandbox]
    assert outside == []


# --- kill -9 -------------------------------------------------------------------------------------

def _start_crawl(archive: Path, urls_file: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"urls_file={urls_file}",
               "-s", f"ARCHIVE_DIR={archive}", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CRAWL_ID=killed",
               "-s", "CONCURRENT_REQUESTS=8", "-s", "JSONL_MAX_RECORDS=7", "-s", "WARC_MAX_SIZE=40000"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="archiver.settings")
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, text=True)


def _wait_for_records(archive: Path, at_least: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = sum(_lines_of(p) for p in archive.rglob("records-*.jsonl*"))
        if lines >= at_least:
            return
        time.sleep(0.02)
    raise AssertionError(f"crawl never reached {at_least} records")


def _lines_of(path: Path) -> int:
    """Lines of a records file; 0 for one the crawler renamed (closed its `.open` file) between
    our listing and our read: its lines are counted under the new name on the next pass."""
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


@pytest.mark.parametrize("kill_after", [1, 9, 23])
def test_kill_9_mid_crawl_leaves_only_whole_or_repairable_files(tmp_path: Path, kill_after: int) -> None:
    archive = tmp_path / "archive"
    with hostile_server() as server:
        urls = tmp_path / "urls.txt"
        urls.write_text("\n".join(server.url(f"/good/two?n={i}") for i in range(400)) + "\n")
        process = _start_crawl(archive, urls)
        try:
            _wait_for_records(archive, kill_after)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(30)
    repaired = _verify(archive, "--repair")
    assert "Traceback" not in repaired.stderr
    after = _verify(archive)
    # The one thing verify may say: the killed crawl never wrote its crawl.json (it was killed).
    problems = [line for line in after.stdout.splitlines()
                if "problem(s):" not in line and not line.endswith("missing (crawl killed before it finished?)")]
    assert problems == [], after.stdout + after.stderr
    assert not list(archive.rglob("*.open"))
    records = [json.loads(line) for path in sorted(archive.rglob("records-*.jsonl"))
               for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= kill_after
    assert all(record_errors(r) == [] for r in records)
    assert len({r["url"] for r in records}) == len(records)  # nothing twice
