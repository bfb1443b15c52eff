"""Disqus threads from the JSON the Disqus embed loads (pure: parsed JSON in, comment records out).

The embed iframe (`disqus.com/embed/comments/`) carries the first page of the thread in a
`<script type="text/json" id="disqus-threadData">` block, shaped like the public API's answer:
`{"code": 0, "response": {"thread": {...}, "posts": [...]}, "cursor": {...}}`. "Load more comments"
asks `api/3.0/threads/listPostsThreaded` (or `listPosts`) with the cursor and gets
`{"code": 0, "cursor": {...}, "response": [posts]}`. A post (API docs, "posts" object) has `id`,
`parent` (the parent post's id or null), `author.name` / `author.profileUrl`, `createdAt` (UTC,
without an offset), `message` (HTML) and flags such as `isDeleted`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from archiver.extract.comments.comment_dates import iso_date
from archiver.extract.comments.model import RawComment
from archiver.extract.comments.text import fragment_text_and_html, nonempty_str
from archiver.extract.comments.tree import thread_order
from archiver.extract.document import parse_html

THREAD_DATA_ID = "disqus-threadData"


def thread_data(html: str) -> Any | None:
    """The parsed `disqus-threadData` JSON of an embed frame's HTML, or None when it has none."""
    if THREAD_DATA_ID not in html:
        return None
    tree = parse_html(html)
    for script in tree.iter("script"):
        if script.get("id") == THREAD_DATA_ID and script.text:
            try:
                return json.loads(script.text)
            except ValueError:
                return None
    return None


def posts_in(payload: Any) -> list[dict[str, Any]]:
    """The post objects of one Disqus answer (threadData or listPosts[Threaded]); [] for others."""
    if not isinstance(payload, dict) or "response" not in payload:
        return []
    response = payload["response"]
    posts = response.get("posts") if isinstance(response, dict) else response
    if not isinstance(posts, list):
        return []
    return [post for post in posts if _is_post(post)]


def _is_post(value: Any) -> bool:
    return (isinstance(value, dict) and value.get("id") not in (None, "")
            and "message" in value and isinstance(value.get("author"), dict))


def comments_from_disqus(payloads: Iterable[Any], page_url: str) -> list[dict[str, Any]]:
    """Comment records of every post in `payloads` (all pages of one thread), in thread order;
    deleted and spam posts are left out, their replies kept (at top level if orphaned)."""
    records = []
    for payload in payloads:
        for post in posts_in(payload):
            if post.get("isDeleted") or post.get("isSpam"):
                continue
            records.append(_record(post, page_url))
    return thread_order(records)


def _record(post: dict[str, Any], page_url: str) -> dict[str, Any]:
    post_id = str(post["id"])
    parent = post.get("parent")
    author = post["author"]
    text, html = fragment_text_and_html(post.get("message") or "", page_url)
    likes, dislikes = post.get("likes"), post.get("dislikes")
    votes = None
    if isinstance(likes, int) and not isinstance(likes, bool):
        votes = likes - (dislikes if isinstance(dislikes, int) else 0)
    return RawComment(
        id=post_id,
        parent_id=str(parent) if parent not in (None, "", 0) else None,
        author_name=nonempty_str(author.get("name")) or nonempty_str(author.get("username")),
        author_url=_http_url(author.get("profileUrl")),
        published=_utc(post.get("createdAt")),
        text=text,
        html=html,
        permalink=f"{page_url.split('#', 1)[0]}#comment-{post_id}",
        votes=votes,
    ).record()


def _utc(value: Any) -> str | None:
    """Disqus dates are UTC without an offset ("2024-05-01T10:00:00"): say so."""
    if not isinstance(value, str) or not value:
        return None
    has_offset = value.endswith("Z") or "+" in value[10:] or value[10:].count("-") > 0
    return iso_date(value if has_offset else value + "+00:00")


def _http_url(value: Any) -> str | None:
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else None
