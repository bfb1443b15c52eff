"""`archiver show DIR|FILE [--url URL]`: records for people — metadata, media and the thread as a tree.

`render(record)` builds a rich renderable (no I/O), so the CLI, notebooks (`rich.print(render(r))`)
and snapshot tests share it. Long texts are cut to a readable excerpt unless `full` is set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from archiver.load import CommentNode, comments_tree, records

BODY_EXCERPT = 600
COMMENT_EXCERPT = 280
_SPACE = re.compile(r"\s+")


def select(path: str | Path, url: str | None = None, latest_only: bool = False) -> Iterator[dict[str, Any]]:
    """Records under `path`, oldest first; with `url`, only captures of that URL (or canonical URL)."""
    for record in records(path, latest_only=latest_only, validate=False):
        if url is None or url in (record.get("url"), record.get("canonical_url")):
            yield record


def render(record: dict[str, Any], full: bool = False) -> RenderableType:
    """One record: a panel of metadata, a body excerpt, the media table and the comment tree."""
    parts: list[RenderableType] = [Panel(_metadata(record), title=Text(record.get("title") or "(no title)",
                                                                          style="bold"),
                                         title_align="left", box=box.ROUNDED)]
    body = record.get("body") or ""
    if body:
        parts.append(Text((body if full else _excerpt(body, BODY_EXCERPT, keep_lines=True)) + "\n"))
    if record.get("media"):
        parts += [_media_table(record["media"]), Text("")]
    parts.append(_thread(record, full))
    parts.append(Text(""))
    return Group(*parts)


def _metadata(record: dict[str, Any]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    rows = [
        ("url", record.get("url")),
        ("canonical", record.get("canonical_url") if record.get("canonical_url") != record.get("url") else None),
        ("fetched", _join(record.get("fetched_at"), _prefixed("HTTP ", record.get("status")))),
        ("site", record.get("site_name")),
        ("language", record.get("language")),
        ("authors", ", ".join(a.get("name") or a.get("url") or "?" for a in record.get("authors") or [])),
        ("published", _join(record.get("published"), _prefixed("modified ", record.get("modified")))),
        ("categories", ", ".join(record.get("categories") or [])),
        ("tags", ", ".join(record.get("tags") or [])),
        ("description", record.get("description")),
        ("comments", _comment_summary(record)),
        ("warc", _pointer(record.get("warc"))),
    ]
    for label, value in rows:
        if value:
            grid.add_row(label, str(value))
    return grid


def _media_table(media: list[dict[str, Any]]) -> Table:
    table = Table(title=Text(f"Media ({len(media)})", style="bold"), title_justify="left", box=box.SIMPLE_HEAD,
                  show_edge=False)
    for name in ("#", "type", "url", "caption / alt", "size"):
        table.add_column(name, overflow="fold")
    for index, item in enumerate(media, start=1):
        size = f"{item['width']}x{item['height']}" if item.get("width") and item.get("height") else ""
        kind = item.get("type") or "?"
        if not item.get("in_body", True):
            kind += " (lead)"
        table.add_row(str(index), kind, item.get("url") or "", item.get("caption") or item.get("alt") or "", size)
    return table


def _thread(record: dict[str, Any], full: bool) -> RenderableType:
    comments = record.get("comments") or []
    tree = Tree(Text(f"Comments ({len(comments)})", style="bold"), guide_style="dim")
    if not comments:
        tree.add(Text("no comments archived", style="dim italic"))
    for root in comments_tree(record):
        _add_node(tree, root, full)
    return tree


def _add_node(parent: Tree, node: CommentNode, full: bool) -> None:
    """Iteratively add a node and its replies (deep threads must not recurse)."""
    stack = [(parent, node)]
    while stack:
        tree, current = stack.pop()
        comment = current.comment
        author = (comment.get("author") or {}).get("name") or "anonymous"
        label = Text()
        label.append(author, style="bold")
        for extra in (comment.get("published"), f"#{comment.get('id')}",
                      comment.get("type") if comment.get("type") not in (None, "comment") else None,
                      "orphan" if current.orphan else None):
            if extra:
                label.append(f" · {extra}", style="dim")
        text = comment.get("text") or ""
        label.append("\n" + (text if full else _excerpt(text, COMMENT_EXCERPT)))
        branch = tree.add(label)
        stack.extend((branch, child) for child in reversed(current.children))


def _comment_summary(record: dict[str, Any]) -> str:
    archived = len(record.get("comments") or [])
    parts = [f"{archived} archived"]
    if record.get("comment_count") is not None and record["comment_count"] != archived:
        parts[0] += f" (site says {record['comment_count']})"
    if record.get("comments_system"):
        parts.append(str(record["comments_system"]))
    if record.get("comments_open") is not None:
        parts.append("open" if record["comments_open"] else "closed")
    return " · ".join(parts)


def _pointer(pointer: dict[str, Any] | None) -> str | None:
    if not pointer:
        return None
    return f"{pointer.get('filename')} @ {pointer.get('offset')} (+{pointer.get('length')})"


def _excerpt(text: str, limit: int, keep_lines: bool = False) -> str:
    if not keep_lines:
        text = _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip() + " …"


def _join(*values: Any) -> str:
    return " · ".join(str(v) for v in values if v not in (None, ""))


def _prefixed(prefix: str, value: Any) -> str | None:
    return f"{prefix}{value}" if value not in (None, "") else None
