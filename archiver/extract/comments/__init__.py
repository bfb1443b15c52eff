"""Comment threads: detect the page's comment system and extract its comments as a flat pre-order list.

One module per comment system lives beside this file; `extract_comments` picks by detection. The
comments issue fills these in; the seam (`CommentThread`) is what the rest of the project uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archiver.extract.document import Document


@dataclass
class CommentThread:
    """What a page says about its comments. `page_urls`: other comment pages the spider must fetch."""

    system: str | None = None
    comments: list[dict[str, Any]] = field(default_factory=list)
    count: int | None = None
    open: bool | None = None
    thread: dict[str, Any] | None = None
    page_urls: list[str] = field(default_factory=list)
    # Elements of Document.tree that hold comments; body extraction must ignore them.
    nodes: list[Any] = field(default_factory=list)


def extract_comments(doc: Document) -> CommentThread:
    """The comment thread found in `doc` (empty when the page shows none)."""
    return CommentThread()


def merge_comment_pages(threads: list[CommentThread]) -> list[dict[str, Any]]:
    """Comments of several comment pages of one article merged, deduplicated by id, in display order."""
    merged: list[dict[str, Any]] = []
    seen: set[str] = set()
    for thread in threads:
        for comment in thread.comments:
            if comment["id"] not in seen:
                seen.add(comment["id"])
                merged.append(comment)
    return merged


def comments_from_rest(pages: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Comments of WordPress REST API pages (placeholder until the comments module lands)."""
    return []


def reconcile(
    html_comments: list[dict[str, Any]], rest_comments: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """HTML thread completed from the REST thread (placeholder: HTML wins)."""
    return html_comments
