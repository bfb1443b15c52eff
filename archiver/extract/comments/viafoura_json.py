"""Viafoura threads from the answers of its comment API (v4 `livecomments`; pure, no I/O).

The conversations widget reads `/v4/livecomments/{section}/{container}/comments` and, for a
comment's replies, `.../comments/{content_uuid}/replies`; both answer
`{"contents": [comment, ...], "more_available": bool, "next_page_key": ...}`. A comment has
`content_uuid`, `parent_uuid` (the container's uuid for top-level comments), `content` (text with
light HTML), `date_created` (epoch milliseconds), `actor_uuid` and `status`; replies may also nest
inline under `replies.contents`. Author names come from an `actor`/`user` object on the comment
or from an `actors`/`users` list of the same answer (keyed by `actor_uuid`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from archiver.extract.comments.comment_dates import epoch_date
from archiver.extract.comments.model import RawComment
from archiver.extract.comments.text import fragment_text_and_html, nonempty_str
from archiver.extract.comments.tree import thread_order

HIDDEN_STATUSES = frozenset({"deleted", "disabled", "removed", "rejected"})


def comments_from_viafoura(payloads: Sequence[Any], page_url: str) -> list[dict[str, Any]]:
    """Comment records of every Viafoura comment in `payloads`, in thread order."""
    raw: list[tuple[dict[str, Any], dict[str, str]]] = []
    for payload in payloads:
        if isinstance(payload, dict) and isinstance(payload.get("contents"), list):
            names = _actor_names(payload)
            raw.extend((comment, names) for comment in _comments(payload["contents"]))
    ids = {comment["content_uuid"] for comment, _names in raw}
    records = [_record(comment, names, ids, page_url) for comment, names in raw
               if str(comment.get("status") or "").lower() not in HIDDEN_STATUSES]
    return thread_order(records)


def _comments(contents: list[Any]) -> Iterator[dict[str, Any]]:
    stack = list(reversed(contents))
    while stack:
        comment = stack.pop()
        if not isinstance(comment, dict) or not isinstance(comment.get("content_uuid"), str):
            continue
        yield comment
        replies = comment.get("replies")
        nested = replies.get("contents") if isinstance(replies, dict) else replies
        if isinstance(nested, list):
            stack.extend(reversed(nested))


def _actor_names(payload: dict[str, Any]) -> dict[str, str]:
    actors = payload.get("actors") or payload.get("users") or []
    if isinstance(actors, dict):
        actors = list(actors.values())
    names = {}
    for actor in actors if isinstance(actors, list) else []:
        name = isinstance(actor, dict) and (nonempty_str(actor.get("name")) or nonempty_str(actor.get("username")))
        if name:
            names[str(actor.get("actor_uuid") or actor.get("uuid"))] = name
    return names


def _epoch(value: Any) -> str | None:
    """`date_created` (epoch milliseconds or seconds) as ISO 8601 UTC; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or abs(value) > 1e14:
        return None
    return epoch_date(str(int(value)))


def _record(comment: dict[str, Any], names: dict[str, str], ids: set[str],
            page_url: str) -> dict[str, Any]:
    parent = comment.get("parent_uuid")
    actor = comment.get("actor") or comment.get("user") or {}
    name = (nonempty_str(actor.get("name")) or nonempty_str(actor.get("username"))) if isinstance(actor, dict) else None
    text, html = fragment_text_and_html(comment.get("content") or "", page_url)
    return RawComment(
        id=comment["content_uuid"],
        # Top-level comments name the container as parent: only a comment is a parent.
        parent_id=parent if isinstance(parent, str) and parent in ids else None,
        author_name=name or names.get(str(comment.get("actor_uuid"))),
        published=_epoch(comment.get("date_created")),
        text=text,
        html=html,
    ).record()
