"""The `-s NAME=VALUE` settings of a job's crawl: what the runner manages plus the job's own.

Scrapy reads `-s` values as strings: lists are passed comma-separated (`getlist` splits them),
tables as JSON (`getdict` parses it). A table-valued setting that archiver/settings.py already
defines (ITEM_PIPELINES, DOWNLOADER_MIDDLEWARES, …) is merged into that default instead of
replacing it, so a job can add a pipeline without dropping ours; TOML has no null, so the value
`false` removes one of ours (Scrapy's None).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from archiver import settings as project_settings
from archiver.cron.config import Job


def command_settings(job: Job, crawl_id: str, jobdir: Path) -> dict[str, str]:
    """Every setting of the crawl command line, as strings."""
    managed: dict[str, Any] = {
        "ARCHIVE_DIR": str(job.archive_dir),
        "CRAWL_ID": crawl_id,
        "JOBDIR": str(jobdir),
        "INCREMENTAL": True,
        # Re-visits of articles send If-None-Match / If-Modified-Since (see archiver.warc).
        "WARC_CONDITIONAL_REQUESTS": True,
        "REVISIT_POLICY": list(job.revisit),
        "LOG_LEVEL": "INFO",
    }
    merged = {**managed, **job.settings}
    return {name: encode(name, value) for name, value in merged.items()}


def encode(name: str, value: Any) -> str:
    """One setting value as `-s` wants it."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, dict):
        default = getattr(project_settings, name, None)
        if isinstance(default, dict):
            value = {**default, **value}
        # `false` removes one of our components, like None in a Scrapy settings dict.
        return json.dumps({k: (None if v is False else v) for k, v in value.items()})
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)
