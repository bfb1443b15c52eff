"""Coral Talk threads from the answers of Coral's GraphQL API (`/api/graphql`; pure, no I/O).

The stream asks for `story { comments(first, orderBy) { edges { node } pageInfo } }`, "load more"
for the same with `after: endCursor`, and "show replies" for `comment(id) { replies { edges } }`.
A comment node has `id`, `body` (HTML), `createdAt` (ISO 8601), `author { id username }`, maybe
`parent { id }`, `replies { edges { node } }` and `status`/`deleted`. Nodes are found wherever
they nest, so every page of every query merges into one thread.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from archiver.extract.comments.comment_dates import iso_date
from archiver.extract.comments.model import RawComment
from archiver.extract.comments.text import fragment_text_and_html, nonempty_str
from archiver.extract.comments.tree import thread_order

HIDDEN_STATUSES = frozenset({"REJECTED", "SYSTEM_WITHHELD", "PREMOD"})


def comments_from_coral(payloads: Sequence[Any], page_url: str) -> list[dict[str, Any]]:
    """Comment records of every Coral comment node in `payloads`, in thread order."""
    records = []
    for payload in payloads:
        if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
            continue
        for node, enclosing in _comment_nodes(payload["data"]):
            if node.get("deleted") or node.get("status") in HIDDEN_STATUSES:
                continue
            records.append(_record(node, enclosing, page_url))
    return thread_order(records)


def _is_comment(value: Any) -> bool:
    return (isinstance(value, dict) and isinstance(value.get("id"), str) and "body" in value
            and "createdAt" in value)


def _comment_nodes(data: Any) -> Iterator[tuple[dict[str, Any], str | None]]:
    """(comment node, id of the comment whose replies hold it) for every node, depth-first."""
    stack: list[tuple[Any, str | None]] = [(data, None)]
    while stack:
        value, enclosing = stack.pop()
        if isinstance(value, list):
            stack.extend((item, enclosing) for item in reversed(value))
            continue
        if not isinstance(value, dict):
            continue
        if _is_comment(value):
            yield value, enclosing
        # A `comment(id)` answer holds replies without being a full node itself.
        owner = value["id"] if isinstance(value.get("id"), str) and "replies" in value else enclosing
        for key, child in reversed(list(value.items())):
            if key not in ("parent", "author"):
                stack.append((child, owner if key == "replies" else enclosing))


def _record(node: dict[str, Any], enclosing: str | None, page_url: str) -> dict[str, Any]:
    parent = node.get("parent")
    parent_id = parent.get("id") if isinstance(parent, dict) else None
    author = node["author"] if isinstance(node.get("author"), dict) else {}
    text, html = fragment_text_and_html(node.get("body") or "", page_url)
    base = page_url.split("#", 1)[0]
    return RawComment(
        id=node["id"],
        parent_id=parent_id or enclosing,
        author_name=nonempty_str(author.get("username")) or nonempty_str(author.get("name")),
        published=iso_date(str(node.get("createdAt") or "")),
        text=text,
        html=html,
        permalink=f"{base}{'&' if '?' in base else '?'}commentID={node['id']}",
    ).record()
