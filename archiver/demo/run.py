"""`archiver demo`: serve the bundled site, crawl it with `scrapy crawl article -a site=…`, summarise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from archiver.crawldir import RECORDS_PREFIX, SUMMARY_FILE
from archiver.demo.server import serve


def crawl_command(site_url: str, archive_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"site={site_url}",
            "-s", f"ARCHIVE_DIR={archive_dir}", "-s", "AUTOTHROTTLE_ENABLED=False",
            "-s", "LOG_LEVEL=WARNING", *extra]


def run_demo(archive_dir: Path, port: int = 0) -> int:
    """Crawl the demo site into `archive_dir`; returns the crawl's exit code."""
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="archiver.settings")
    archive_dir = archive_dir.resolve()
    archive_dir.mkdir(parents=True, exist_ok=True)
    before = {p.name for p in archive_dir.iterdir()}
    started = time.monotonic()
    with serve(port=port) as base_url:
        print(f"Demo site on {base_url}/ — crawling it into {archive_dir}/ …", flush=True)
        result = subprocess.run(crawl_command(base_url + "/", archive_dir), env=env, check=False)
    elapsed = time.monotonic() - started
    new_dirs = sorted(p for p in archive_dir.iterdir() if p.is_dir() and p.name not in before)
    if not new_dirs:
        print("The crawl wrote nothing.", file=sys.stderr)
        return result.returncode or 1
    crawl_dir = new_dirs[-1]
    summary = json.loads((crawl_dir / SUMMARY_FILE).read_text(encoding="utf-8"))
    counts = summary["counts"]
    print(f"Done in {elapsed:.1f}s: {counts['records']} article records, {counts['rejected']} rejected, "
          f"{counts['errors']} errors, {counts['responses']} responses "
          f"(exit {summary['outcome']['exit_code']}: {summary['outcome']['reason']}).")
    print(f"Files in {crawl_dir}:")
    for name in summary["files"] + [SUMMARY_FILE]:
        print(f"  {name}")
    for line in _record_lines(crawl_dir):
        print(line)
    return result.returncode


def _record_lines(crawl_dir: Path) -> list[str]:
    lines = []
    for path in sorted(crawl_dir.glob(f"{RECORDS_PREFIX}-*.jsonl")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(raw)
            lines.append(f"  - {record['title']!r}: {len(record['body'])} chars of body, "
                         f"{len(record['media'])} media, {len(record['comments'])} comments")
    return lines
