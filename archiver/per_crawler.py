"""One object per crawler: the crawl directory, the WARC archive, the incremental context, ...

Several components of one crawl must share one object (the JSONL writer and the WARC writer one
crawl id; the capture middleware and the metadata pipeline one WARC archive). Scrapy builds each
component on its own, so the first one to ask builds the object and the others get the same one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_OBJECTS = "_archiver_objects"  # crawler attribute: {builder: object}


def per_crawler(build: Callable[[Any], T]) -> Callable[[Any], T]:
    """Decorate `build(crawler)` so it runs once per crawler; later calls return its object."""

    @functools.wraps(build)
    def get(crawler: Any) -> T:
        objects: dict[Any, Any] = crawler.__dict__.setdefault(_OBJECTS, {})
        if build not in objects:
            objects[build] = build(crawler)
        return objects[build]  # type: ignore[no-any-return]

    return get
