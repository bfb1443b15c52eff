"""Redis outages seen by one worker: one log line when it starts, one when it ends, a deadline.

Every component that talks to Redis during the crawl reports failures here instead of raising
into Scrapy (which would print a traceback per request and per engine heartbeat). The
coordinator stops the worker once Redis has been unreachable for DISTRIBUTED_REDIS_GRACE
seconds: by then the other workers (if Redis comes back) will have reclaimed its requests.
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)


class RedisHealth:
    def __init__(self, grace: float) -> None:
        self.grace = grace
        self.down_since: float | None = None
        self.errors = 0

    def failed(self, where: str, exc: BaseException) -> None:
        self.errors += 1
        if self.down_since is None:
            self.down_since = time.monotonic()
            logger.error("Redis unreachable (%s: %s: %s); retrying for %.0f s", where,
                         type(exc).__name__, exc, self.grace)

    def ok(self) -> None:
        if self.down_since is not None:
            logger.warning("Redis is back after %.1f s", time.monotonic() - self.down_since)
            self.down_since = None

    def given_up(self) -> bool:
        return self.down_since is not None and time.monotonic() - self.down_since >= self.grace
