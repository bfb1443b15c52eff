"""Worker liveness and crawl state in Redis: heartbeats, reclaiming dead workers, "are we done?".

A worker is alive while its heartbeat key exists; it expires DISTRIBUTED_HEARTBEAT_TTL seconds
after the last beat. Any worker may then move a dead worker's in-flight requests back to the
queue (atomically, so two reapers never duplicate them). The crawl is done when it was seeded, the
queue is empty and no registered worker has a request in flight.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import redis

from archiver.distributed import scripts
from archiver.distributed.keys import CrawlKeys
from archiver.distributed.keys import text as as_text

logger = logging.getLogger(__name__)


# Owner name of seeding done by `archiver seed` (no heartbeat: it either finishes or says so).
SEED_COMMAND_PREFIX = "archiver-seed-"


class WorkerIdTaken(RuntimeError):
    """Another live worker has this id: its file names would collide with ours."""


class WorkerRegistry:
    def __init__(self, server: redis.Redis, keys: CrawlKeys, worker: str, ttl: float) -> None:
        self.server = server
        self.keys = keys
        self.worker = worker
        self.ttl_ms = max(int(ttl * 1000), 500)
        self._requeue = server.register_script(scripts.REQUEUE)
        self._state = server.register_script(scripts.STATE)
        self._take_over = server.register_script(scripts.TAKE_OVER_SEEDING)

    # --- this worker -----------------------------------------------------------------------------

    def register(self) -> None:
        """Announce this worker; refuses an id a live worker already uses (names would collide)."""
        if not self.server.set(self.keys.heartbeat(self.worker), "1", px=self.ttl_ms, nx=True):
            raise WorkerIdTaken(f"a live worker already uses the id {self.worker!r}")
        self.server.sadd(self.keys.workers, self.worker)

    def beat(self) -> None:
        self.server.set(self.keys.heartbeat(self.worker), "1", px=self.ttl_ms)

    def deregister(self) -> int:
        """Leave the crawl: unfinished in-flight requests go back to the queue for the others."""
        returned = self.requeue(self.worker, force=True)
        self.server.delete(self.keys.heartbeat(self.worker))
        return returned

    # --- other workers ---------------------------------------------------------------------------

    def requeue(self, worker: str, *, force: bool = False) -> int:
        """Move `worker`'s in-flight requests back to the queue if it is dead (or `force`)."""
        keys = self.keys
        result = self._requeue(
            keys=[keys.heartbeat(worker), keys.inflight(worker), keys.requests, keys.workers,
                  keys.requeued],
            args=[worker, "1" if force else "0"])
        return max(int(result), 0)

    def reap(self) -> int:
        """Requeue the requests of every registered worker whose heartbeat expired."""
        total = 0
        for raw in self.server.smembers(self.keys.workers):
            worker = as_text(raw)
            if worker != self.worker and not self.server.exists(self.keys.heartbeat(worker)):
                moved = self.requeue(worker)
                if moved:
                    logger.warning("Worker %s is gone: %s of its requests are back in the queue",
                                   worker, moved)
                total += moved
        return total

    # --- the crawl -------------------------------------------------------------------------------

    def state(self) -> str:
        """'done', or why not: 'unseeded', 'queued:N', 'busy:WORKER'."""
        keys = self.keys
        result = self._state(keys=[keys.seeded, keys.requests, keys.workers], args=[keys.inflight_prefix])
        return as_text(result)

    def claim_seeding(self, owner: str) -> bool:
        """True for the first caller only: that one pushes the start requests."""
        return bool(self.server.set(self.keys.seeding, owner, nx=True))

    def take_over_seeding(self) -> bool:
        """True if the seeding worker died before finishing: this worker seeds (again) now."""
        keys = self.keys
        return bool(self._take_over(keys=[keys.seeding, keys.heartbeat("")],
                                    args=[self.worker, SEED_COMMAND_PREFIX]))

    def mark_seeded(self) -> None:
        self.server.set(self.keys.seeded, "1")

    def check_job(self, job: dict[str, Any]) -> dict[str, Any] | None:
        """Record the job of this crawl (first caller) or return the different one stored."""
        text = json.dumps(job, sort_keys=True)
        self.server.set(self.keys.job, text, nx=True)
        stored = self.server.get(self.keys.job)
        if stored is None or as_text(stored) == text:
            return None
        return json.loads(stored)  # type: ignore[no-any-return]
