"""One object per crawler: the crawl directory, the WARC archive, the incremental context, ...

Several components of one crawl must share one object (the JSONL writer and the WARC writer one
crawl id; the capture middleware and the metadata pipeline one WARC archive). Scrapy builds each
component on its own, so the first one to ask builds the object and the others get the same one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Self, TypeVar

T = TypeVar("T")

_OBJECTS = "_archiver_objects"  # crawler attribute: {builder: object}


def _objects(crawler: Any) -> dict[Any, Any]:
    return crawler.__dict__.setdefault(_OBJECTS, {})  # type: ignore[no-any-return]


def per_crawler(build: Callable[[Any], T]) -> Callable[[Any], T]:
    """Decorate `build(crawler)` so it runs once per crawler; later calls return its object."""

    @functools.wraps(build)
    def get(crawler: Any) -> T:
        objects = _objects(crawler)
        if build not in objects:
            objects[build] = build(crawler)
        return objects[build]  # type: ignore[no-any-return]

    return get


class OnePerCrawler:
    """Base of classes built `from_settings`: `from_crawler` gives the crawler's one instance."""

    @classmethod
    def from_settings(cls, settings: Any) -> Self:
        raise NotImplementedError

    @classmethod
    def from_crawler(cls, crawler: Any) -> Self:
        """The one instance of this crawler (built from its settings on first use)."""
        objects = _objects(crawler)
        if cls not in objects:
            objects[cls] = cls.from_settings(crawler.settings)
        return objects[cls]  # type: ignore[no-any-return]
