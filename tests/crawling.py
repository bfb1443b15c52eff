"""Helpers to run real crawls (`scrapy crawl article …` in a subprocess) and read what they wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str
    archive_dir: Path

    @property
    def crawl_dirs(self) -> list[Path]:
        return sorted(p for p in self.archive_dir.iterdir() if p.is_dir()) if self.archive_dir.exists() else []

    @property
    def crawl_dir(self) -> Path:
        dirs = self.crawl_dirs
        assert len(dirs) == 1, f"expected one crawl dir, found {dirs}; stderr:\n{self.stderr[-3000:]}"
        return dirs[0]

    def records(self) -> list[dict[str, Any]]:
        out = []
        for path in sorted(self.crawl_dir.glob("records-*.jsonl")):
            out.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
        return out

    def summary(self) -> dict[str, Any]:
        return json.loads((self.crawl_dir / "crawl.json").read_text(encoding="utf-8"))


def run_crawl(archive_dir: Path, *spider_args: str, settings: dict[str, str] | None = None,
              timeout: float = 120) -> CrawlResult:
    """`scrapy crawl article -a …` with test-friendly settings; never touches the internet."""
    command = [sys.executable, "-m", "scrapy", "crawl", "article"]
    for arg in spider_args:
        command += ["-a", arg]
    merged = {"ARCHIVE_DIR": str(archive_dir), "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "INFO",
              "DOWNLOAD_TIMEOUT": "20", "RETRY_TIMES": "1",
              # In-process extraction keeps small test crawls fast; test_spider covers the pool.
              "EXTRACT_WORKERS": "0"}
    merged.update(settings or {})
    for key, value in merged.items():
        command += ["-s", f"{key}={value}"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="archiver.settings")
    env.pop("http_proxy", None)
    env.pop("HTTP_PROXY", None)
    proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout,
                          check=False)
    return CrawlResult(proc.returncode, proc.stdout, proc.stderr, archive_dir)
