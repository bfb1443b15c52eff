"""`archiver seed`: push a crawl's start requests into Redis from a coordinator machine.

The spider's own `start()` builds the requests (same inputs, same scope as the workers), so a
seeded crawl is exactly what the first worker would have seeded; the seeding claim makes sure it
happens once. Workers then run `scrapy crawl article <same -a> -s DISTRIBUTED=... -s CRAWL_ID=...`
and only take requests from the queue. `crawl_status` is the read-only view behind `--status`.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import redis
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from scrapy_redis.dupefilter import RFPDupeFilter

from archiver.defaults import setting_float
from archiver.distributed import serializer
from archiver.distributed.addon import check_settings
from archiver.distributed.coordinator import job_of
from archiver.distributed.keys import CrawlKeys, client, text
from archiver.distributed.registry import SEED_COMMAND_PREFIX, WorkerRegistry


class SeedError(RuntimeError):
    """The crawl cannot be seeded; the message is one readable line."""


@dataclass(frozen=True)
class SeedResult:
    crawl_id: str
    pushed: int
    duplicates: int


def crawl_settings(redis_url: str, crawl_id: str, overrides: dict[str, str] | None = None) -> Settings:
    """The project settings as a worker of this crawl sees them (minus the addon's wiring).

    archiver's own settings module, not whatever scrapy.cfg the current directory has: the
    coordinator may run anywhere.
    """
    settings = Settings()
    settings.setmodule("archiver.settings", priority="project")
    settings.setdict(overrides or {}, priority="cmdline")
    settings.set("DISTRIBUTED", redis_url, priority="cmdline")
    settings.set("CRAWL_ID", crawl_id, priority="cmdline")
    try:
        check_settings(settings)
    except ValueError as exc:
        raise SeedError(str(exc)) from None
    return settings


def _connect(settings: Settings) -> tuple[redis.Redis, CrawlKeys]:
    server = client(settings.get("DISTRIBUTED"))
    try:
        server.ping()
    except redis.RedisError as exc:
        raise SeedError(f"cannot reach Redis: {exc}") from None
    return server, CrawlKeys.from_settings(settings)


def reset_crawl(server: redis.Redis, keys: CrawlKeys) -> int:
    """Delete every key of the crawl (queue, seen-set, claims): start it over."""
    doomed = list(server.scan_iter(match=f"{keys.base}:*", count=500))
    return int(server.delete(*doomed)) if doomed else 0


async def _collect(start: AsyncIterator[Any]) -> list[Request]:
    return [item async for item in start if isinstance(item, Request)]


def seed_crawl(settings: Settings, spider_args: dict[str, str], *, spider_name: str = "article",
               reset: bool = False) -> SeedResult:
    """Push the start requests of `spider_name` with `spider_args` into the crawl's queue, once."""
    server, keys = _connect(settings)
    if reset:
        reset_crawl(server, keys)
    spider_cls = get_spider_loader(settings).load(spider_name)
    check = getattr(spider_cls, "check_arguments", None)
    if check is not None:
        check(dict(spider_args))  # InputError: one readable line
    spider = spider_cls.from_crawler(Crawler(spider_cls, settings), **spider_args)
    owner = f"{SEED_COMMAND_PREFIX}{socket.gethostname()}"
    registry = WorkerRegistry(server, keys, owner, setting_float(settings, "DISTRIBUTED_HEARTBEAT_TTL"))
    other = registry.check_job(job_of(spider))
    if other is not None:
        raise SeedError(f"crawl {keys.crawl_id} already runs another job: {other} (use --reset)")
    if not registry.claim_seeding(owner):
        seeder = text(server.get(keys.seeding), "?")
        raise SeedError(f"crawl {keys.crawl_id} is already seeded (by {seeder});"
                        " use a new CRAWL_ID or --reset")
    requests = asyncio.run(_collect(spider.start()))
    dupefilter = RFPDupeFilter(server, keys.dupefilter)
    pushed = duplicates = 0
    for request in requests:
        if not request.dont_filter and dupefilter.request_seen(request):
            duplicates += 1
            continue
        data = serializer.dumps(request.to_dict(spider=spider))
        server.zadd(keys.requests, {data: -request.priority})
        pushed += 1
    registry.mark_seeded()
    return SeedResult(keys.crawl_id, pushed, duplicates)


def crawl_status(settings: Settings) -> dict[str, Any]:
    """Queue length, seen URLs, workers (alive or not) with their in-flight counts."""
    server, keys = _connect(settings)
    workers = {}
    for raw in sorted(server.smembers(keys.workers)):
        worker = text(raw)
        workers[worker] = {"alive": bool(server.exists(keys.heartbeat(worker))),
                           "in_flight": int(server.hlen(keys.inflight(worker)))}
    registry = WorkerRegistry(server, keys, "status", 1.0)
    return {
        "crawl_id": keys.crawl_id,
        "state": registry.state(),
        "seeded": bool(server.exists(keys.seeded)),
        "queued": int(server.zcard(keys.requests)),
        "seen": int(server.scard(keys.dupefilter)),
        "records": int(server.hlen(keys.records)),
        "requeued": int(server.get(keys.requeued) or 0),
        "workers": workers,
    }
