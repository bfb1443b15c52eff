"""Overlapping runs (lock, stale lock), the exit code of each failure kind, notification hooks."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from archiver.crawl import outcome
from archiver.cron import run_jobs_file
from archiver.cron.lock import JobLock, LockedError
from tests.cron_helpers import at, make_site, write_jobs
from tests.servers.changing_site import ChangingSite, serve_site
from tests.test_cron_resume import crawl_pid, run_cli


def test_lock_is_exclusive_and_names_the_holder(tmp_path: Path) -> None:
    with JobLock(tmp_path / "lock"):
        with pytest.raises(LockedError, match=f"pid {os.getpid()}"):
            JobLock(tmp_path / "lock").acquire()
    with JobLock(tmp_path / "lock"):  # released: free again, and not reported as stale
        pass


def test_stale_lock_of_a_dead_process_is_taken_over_with_a_log_line(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (tmp_path / "lock").write_text(f"pid={dead} started=2026-01-01T00:00:00+00:00\n")
    with caplog.at_level(logging.WARNING), JobLock(tmp_path / "lock"):
        pass
    assert f"stale lock {tmp_path / 'lock'} from pid {dead} (no longer running" in caplog.text


def test_overlapping_run_exits_locked_while_the_first_finishes(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", ["a", "b", "c"])
    slow = lambda path: time.sleep(0.4) if path.startswith("/posts/") else None  # noqa: E731
    with serve_site(site.root, on_request=slow) as base:
        jobs = write_jobs(tmp_path / "jobs.toml", base, now=at(0), settings={"CONCURRENT_REQUESTS": 1})
        first = run_cli(jobs)
        deadline = time.monotonic() + 60
        while crawl_pid(tmp_path / "archive") is None and time.monotonic() < deadline:
            time.sleep(0.1)
        second = run_cli(jobs)
        out2, err2 = second.communicate(timeout=60)
        out1, _ = first.communicate(timeout=120)
    assert second.returncode == outcome.LOCKED
    assert err2.startswith("error: t: locked — another run holds") and err2.count("\n") == 1
    assert first.returncode == outcome.OK, out1


def test_exit_code_empty_when_the_site_has_no_article_and_notify_command_runs(tmp_path: Path) -> None:
    site = ChangingSite(tmp_path / "site")
    site.write()
    marker = tmp_path / "notified.txt"
    extra = f'notify_command = "echo $ARCHIVER_EXIT_CODE $ARCHIVER_JOB > {marker}"\n'
    with serve_site(site.root) as base:
        jobs = write_jobs(tmp_path / "jobs.toml", base, now=at(0), extra=extra)
        assert run_jobs_file(str(jobs))[0] == outcome.EMPTY
    assert marker.read_text().split() == [str(outcome.EMPTY), "t"]


def test_exit_code_errors_when_named_pages_fail_and_webhook_gets_the_summary(tmp_path: Path) -> None:
    received: list[dict] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    hook = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    site = make_site(tmp_path / "site", ["real"])
    try:
        with serve_site(site.root) as base:
            jobs = tmp_path / "jobs.toml"
            jobs.write_text(
                f'[jobs.t]\nurl = ["{base}/posts/missing-1/", "{base}/posts/missing-2/"]\n'
                f'archive_dir = "archive"\nnotify_url = "http://127.0.0.1:{hook.server_address[1]}/hook"\n'
                'settings = { AUTOTHROTTLE_ENABLED = false, RETRY_ENABLED = false }\n')
            assert run_jobs_file(str(jobs))[0] == outcome.ERRORS
    finally:
        hook.shutdown()
        hook.server_close()
    assert len(received) == 1 and received[0]["exit_code"] == outcome.ERRORS
    assert received[0]["status"] == "errors" and "2 errors" in received[0]["summary"]


def test_exit_code_failed_when_the_crawl_cannot_start(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", ["a"])
    with serve_site(site.root) as base:
        jobs = write_jobs(tmp_path / "jobs.toml", base, now=at(0),
                          settings={"DOWNLOADER_MIDDLEWARES": {"no.such.Middleware": 10}})
        code, _ = run_jobs_file(str(jobs))
    assert code == outcome.FAILED
    log = (tmp_path / "archive" / "logs" / "cron.log").read_text()
    assert "no.such" in log


def test_bad_config_and_unknown_job_exit_codes_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[jobs.t]\nsite = "https://example.org/"\narchive_dir = "a"\nrevisit = ["7d:1x"]\n')
    done = subprocess.run([sys.executable, "-m", "archiver", "cron", str(bad)], capture_output=True, text=True)
    assert done.returncode == outcome.BAD_CONFIG
    expected = f"error: {bad}:4: jobs.t.revisit: rule 1 '7d:1x': bad duration '1x' (use e.g. 30m, 12h, 7d, 2w)\n"
    assert done.stderr == expected
    good = tmp_path / "good.toml"
    good.write_text('[jobs.t]\nsite = "https://example.org/"\narchive_dir = "a"\n')
    done = subprocess.run([sys.executable, "-m", "archiver", "cron", str(good), "--job", "nope"],
                          capture_output=True, text=True)
    assert done.returncode == outcome.USAGE
    assert done.stderr.strip() == f"error: no job named 'nope' in {good} (jobs: t)"

