"""Helpers of the distributed tests and benchmark: a private redis-server and worker processes.

`redis_server()` starts the real `redis-server` binary on a free local port (no disk, no
password, 127.0.0.1 only) and stops it afterwards. `start_worker()` runs
`python -m scrapy crawl article` as one worker of a distributed crawl.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway redis-server; yields its redis:// URL. Missing binary = failure, not a skip."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed: run `make system-deps` (apt-get install redis-server)"
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--protected-mode", "yes", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    import redis

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        assert process.poll() is None, "redis-server exited at start"
        try:
            if redis.Redis.from_url(url).ping():
                return
        except redis.ConnectionError:
            time.sleep(0.05)
    raise AssertionError("redis-server did not answer within 10 s")


def crawl_command(site: str, archive_dir: Path, settings: dict[str, Any]) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"site={site}",
               "-s", f"ARCHIVE_DIR={archive_dir}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command


def start_worker(site: str, archive_dir: Path, log_file: Path, settings: dict[str, Any]) -> subprocess.Popen[bytes]:
    """One `scrapy crawl article` process (distributed if settings name DISTRIBUTED)."""
    handle = log_file.open("wb")
    return subprocess.Popen(crawl_command(site, archive_dir, settings),
                            cwd=REPO, stdout=handle, stderr=subprocess.STDOUT)


def read_records(crawl_dir: Path, *, include_open: bool = False) -> list[dict[str, Any]]:
    """Every record of every JSONL shard (complete lines of `.open` files too if asked)."""
    records = []
    patterns = ["records-*.jsonl"] + (["records-*.jsonl.open"] if include_open else [])
    for pattern in patterns:
        for path in sorted(crawl_dir.glob(pattern)):
            for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
                if line.endswith("\n"):
                    records.append(json.loads(line))
    return records
