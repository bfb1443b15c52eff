"""Tell someone how a job went: a shell command and/or a webhook (JSON POST), per `notify_on`.

A failing hook is logged and never changes the job's exit code: the crawl result is what counts.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import urllib.request

from archiver.crawl import outcome
from archiver.crawldir import SUMMARY_FILE
from archiver.cron.config import Job
from archiver.cron.report import JobResult

logger = logging.getLogger(__name__)
HOOK_TIMEOUT = 30


def should_notify(job: Job, result: JobResult) -> bool:
    if job.notify_on == "never" or result.exit_code == outcome.LOCKED:
        return False
    return job.notify_on == "always" or result.exit_code != outcome.OK


def notify(job: Job, result: JobResult) -> None:
    """Run the job's hooks for this result (if any apply)."""
    if not should_notify(job, result):
        return
    if job.notify_command:
        _run_command(job.notify_command, result)
    if job.notify_url:
        _post(job.notify_url, result)


def _run_command(command: str, result: JobResult) -> None:
    env = dict(os.environ, ARCHIVER_JOB=result.job, ARCHIVER_EXIT_CODE=str(result.exit_code),
               ARCHIVER_SUMMARY=result.line,
               ARCHIVER_CRAWL_DIR=str(result.crawl_dir or ""),
               ARCHIVER_CRAWL_JSON=str(result.crawl_dir / SUMMARY_FILE) if result.crawl_dir else "")
    try:
        # The user's own command from their jobs file: a shell line, like a crontab entry.
        done = subprocess.run(command, shell=True, env=env, timeout=HOOK_TIMEOUT,  # noqa: S602
                              stdin=subprocess.DEVNULL, capture_output=True, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.warning("notify_command failed: %s", exc)
        return
    if done.returncode:
        logger.warning("notify_command exited %s: %s", done.returncode,
                       done.stderr.decode("utf-8", "replace").strip()[:500])


def _post(url: str, result: JobResult) -> None:
    body = json.dumps(result.describe()).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=HOOK_TIMEOUT) as response:  # noqa: S310
            response.read()
    except OSError as exc:
        logger.warning("notify_url %s failed: %s", url, exc)
