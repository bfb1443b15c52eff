"""The comment as each system's parser finds it (`RawComment`) and its record form (an item of the
record's `comments` list, `$defs/comment` in archiver/schema/record.schema.json).

Parsers fill what the markup says; nesting is resolved afterwards by `tree.link_parents`, so every
system shares one parent/depth algorithm instead of re-implementing recursion.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

import lxml.html

COMMENT_TYPES = ("comment", "pingback", "trackback")
_CONTENT_ID_PREFIX = "h-"


@dataclass
class RawComment:
    """One comment before threading. `element`: its node in the page (for DOM containment);
    `parent_id` when the markup names the parent; `level` (1 = top) when it shows an indent."""

    id: str
    element: lxml.html.HtmlElement | None = None
    parent_id: str | None = None
    level: int | None = None
    author_name: str | None = None
    author_url: str | None = None
    published: str | None = None
    text: str = ""
    html: str = ""
    permalink: str | None = None
    type: str = "comment"
    votes: int | None = None

    def record(self, depth: int = 1) -> dict[str, Any]:
        """The schema's comment object (depth is recomputed later from parents)."""
        record: dict[str, Any] = {
            "id": self.id,
            "parent_id": self.parent_id,
            "depth": depth,
            "author": {"name": self.author_name or None, "url": self.author_url},
            "published": self.published,
            "text": self.text,
            "html": self.html,
            "permalink": self.permalink,
            "type": self.type if self.type in COMMENT_TYPES else "comment",
        }
        if self.votes is not None:
            record["votes"] = self.votes
        return record


def content_id(author: str | None, published: str | None, text: str) -> str:
    """An id for a comment the page gives none: from what it says, not where it stands. A position
    ("the 3rd comment") repeats on every comment page and changes when a comment is deleted, so
    merged pages would lose comments as duplicates; author, date and text do not."""
    key = "\n".join((author or "", published or "", " ".join(text.split())))
    return _CONTENT_ID_PREFIX + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def is_content_id(comment_id: str) -> bool:
    """Whether `comment_id` was made by `content_id` rather than read from the page."""
    return comment_id.startswith(_CONTENT_ID_PREFIX)


def distinct_ids(comments: list[RawComment]) -> None:
    """Suffix repeats of a content id on one page ("h-…-2"): two identical anonymous comments stay two."""
    seen: Counter[str] = Counter()
    for comment in comments:
        comment.id = distinct(comment.id, seen)


def distinct(comment_id: str, seen: Counter[str]) -> str:
    """`comment_id`, or its numbered repeat when a content id was already given on this page."""
    seen[comment_id] += 1
    return f"{comment_id}-{seen[comment_id]}" if seen[comment_id] > 1 and is_content_id(comment_id) else comment_id
