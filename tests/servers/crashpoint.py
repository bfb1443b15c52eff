"""Fault injection for resume tests: a pipeline that kill -9s its own crawl after N items.

Placed between the JSONL writer (800) and the crawl-state commit (900), it hits the one window
where a record is written but the state does not know it yet.
"""

from __future__ import annotations

import os
import signal
from typing import Any


class KillAfterItems:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.seen = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> KillAfterItems:
        return cls(crawler.settings.getint("TEST_KILL_AFTER_ITEMS"))

    def process_item(self, item: Any) -> Any:
        self.seen += 1
        if self.limit and self.seen >= self.limit:
            os.kill(os.getpid(), signal.SIGKILL)
        return item
