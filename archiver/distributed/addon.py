"""Scrapy addon: `-s DISTRIBUTED=redis://host:6379/0` turns a crawl into one worker of many.

Does nothing when DISTRIBUTED is empty. Otherwise it requires a CRAWL_ID (the name every worker
shares), moves the scheduler and dupefilter to scrapy-redis with our JSON serializer and
reliable queue, and adds the coordinator, the start gate, acknowledgement hooks, cross-worker
record dedupe and per-worker summaries. Settings are set at "project" priority: they override
archiver/settings.py, and `-s` on the command line still wins.
"""

from __future__ import annotations

import sys
from typing import Any

from scrapy.settings import BaseSettings

from archiver.crawl.outcome import FAILED, USAGE
from archiver.distributed.keys import CrawlKeys, check_redis_url, redact

# Settings a user might set to the unsafe scrapy-redis default.
PICKLE_SERIALIZERS = ("scrapy_redis.picklecompat", "pickle")


class DistributedSetupError(ValueError):
    """A distributed setting is wrong; the message is one readable line."""


class DistributedAddon:
    def update_settings(self, settings: BaseSettings) -> None:
        url = settings.get("DISTRIBUTED")
        if not url:
            return
        check_settings(settings)
        keys = CrawlKeys.from_settings(settings)
        values: dict[str, Any] = {
            "REDIS_URL": url,
            "SCHEDULER": "archiver.distributed.scheduler.RedisScheduler",
            "SCHEDULER_QUEUE_CLASS": "archiver.distributed.queue.ReliableQueue",
            "SCHEDULER_SERIALIZER": "archiver.distributed.serializer",
            "SCHEDULER_QUEUE_KEY": keys.requests,
            "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            # Never flush on close: the queue and seen-set belong to every worker of the crawl.
            "SCHEDULER_PERSIST": True,
            # A blocking pop would freeze the reactor; the coordinator polls instead.
            "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
            # One worker may get no article at all; emptiness is judged for the whole crawl.
            "FAIL_ON_EMPTY": False,
            # Revisits across workers and machines: the WARC digest index lives in Redis too.
            "WARC_DIGEST_INDEX_FACTORY": "archiver.distributed.digest_index.digest_index_for",
            # Incremental page state (known URLs, versions) in Redis too: one truth for all workers.
            "STATE_FACTORY": "archiver.distributed.state.state_for",
        }
        for name, value in values.items():
            settings.set(name, value, priority="project")  # over archiver/settings.py, under -s
        _components(settings)

    @classmethod
    def from_crawler(cls, crawler: Any) -> DistributedAddon:
        return cls()

    @classmethod
    def update_pre_crawler_settings(cls, settings: BaseSettings) -> None:
        """Before any crawler exists (`scrapy crawl` start-up): one line on stderr, not a traceback."""
        if not settings.get("DISTRIBUTED"):
            return
        try:
            import redis
            import scrapy_redis  # noqa: F401
        except ImportError as exc:
            print(f"error: DISTRIBUTED needs the distributed extra (pip install 'archiver[distributed]'):"
                  f" {exc}", file=sys.stderr)
            raise SystemExit(USAGE) from None
        try:
            check_settings(settings)
            ping(str(settings.get("DISTRIBUTED")))
        except DistributedSetupError as exc:
            print(f"error: {exc}", file=sys.stderr)
            raise SystemExit(USAGE) from None
        except redis.RedisError as exc:
            print(f"error: cannot reach Redis at {redact(str(settings.get('DISTRIBUTED')))}: {exc}",
                  file=sys.stderr)
            raise SystemExit(FAILED) from None


def check_settings(settings: BaseSettings) -> None:
    """Refuse setups that would split or endanger the crawl, with one readable line."""
    try:
        check_redis_url(str(settings.get("DISTRIBUTED")))
    except ValueError as exc:
        raise DistributedSetupError(str(exc)) from None
    if not settings.get("CRAWL_ID"):
        raise DistributedSetupError(
            "DISTRIBUTED needs -s CRAWL_ID=NAME, the same on every worker of the crawl")
    serializer = str(settings.get("SCHEDULER_SERIALIZER") or "")
    if any(name in serializer for name in PICKLE_SERIALIZERS) and not settings.getbool(
            "DISTRIBUTED_ALLOW_PICKLE"):
        raise DistributedSetupError(
            "pickled requests run code from whoever can write to Redis; keep the JSON serializer")


def ping(url: str) -> None:
    """Fail fast (5 s) when Redis is unreachable or refuses our password."""
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5).ping()


def _components(settings: BaseSettings) -> None:
    from archiver.distributed.coordinator import WorkerCoordinator
    from archiver.distributed.dedupe import RedisDedupePipeline
    from archiver.distributed.middlewares import (
        AckDownloaderMiddleware,
        AckSpiderMiddleware,
        PageBudget,
        StartGate,
    )
    from archiver.distributed.summary import DistributedCrawlSummary
    from archiver.extensions.summary import CrawlSummary
    from archiver.pipelines.dedupe import DedupePipeline

    settings.set_in_component_priority_dict("EXTENSIONS", WorkerCoordinator, 400)
    _replace(settings, "EXTENSIONS", CrawlSummary, DistributedCrawlSummary)
    _replace(settings, "ITEM_PIPELINES", DedupePipeline, RedisDedupePipeline)
    # Outermost on both sides: they see the final output / the final exception.
    settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", AckSpiderMiddleware, 1)
    settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", StartGate, 2)
    # Inside the gate and the acknowledgements: a dropped request is never counted as a child.
    settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", PageBudget, 3)
    settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", AckDownloaderMiddleware, 1)


def _replace(settings: BaseSettings, name: str, old: type, new: type) -> None:
    try:
        settings.replace_in_component_priority_dict(name, old, new)
    except KeyError:  # the user removed the local component: respect that
        pass
