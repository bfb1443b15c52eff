"""Distributed crawls end to end: a real redis-server, a generated site, 3 worker processes.

* 3 workers crawl the site together: their records are exactly those of a single-process crawl,
  no page is fetched twice, every WARC passes `warcio check`.
* one worker is SIGKILLed mid-crawl: the others take back its in-flight requests and finish;
  no article is missing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from archiver.crawldir import safe_name
from archiver.distributed.keys import CrawlKeys
from tests.distributed_kit import REPO, read_records, redis_server, start_worker
from tests.servers.latency_site import AccessLog, generate, serve

ARTICLES = 240
# Per-request latency and per-worker concurrency: the crawl lasts a few seconds, so all three
# workers (which need ~2 s to start) take part.
LATENCY = 0.08
BASE = {"AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": 4, "LOG_LEVEL": "INFO",
        "PRIVATE_NETWORKS_ALLOW": "127.0.0.1", "RETRY_ENABLED": False}
# Pages every worker fetches for itself: Scrapy's robots.txt middleware runs in each process.
PER_PROCESS = {"/robots.txt"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, AccessLog]]:
    root = tmp_path_factory.mktemp("site")
    generate(root, ARTICLES)
    with serve(root) as served:
        yield served


@pytest.fixture(scope="module")
def reference(site: tuple[str, AccessLog], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One local, single-process crawl of the same site (no Redis)."""
    base, log = site
    log.latency = 0.0
    out = tmp_path_factory.mktemp("reference")
    command = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"site={base}/",
               "-s", f"ARCHIVE_DIR={out}", "-s", "CRAWL_ID=ref"]
    for name, value in BASE.items():
        command += ["-s", f"{name}={value}"]
    result = subprocess.run(command, cwd=REPO, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    records = read_records(out / "ref")
    assert len(records) == ARTICLES
    return {r["url"]: _essence(r) for r in records}


def _essence(record: dict[str, Any]) -> tuple[Any, ...]:
    """What must not depend on which worker archived a page."""
    return (record["canonical_url"], record["title"], record["body"], record["status"],
            len(record["comments"]), record["digest"])


def _worker_id(process: subprocess.Popen[bytes]) -> str:
    import socket

    return f"{safe_name(socket.gethostname(), 32)}-{process.pid}"


def _run_workers(
    count: int, base: str, out: Path, tmp: Path, settings: dict[str, Any]
) -> list[subprocess.Popen[bytes]]:
    return [start_worker(f"{base}/", out, tmp / f"worker-{n}.log", {**BASE, **settings})
            for n in range(count)]


def _wait(processes: list[subprocess.Popen[bytes]], tmp: Path, timeout: float = 90) -> list[int]:
    codes = []
    for n, process in enumerate(processes):
        try:
            codes.append(process.wait(timeout=timeout))
        except subprocess.TimeoutExpired:
            for other in processes:
                other.kill()
            logs = "\n".join((tmp / f"worker-{i}.log").read_text()[-2000:] for i in range(len(processes)))
            raise AssertionError(f"worker {n} did not finish:\n{logs}") from None
    return codes


def _warcio_check(paths: list[Path]) -> None:
    assert paths, "no WARC files"
    warcio = Path(sys.executable).parent / "warcio"
    result = subprocess.run([str(warcio), "check", *map(str, paths)], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()


def test_three_workers_archive_the_site_once(
    redis_url: str, site: tuple[str, AccessLog], reference: dict[str, Any], tmp_path: Path
) -> None:
    base, log = site
    log.latency = LATENCY
    log.clear()
    out = tmp_path / "archive"
    settings = {"DISTRIBUTED": redis_url, "CRAWL_ID": "three"}
    codes = _wait(_run_workers(3, base, out, tmp_path, settings), tmp_path)
    assert codes == [0, 0, 0], [(tmp_path / f"worker-{i}.log").read_text()[-2000:] for i in range(3)]

    crawl_dir = out / "three"
    records = read_records(crawl_dir)
    urls = Counter(r["url"] for r in records)
    assert max(urls.values()) == 1, "an article was archived twice"
    assert {url: _essence(r) for r in records for url in [r["url"]]} == reference
    fetched = Counter(log.snapshot())
    assert [path for path, n in fetched.items() if n > 1 and path not in PER_PROCESS] == []
    assert fetched["/robots.txt"] <= 3 + 1  # each worker's robots.txt middleware + the seed's
    assert any(path.startswith("/go/") for path in fetched), "no redirect was exercised"
    shards = {path.name.rsplit("-", 2)[-1] for path in crawl_dir.glob("records-*.jsonl")}
    assert len(shards) >= 2, "the work was not shared"
    summaries = sorted(crawl_dir.glob("crawl-*.json"))
    assert len(summaries) == 3
    stats = [json.loads(path.read_text())["stats"] for path in summaries]
    # Every popped request was acknowledged as finished (not just swept when its worker idled).
    assert sum(s.get("distributed/acked", 0) for s in stats) == sum(s["scheduler/dequeued/redis"] for s in stats)
    merged = json.loads((crawl_dir / "crawl.json").read_text())  # merged by the last worker
    assert merged["counts"]["records"] == ARTICLES and len(merged["workers"]) == 3
    assert merged["outcome"]["exit_code"] == 0
    assert not list(crawl_dir.glob("*.open"))
    _warcio_check(sorted(crawl_dir.glob("*.warc.gz")))
    _archiver("verify", str(crawl_dir))
    server = redis.Redis.from_url(redis_url)
    keys = CrawlKeys("archiver", "three")
    assert server.zcard(keys.requests) == 0 and server.scard(keys.workers) == 0


def test_killed_worker_loses_nothing(
    redis_url: str, site: tuple[str, AccessLog], reference: dict[str, Any], tmp_path: Path
) -> None:
    base, log = site
    log.latency = LATENCY
    log.clear()
    out = tmp_path / "archive"
    crawl = "kill"
    seeded = subprocess.run(
        [sys.executable, "-m", "archiver", "seed", redis_url, "--crawl-id", crawl, "-a", f"site={base}/",
         "-s", "PRIVATE_NETWORKS_ALLOW=127.0.0.1"],
        cwd=REPO, capture_output=True, text=True, timeout=60)
    assert seeded.returncode == 0, seeded.stderr
    assert "2 start requests queued" in seeded.stdout
    settings = {"DISTRIBUTED": redis_url, "CRAWL_ID": crawl, "DISTRIBUTED_SEED": False,
                "DISTRIBUTED_HEARTBEAT_TTL": 2}
    workers = _run_workers(3, base, out, tmp_path, settings)
    server = redis.Redis.from_url(redis_url)
    keys = CrawlKeys("archiver", crawl)
    victim = workers[0]
    deadline = time.monotonic() + 60
    while not (len(log.snapshot()) > ARTICLES // 4 and server.hlen(keys.inflight(_worker_id(victim))) > 0):
        assert time.monotonic() < deadline and victim.poll() is None, "victim never got busy"
        time.sleep(0.02)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    codes = _wait(workers[1:], tmp_path)
    assert codes == [0, 0]

    assert int(server.get(keys.requeued) or 0) > 0, "the kill left nothing to take back"
    records = read_records(out / crawl, include_open=True)  # the victim's complete lines count
    assert {r["url"] for r in records} == set(reference)
    survivors = {_worker_id(w) for w in workers[1:]}
    finished = [p for p in (out / crawl).glob("*.warc.gz") if any(p.name.endswith(f"-{s}.warc.gz") for s in survivors)]
    _warcio_check(finished)
    assert server.zcard(keys.requests) == 0 and server.scard(keys.workers) == 0
    status = subprocess.run([sys.executable, "-m", "archiver", "seed", redis_url, "--crawl-id", crawl, "--status"],
                            cwd=REPO, capture_output=True, text=True, timeout=60)
    assert json.loads(status.stdout)["state"] == "done", status.stdout + status.stderr
    _archiver("verify", "--repair", str(out / crawl))  # finishes the victim's .open files
    _archiver("verify", str(out / crawl))
    assert {r["url"] for r in read_records(out / crawl)} == set(reference)

    # A worker started with other spider arguments refuses to join the crawl.
    stray = start_worker(f"{base}/page/1.html", out, tmp_path / "stray.log", {**BASE, **settings})
    assert stray.wait(timeout=60) == 2
    assert "job_mismatch" in (tmp_path / "stray.log").read_text()


def _archiver(*args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "archiver", *args], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_worker_stops_with_an_error_when_redis_goes_away(
    site: tuple[str, AccessLog], reference: dict[str, Any], tmp_path: Path
) -> None:
    base, log = site
    log.latency = LATENCY
    log.clear()
    out = tmp_path / "archive"
    with redis_server() as url:  # a server of its own: this test kills it
        server = redis.Redis.from_url(url)
        settings = {"DISTRIBUTED": url, "CRAWL_ID": "outage", "DISTRIBUTED_REDIS_GRACE": 2}
        worker = start_worker(f"{base}/", out, tmp_path / "worker-0.log", {**BASE, **settings})
        deadline = time.monotonic() + 60
        while len(log.snapshot()) < ARTICLES // 4:
            assert time.monotonic() < deadline and worker.poll() is None, "worker never got going"
            time.sleep(0.02)
        server.shutdown(nosave=True)
    code = _wait([worker], tmp_path, timeout=30)[0]
    output = (tmp_path / "worker-0.log").read_text()
    assert code == 1, output[-3000:]
    assert "Redis unreachable" in output and "Traceback" not in output, output[-3000:]
    crawl_dir = out / "outage"
    assert not list(crawl_dir.glob("*.open"))  # files closed normally
    records = read_records(crawl_dir)
    assert records and {r["url"] for r in records} <= set(reference)
    _warcio_check(sorted(crawl_dir.glob("*.warc.gz")))


def test_max_pages_is_a_budget_for_the_whole_crawl(
    redis_url: str, site: tuple[str, AccessLog], tmp_path: Path
) -> None:
    base, log = site
    log.latency = 0.02
    log.clear()
    out = tmp_path / "archive"
    budget = 40
    settings = {"DISTRIBUTED": redis_url, "CRAWL_ID": "budget", "MAX_PAGES": budget}
    assert _wait(_run_workers(2, base, out, tmp_path, settings), tmp_path) == [0, 0]
    fetched = [path for path in log.snapshot() if path != "/robots.txt"]
    redirects = sum(path.startswith("/go/") for path in fetched)  # their targets are not new pages
    assert len(fetched) <= budget + redirects, fetched  # per worker it would be up to 2 x 40
    records = read_records(out / "budget")
    assert 0 < len(records) <= budget


def test_a_seeder_that_died_before_finishing_is_replaced(
    redis_url: str, site: tuple[str, AccessLog], reference: dict[str, Any], tmp_path: Path
) -> None:
    base, log = site
    log.latency = 0.0
    out = tmp_path / "archive"
    keys = CrawlKeys("archiver", "orphan")
    redis.Redis.from_url(redis_url).set(keys.seeding, "ghost-4242")  # claimed, never finished, no heartbeat
    settings = {"DISTRIBUTED": redis_url, "CRAWL_ID": "orphan", "CONCURRENT_REQUESTS": 16}
    assert _wait(_run_workers(1, base, out, tmp_path, settings), tmp_path) == [0]
    assert "seeding again" in (tmp_path / "worker-0.log").read_text()
    assert {r["url"] for r in read_records(out / "orphan")} == set(reference)
