"""Merge the comment pages of one article into one thread in display order.

Pages are ordered by their comment-page number (page 1 holds the oldest comments in WordPress, whatever
page the article URL shows), comments deduplicated by id, and the thread rebuilt from `parent_id` so a
reply listed on another page than its parent still lands under it with the right depth.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archiver.extract.comments.tree import thread_order

if TYPE_CHECKING:
    from archiver.extract.comments import CommentThread


def merge_comment_pages(threads: list[CommentThread]) -> list[dict[str, Any]]:
    """Comments of all comment pages of one article merged, deduplicated by id, in display order
    (oldest first, threaded pre-order, unless the site lists newest first)."""
    numbered = sorted(
        enumerate(threads),
        key=lambda item: (item[1].page_number is None, item[1].page_number or 0, item[0]),
    )
    pages = [thread for _index, thread in numbered]
    if _newest_first(pages):
        pages.reverse()
    return thread_order(comment for thread in pages for comment in thread.comments)


def _newest_first(pages: list[CommentThread]) -> bool:
    """True when the site lists top-level comments newest first (WordPress comment_order=desc):
    then later pages come first too, keeping one consistent direction."""
    rising = falling = 0
    for thread in pages:
        dates = [c["published"] for c in thread.comments if c.get("depth") == 1 and c.get("published")]
        for earlier, later in zip(dates, dates[1:], strict=False):
            if later > earlier:
                rising += 1
            elif later < earlier:
                falling += 1
    return falling > rising
