"""Redis going away in the middle of a distributed crawl: the worker stops, says why, loses nothing.

A real redis-server is killed (SIGKILL) while a worker is busy. The worker must end by itself (no
hang), with a non-zero exit code and a readable message instead of a wall of tracebacks, and what
it wrote must be whole or repairable by `archiver verify --repair`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archiver.schema import record_errors
from tests.crawling import REPO
from tests.hostile_server import hostile_server

redis_kit = pytest.importorskip("tests.distributed_kit")


def _start_redis() -> tuple[subprocess.Popen[bytes], str]:
    import shutil

    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed"
    port = redis_kit.free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    redis_kit._wait_for(url, process)
    return process, url


def test_worker_stops_cleanly_when_redis_dies(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    redis_process, url = _start_redis()
    log_path = tmp_path / "worker.log"
    try:
        with hostile_server() as site:
            command = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"site={site.url('/slow/0')}",
                       "-s", f"ARCHIVE_DIR={archive}", "-s", f"DISTRIBUTED={url}", "-s", "CRAWL_ID=redis-dies",
                       "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "MAX_DEPTH=0", "-s", "CONCURRENT_REQUESTS=2"]
            env = dict(os.environ, SCRAPY_SETTINGS_MODULE="archiver.settings")
            with log_path.open("wb") as log:
                worker = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
                deadline = time.monotonic() + 60
                while len([t for t in site.hits if t.startswith("/slow/")]) < 15:
                    assert time.monotonic() < deadline and worker.poll() is None, log_path.read_text()[-3000:]
                    time.sleep(0.05)
                redis_process.send_signal(signal.SIGKILL)
                redis_process.wait(10)
                try:
                    code = worker.wait(25)  # a heartbeat TTL or two: then it must have given up
                except subprocess.TimeoutExpired:
                    worker.kill()
                    raise AssertionError("the worker hung after Redis went away") from None
    finally:
        if redis_process.poll() is None:
            redis_process.kill()
    output = log_path.read_text(errors="replace")
    assert code != 0, output[-3000:]
    assert output.count("Traceback") <= 1, output[-5000:]
    assert "redis" in output.lower().split("traceback")[-1][-2000:].lower() or "Redis" in output
    subprocess.run([sys.executable, "-m", "archiver", "verify", str(archive), "--repair"], cwd=REPO,
                   capture_output=True, timeout=120, check=False)
    assert not list(archive.rglob("*.open"))
    records = [json.loads(line) for path in archive.rglob("records-*.jsonl")
               for line in path.read_text(encoding="utf-8").splitlines()]
    assert records and all(record_errors(r) == [] for r in records)
