"""What one comment-system parser found on a page, before threading and page-level facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archiver.extract.comments.model import RawComment


@dataclass
class Found:
    """`comments` in document order; `nodes`: page elements holding the thread (kept out of the
    body); `count`/`open` only when the system states them in its own markup; `thread`: the
    identifier of an embedded (JavaScript) thread."""

    system: str
    comments: list[RawComment] = field(default_factory=list)
    nodes: list[Any] = field(default_factory=list)
    count: int | None = None
    open: bool | None = None
    thread: dict[str, Any] | None = None
