"""Run one cron job: lock, plan (fresh or resume), crawl in a subprocess, summarise, notify.

The crawl runs as `python -m scrapy crawl article …` with SCRAPY_SETTINGS_MODULE=archiver.settings
in its own session, so a terminal's Ctrl-C or a service manager reaches it once, through us: the
runner forwards SIGTERM/SIGINT/SIGHUP, Scrapy finishes the items in flight, saves its JOBDIR queue
and exits 5, and the next run resumes. Its output goes to the job's rotating log file; stdout
gets one summary line per job, stderr one line per problem.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import FrameType
from typing import IO

from archiver.crawl import outcome
from archiver.cron.config import Job
from archiver.cron.job_settings import command_settings
from archiver.cron.lock import LOCK_NAME, JobLock, LockedError
from archiver.cron.notify import notify
from archiver.cron.report import JobResult, read_summary, summary_line
from archiver.cron.resume import JOBDIR_ROOT, Plan, plan_run, prepare_resume
from archiver.defaults import default
from archiver.incremental.state import CrawlState, iso, parse_time

logger = logging.getLogger("archiver.cron")
FORWARDED_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


@dataclass
class Child:
    """The running crawl subprocess and whether we were asked to stop it."""

    process: subprocess.Popen[bytes]
    signalled: bool = False


def crawl_command(job: Job, plan: Plan, now: str | None = None) -> list[str]:
    """The `scrapy crawl` command line of one job run."""
    value = ",".join(job.inputs) if job.mode == "url" else job.inputs[0]
    command = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"{job.mode}={value}"]
    for name, arg in job.spider_args.items():
        command += ["-a", f"{name}={arg}"]
    for name, setting in command_settings(job, plan.crawl_id, plan.jobdir).items():
        command += ["-s", f"{name}={setting}"]
    return command


def run_job(job: Job, *, echo: Callable[[str], None] = print) -> JobResult:
    """Run one job to the end (or until interrupted); returns its exit code and summary."""
    handler = _log_handler(job)
    logging.getLogger("archiver").addHandler(handler)
    logging.getLogger("archiver").setLevel(logging.INFO)
    try:
        lock = JobLock(job.archive_dir / LOCK_NAME)
        try:
            lock.acquire()
        except LockedError as exc:
            logger.warning("Job %s not started: %s", job.name, exc)
            return JobResult(job.name, outcome.LOCKED, f"{job.name}: locked — {exc}", None)
        try:
            result = _run_locked(job, lock, handler)
        finally:
            lock.release()
        echo(result.line)
        notify(job, result)
        return result
    finally:
        logging.getLogger("archiver").removeHandler(handler)
        handler.close()


def _run_locked(job: Job, lock: JobLock, handler: logging.Handler) -> JobResult:
    now = _job_now(job)
    state = CrawlState(job.archive_dir / default("STATE_DB"))
    try:
        plan = plan_run(state, job.archive_dir)
        logger.info("Job %s: %s", job.name, plan.reason)
        if plan.resume:
            last = state.last_run()
            recovered = prepare_resume(state, job.archive_dir / plan.crawl_id,
                                       last.segments if last else 1, now)
            logger.info("Job %s: %d records of the interrupted crawl reconciled", job.name, recovered)
        state.start_run(plan.crawl_id, job.name, iso(datetime.now(UTC)))
    finally:
        state.close()
    started = datetime.now(UTC)
    code = _crawl(job, plan, lock, handler)
    status = ("killed" if code < 0 else "interrupted" if code == outcome.INTERRUPTED else "finished")
    exit_code = outcome.INTERRUPTED if code < 0 else code
    state = CrawlState(job.archive_dir / default("STATE_DB"))
    try:
        state.finish_run(plan.crawl_id, status, exit_code, iso(datetime.now(UTC)))
    finally:
        state.close()
    if status == "finished":
        _remove_tree(plan.jobdir)
    crawl_dir = job.archive_dir / plan.crawl_id
    summary = read_summary(crawl_dir, since=started)
    line = summary_line(job.name, exit_code, summary, crawl_dir, killed_by=-code if code < 0 else None)
    logger.info("%s", line)
    return JobResult(job.name, exit_code, line, crawl_dir, summary)


def _crawl(job: Job, plan: Plan, lock: JobLock, handler: logging.Handler) -> int:
    """Run the crawl subprocess; its return code (negative: killed by that signal)."""
    command = crawl_command(job, plan)
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="archiver.settings", PYTHONUNBUFFERED="1")
    plan.jobdir.parent.mkdir(parents=True, exist_ok=True)
    logger.info("Job %s: %s", job.name, " ".join(command))
    assert lock.fd is not None
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments, no shell
        command, cwd=job.config_dir, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, start_new_session=True, pass_fds=(lock.fd,))
    lock.note(os.getpid(), process.pid)
    child = Child(process)
    pump = threading.Thread(target=_pump, args=(process.stdout, handler), daemon=True)
    pump.start()
    previous = {sig: signal.signal(sig, _forwarder(child)) for sig in FORWARDED_SIGNALS}
    try:
        code = process.wait()
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
    pump.join(timeout=10)
    return code


def _forwarder(child: Child) -> Callable[[int, FrameType | None], None]:
    def forward(signum: int, frame: FrameType | None) -> None:
        child.signalled = True
        logger.warning("Received %s: passing it to the crawl (it stops cleanly; run again to resume)",
                       signal.Signals(signum).name)
        if child.process.poll() is None:
            child.process.send_signal(signum)
    return forward


def _pump(stream: IO[bytes] | None, handler: logging.Handler) -> None:
    """Copy the crawl's output, line by line, into the job's log file."""
    if stream is None:
        return
    for raw in stream:
        line = raw.decode("utf-8", "replace").rstrip("\n")
        record = logging.LogRecord("crawl", logging.INFO, "", 0, line, None, None)
        record.raw = True
        handler.handle(record)


class _LogFormatter(logging.Formatter):
    """Our own lines in Scrapy's format; the crawl's lines (already formatted) as they are."""

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "raw", False):
            return record.getMessage()
        return super().format(record)


def _log_handler(job: Job) -> RotatingFileHandler:
    job.log_path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(job.log_path, maxBytes=job.log_max_bytes,
                                  backupCount=job.log_backups, encoding="utf-8")
    handler.setFormatter(_LogFormatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    return handler


def _job_now(job: Job) -> str:
    fixed = parse_time(str(job.settings.get("INCREMENTAL_NOW") or "")) if job.settings else None
    return iso(fixed or datetime.now(UTC))


def _remove_tree(path: Path) -> None:
    import shutil

    if path.is_dir() and JOBDIR_ROOT in str(path):
        shutil.rmtree(path, ignore_errors=True)
