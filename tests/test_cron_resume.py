"""Killing a cron run (kill -9 at several points, SIGTERM) and running it again loses nothing and
duplicates nothing: the record set equals that of an uninterrupted run over the same site."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from archiver.crawl import outcome
from archiver.cron.lock import LOCK_NAME
from tests.cron_helpers import at, crawl_dirs, make_site, record_key, records, write_jobs
from tests.servers.changing_site import serve_site

REPO = Path(__file__).resolve().parent.parent
SLUGS = [f"story-{n:02d}" for n in range(12)]
# Two requests at a time, so a kill lands with some articles written and others in flight.
FAST = {"CONCURRENT_REQUESTS": 2}


def run_cli(jobs: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-m", "archiver", "cron", str(jobs)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def crawl_pid(archive: Path) -> int | None:
    try:
        text = (archive / LOCK_NAME).read_text()
    except OSError:
        return None
    fields = dict(part.split("=", 1) for part in text.split() if "=" in part)
    return int(fields["crawl_pid"]) if "crawl_pid" in fields else None


class Trigger:
    """Server hook: on the Nth article request, send `action` once."""

    def __init__(self, nth: int, action: Callable[[], None]) -> None:
        self.nth, self.action, self.seen = nth, action, 0
        self.lock = threading.Lock()

    def __call__(self, path: str) -> None:
        if not path.startswith("/posts/"):
            return
        with self.lock:
            self.seen += 1
            fire = self.seen == self.nth
        if fire:
            self.action()
            time.sleep(0.5)  # let the signal land before this response is sent


def all_keys(archive: Path) -> list[tuple[str, int, str]]:
    return sorted(record_key(r) for d in crawl_dirs(archive) for r in records(d))


@pytest.fixture(scope="module")
def site_and_reference(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("resume")
    site = make_site(root / "site", SLUGS)
    trigger: dict[str, Callable[[str], None] | None] = {"hook": None}

    def hook(path: str) -> None:
        if trigger["hook"] is not None:
            trigger["hook"](path)

    with serve_site(site.root, on_request=hook) as base:
        jobs = write_jobs(root / "jobs.toml", base, now=at(0), settings=FAST)
        proc = run_cli(jobs)
        proc.communicate(timeout=120)
        assert proc.returncode == outcome.OK
        reference = all_keys(root / "archive")
        assert len(reference) == len(SLUGS)
        yield base, reference, trigger


def _kill_crawl(archive: Path, sig: int) -> Callable[[], None]:
    def action() -> None:
        pid = crawl_pid(archive)
        assert pid is not None
        os.kill(pid, sig)
    return action


@pytest.mark.parametrize("nth", [1, 5, 10])
def test_kill_9_of_the_crawl_then_resume_gives_the_uninterrupted_record_set(
        tmp_path: Path, site_and_reference, nth: int) -> None:  # type: ignore[no-untyped-def]
    base, reference, trigger = site_and_reference
    archive = tmp_path / "archive"
    jobs = write_jobs(tmp_path / "jobs.toml", base, now=at(0), settings=FAST)
    trigger["hook"] = Trigger(nth, _kill_crawl(archive, signal.SIGKILL))
    try:
        proc = run_cli(jobs)
        out, _ = proc.communicate(timeout=120)
    finally:
        trigger["hook"] = None
    assert proc.returncode == outcome.INTERRUPTED, out
    assert "killed by SIGKILL" in out
    assert len(all_keys(archive)) < len(reference)
    proc = run_cli(jobs)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == outcome.OK, out + err
    assert len(crawl_dirs(archive)) == 1  # resumed in the same crawl directory
    assert all_keys(archive) == reference
    assert not list(crawl_dirs(archive)[0].glob("*.open"))
    log = (archive / "logs" / "cron.log").read_text()
    assert "JOBDIR discarded" in log


def test_kill_9_between_jsonl_write_and_state_commit(tmp_path: Path, site_and_reference) -> None:  # type: ignore[no-untyped-def]
    base, reference, _ = site_and_reference
    archive = tmp_path / "archive"
    crash = {**FAST, "ITEM_PIPELINES": {"tests.servers.crashpoint.KillAfterItems": 850},
             "TEST_KILL_AFTER_ITEMS": 3}
    jobs = write_jobs(tmp_path / "jobs.toml", base, now=at(0), settings=crash)
    proc = run_cli(jobs)
    proc.communicate(timeout=120)
    assert proc.returncode == outcome.INTERRUPTED
    crawl_dir = crawl_dirs(archive)[0]
    lines = [line for p in crawl_dir.glob("records-*.jsonl.open") for line in p.read_text().splitlines()]
    assert len(lines) == 3  # written to JSONL (still .open), the 3rd never committed to the state
    write_jobs(jobs, base, now=at(0), settings=FAST)
    proc = run_cli(jobs)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == outcome.OK, out + err
    assert all_keys(archive) == reference
    assert "3 records of the interrupted crawl reconciled" in (archive / "logs" / "cron.log").read_text()


def test_sigterm_stops_cleanly_and_resumes_with_the_jobdir(tmp_path: Path, site_and_reference) -> None:  # type: ignore[no-untyped-def]
    base, reference, trigger = site_and_reference
    archive = tmp_path / "archive"
    jobs = write_jobs(tmp_path / "jobs.toml", base, now=at(0), settings=FAST)
    holder: dict[str, subprocess.Popen[str]] = {}
    trigger["hook"] = Trigger(4, lambda: holder["proc"].send_signal(signal.SIGTERM))
    try:
        holder["proc"] = proc = run_cli(jobs)
        out, _ = proc.communicate(timeout=120)
    finally:
        trigger["hook"] = None
    assert proc.returncode == outcome.INTERRUPTED, out
    crawl_dir = crawl_dirs(archive)[0]
    assert not list(crawl_dir.glob("*.open"))  # files closed cleanly
    assert (archive / ".cron" / "jobdir" / crawl_dir.name).is_dir()
    proc = run_cli(jobs)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == outcome.OK, out + err
    assert all_keys(archive) == reference
    assert "with its JOBDIR queue" in (archive / "logs" / "cron.log").read_text()
    assert (crawl_dir / "crawl-segment-1.json").is_file()


def test_runner_killed_while_its_crawl_goes_on(tmp_path: Path, site_and_reference) -> None:  # type: ignore[no-untyped-def]
    """kill -9 of `archiver cron` itself: the crawl (own session, holding the inherited lock) goes
    on to the end; the next run sees the finished crawl, takes over the stale lock, starts afresh."""
    base, reference, trigger = site_and_reference
    archive = tmp_path / "archive"
    jobs = write_jobs(tmp_path / "jobs.toml", base, now=at(0), settings=FAST)
    holder: dict[str, subprocess.Popen[str]] = {}
    trigger["hook"] = Trigger(3, lambda: holder["proc"].kill())
    try:
        holder["proc"] = proc = run_cli(jobs)
        proc.communicate(timeout=120)
        child = crawl_pid(archive)
        assert proc.returncode == -signal.SIGKILL and child is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
    finally:
        trigger["hook"] = None
    assert not list(crawl_dirs(archive)[0].glob("*.open"))  # the orphaned crawl closed its files
    proc = run_cli(jobs)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == outcome.OK, out + err
    assert all_keys(archive) == reference
    assert "0 new" in out
    assert "Taking over stale lock" in (archive / "logs" / "cron.log").read_text()
