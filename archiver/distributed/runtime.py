"""The distributed state of one crawler: Redis client, key names, worker id, registry, tracker.

Created on first use by whichever component needs it (scheduler queue, middlewares, extension),
so they all share one connection and one view of this worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis

from archiver.crawldir import worker_id
from archiver.defaults import setting_float
from archiver.distributed.health import RedisHealth
from archiver.distributed.keys import CrawlKeys, client
from archiver.distributed.registry import WorkerRegistry
from archiver.distributed.tracker import InflightTracker
from archiver.per_crawler import OnePerCrawler


@dataclass
class Runtime(OnePerCrawler):  # Runtime.from_crawler: the crawler's one runtime
    url: str
    server: redis.Redis
    keys: CrawlKeys
    worker: str
    registry: WorkerRegistry
    tracker: InflightTracker
    health: RedisHealth

    @classmethod
    def from_settings(cls, settings: Any, worker: str | None = None) -> Runtime:
        url = settings.get("DISTRIBUTED")
        server = client(url)
        keys = CrawlKeys.from_settings(settings)
        worker = worker or worker_id()
        ttl = setting_float(settings, "DISTRIBUTED_HEARTBEAT_TTL")
        health = RedisHealth(setting_float(settings, "DISTRIBUTED_REDIS_GRACE"))
        return cls(url, server, keys, worker, WorkerRegistry(server, keys, worker, ttl),
                   InflightTracker(server, keys, worker, health), health)
