"""Acknowledge a popped request only once its work is durable, so a crash never loses it.

A request popped from the queue sits in this worker's in-flight hash (see `queue.py`) until:

* its callback output is exhausted, every item it produced left the pipelines (written or
  dropped) and every request it produced is in Redis (queued or filtered as seen) - the spider
  middleware, the item signals and the scheduler report these; Scrapy processes callback output
  in parallel, so the end of the output is not enough;
* its download failed for good (the downloader middleware sees the final exception);
* a redirect or retry of it was pushed back to the shared queue (the derivative carries the id);
* the worker goes idle: then nothing it popped can still be in progress.

Until then a dead worker's request is re-queued and fetched again by someone else: at-least-once.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

import redis

from archiver.distributed.health import RedisHealth
from archiver.distributed.keys import CrawlKeys
from archiver.request_meta import INFLIGHT_KEY

logger = logging.getLogger(__name__)

META_KEY = INFLIGHT_KEY


@dataclass
class _Entry:
    scraping: bool = False  # the response reached the spider (children are not derivatives)
    pending: int = 0  # items in the pipelines + child requests not yet in Redis
    output_done: bool = False


class InflightTracker:
    def __init__(self, server: redis.Redis, keys: CrawlKeys, worker: str,
                 health: RedisHealth | None = None) -> None:
        self.server = server
        self.health = health or RedisHealth(10.0)
        self.key = keys.inflight(worker)
        self.entries: dict[str, _Entry] = {}
        self.children: dict[Any, str] = {}  # child request -> id of the request that produced it
        self.acked = 0

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex[:16]

    def popped(self, request: Any, entry_id: str) -> None:
        request.meta[META_KEY] = entry_id
        self.entries[entry_id] = _Entry()

    def _entry(self, holder: Any) -> tuple[str | None, _Entry | None]:
        meta = _meta(holder)
        entry_id = meta.get(META_KEY) if isinstance(meta, dict) else None
        return entry_id, self.entries.get(entry_id) if entry_id else None

    def scraping(self, response: Any) -> None:
        _, entry = self._entry(response)
        if entry is not None:
            entry.scraping = True

    def item_started(self, response: Any) -> None:
        _, entry = self._entry(response)
        if entry is not None:
            entry.pending += 1

    def item_finished(self, response: Any) -> None:
        entry_id, entry = self._entry(response)
        if entry_id and entry is not None:
            self._done_one(entry_id, entry)

    def child_started(self, response: Any, request: Any) -> None:
        entry_id, entry = self._entry(response)
        if entry_id and entry is not None:
            entry.pending += 1
            self.children[request] = entry_id

    def child_finished(self, request: Any) -> None:
        """The scheduler pushed `request` to Redis or found it already seen."""
        entry_id = self.children.pop(request, None)
        entry = self.entries.get(entry_id) if entry_id else None
        if entry_id and entry is not None:
            self._done_one(entry_id, entry)

    def _done_one(self, entry_id: str, entry: _Entry) -> None:
        entry.pending -= 1
        self._maybe_ack(entry_id, entry)

    def output_finished(self, response: Any) -> None:
        entry_id, entry = self._entry(response)
        if entry_id and entry is not None:
            entry.output_done = True
            self._maybe_ack(entry_id, entry)

    def download_failed(self, request: Any) -> None:
        entry_id, entry = self._entry(request)
        if entry_id and entry is not None and not entry.scraping:
            self.ack(entry_id)

    def handed_off(self, request: Any) -> str | None:
        """Strip our id from a request being pushed; returns the id it replaces (redirect/retry)."""
        entry_id = request.meta.pop(META_KEY, None)
        entry = self.entries.get(entry_id) if entry_id else None
        return entry_id if entry is not None and not entry.scraping else None

    def filtered(self, request: Any) -> None:
        """The scheduler dropped `request` as already seen: a redirect of a popped request to a
        seen URL ends that request's work; a child no longer holds its parent."""
        replaced = self.handed_off(request)
        if replaced:
            self.ack(replaced)
        self.child_finished(request)

    def _maybe_ack(self, entry_id: str, entry: _Entry) -> None:
        if entry.output_done and entry.pending <= 0:
            self.ack(entry_id)

    def ack(self, entry_id: str) -> None:
        if self.entries.pop(entry_id, None) is not None:
            try:
                self.server.hdel(self.key, entry_id)
            except redis.RedisError as exc:  # stays in flight: re-fetched later, never lost
                self.health.failed("acknowledge", exc)
                return
            self.acked += 1

    def forget(self, entry_id: str) -> None:
        """Acknowledged in Redis already (atomically with its redirect/retry): bookkeeping only."""
        if self.entries.pop(entry_id, None) is not None:
            self.acked += 1

    def clear(self) -> None:
        """The worker is idle: everything it popped is finished."""
        if self.entries:
            logger.debug("Idle with %s unacknowledged requests: all finished", len(self.entries))
        self.entries.clear()
        self.children.clear()
        try:
            self.server.delete(self.key)
        except redis.RedisError as exc:
            self.health.failed("acknowledge", exc)


def _meta(holder: Any) -> dict[str, Any] | None:
    """meta of a request or response; None for failures and responses without a request."""
    try:
        meta = holder.meta
    except AttributeError:
        return None
    return meta if isinstance(meta, dict) else None
