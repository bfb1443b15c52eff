"""Scheduled incremental runs: `archiver cron JOBS.toml [--job NAME]` (docs/cron.md).

config (jobs file) → lock (one run per job) → resume (fresh or interrupted crawl) → runner (the
crawl subprocess, logs, summary, notify), with job_settings (the crawl's `-s` settings) and report
(the one-line summary). Inside the crawl, `archiver.incremental` does the work: state (what we know
of every URL), policy (when an article is due), middlewares (what to fetch, what came back
unchanged) and pipelines (versions of changed records).
"""

from __future__ import annotations

from archiver.crawl import outcome
from archiver.cron.config import ConfigError, Job, load_jobs


def run_jobs_file(path: str, job_name: str | None = None) -> tuple[int, list[str]]:
    """Run the file's jobs (or one); (exit code, error lines for stderr)."""
    from archiver.cron.runner import run_job

    try:
        jobs = load_jobs(path)
    except ConfigError as exc:
        return outcome.BAD_CONFIG, [str(exc)]
    if job_name is not None and job_name not in jobs:
        return outcome.USAGE, [f"no job named {job_name!r} in {path} (jobs: {', '.join(jobs)})"]
    selected: list[Job] = [jobs[job_name]] if job_name else list(jobs.values())
    code, errors = outcome.OK, []
    for job in selected:
        result = run_job(job)
        if result.exit_code == outcome.LOCKED:
            errors.append(result.line)
        if result.exit_code != outcome.OK and code == outcome.OK:
            code = result.exit_code  # the first failing job's code
        if result.exit_code == outcome.INTERRUPTED:
            break  # stopped by a signal (or killed): the remaining jobs wait for the next run
    return code, errors
