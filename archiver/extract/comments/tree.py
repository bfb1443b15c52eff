"""Threading: parents from the page's structure, display order and depth, and a printable tree.

Everything here is iterative (explicit stacks), so a thread 200 levels deep or 10,000 comments long
never hits Python's recursion limit and stays linear in the number of comments.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from archiver.extract.comments.model import RawComment

# How far up the DOM we look for an enclosing comment: nesting adds a few wrappers per level
# (li > ol.children > li ...), a top-level comment reaches the page root quickly.
_MAX_ANCESTOR_WALK = 4000


def link_parents(comments: list[RawComment]) -> None:
    """Fill `parent_id` of comments whose markup did not name a parent: from DOM containment
    (nearest enclosing comment), checked against explicit indent levels when the page has them."""
    by_element = {id(c.element): c for c in comments if c.element is not None}
    last_at_level: dict[int, RawComment] = {}
    for comment in comments:
        if comment.parent_id is None:
            container = _enclosing_comment(comment, by_element)
            level_parent = _parent_by_level(comment, last_at_level)
            if container is not None and _levels_agree(container, comment):
                comment.parent_id = container.id
            elif level_parent is not None:
                comment.parent_id = level_parent.id
            elif container is not None and comment.level is None:
                comment.parent_id = container.id
        if comment.level is not None:
            last_at_level[comment.level] = comment
            for deeper in [lvl for lvl in last_at_level if lvl > comment.level]:
                del last_at_level[deeper]


def _enclosing_comment(
    comment: RawComment, by_element: dict[int, RawComment]
) -> RawComment | None:
    if comment.element is None:
        return None
    for steps, ancestor in enumerate(comment.element.iterancestors()):
        if steps > _MAX_ANCESTOR_WALK:
            break
        found = by_element.get(id(ancestor))
        if found is not None and found is not comment:
            return found
    return None


def _levels_agree(parent: RawComment, child: RawComment) -> bool:
    if parent.level is None or child.level is None:
        return True
    return parent.level < child.level


def _parent_by_level(
    comment: RawComment, last_at_level: dict[int, RawComment]
) -> RawComment | None:
    if comment.level is None or comment.level <= 1:
        return None
    candidates = [lvl for lvl in last_at_level if lvl < comment.level]
    return last_at_level[max(candidates)] if candidates else None


def thread_order(comments: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Comments deduplicated by id in threaded pre-order (roots and siblings keep the order given),
    `depth` recomputed from `parent_id`. A comment whose parent is absent stays top level (depth 1)
    and keeps its `parent_id`; cycles are broken rather than dropped."""
    unique: dict[str, dict[str, Any]] = {}
    for comment in comments:
        unique.setdefault(comment["id"], comment)
    children: dict[str, list[dict[str, Any]]] = {}
    roots: list[dict[str, Any]] = []
    for comment in unique.values():
        parent = comment.get("parent_id")
        if parent is not None and parent in unique and parent != comment["id"]:
            children.setdefault(parent, []).append(comment)
        else:
            roots.append(comment)
    ordered: list[dict[str, Any]] = []
    visited: set[str] = set()
    # Comments caught in a parent cycle are reachable from no root: start walks from them too.
    for start in [*roots, *unique.values()]:
        if start["id"] in visited:
            continue
        stack = [(start, 1)]
        while stack:
            comment, depth = stack.pop()
            if comment["id"] in visited:
                continue
            visited.add(comment["id"])
            ordered.append({**comment, "depth": depth})
            for child in reversed(children.get(comment["id"], [])):
                stack.append((child, depth + 1))
    return ordered


def format_thread_tree(comments: list[dict[str, Any]], width: int = 100) -> str:
    """The thread as indented text, one comment per line: who, when, the start of the text."""
    lines: list[str] = []
    for comment in comments:
        indent = "    " * (max(comment.get("depth", 1), 1) - 1)
        author = (comment.get("author") or {}).get("name") or "(anonymous)"
        when = f" {comment['published']}" if comment.get("published") else ""
        kind = f" [{comment['type']}]" if comment.get("type", "comment") != "comment" else ""
        head = f"{indent}└─ {author}{when}{kind}: "
        text = " ".join((comment.get("text") or "").split())
        room = max(width - len(head), 20)
        lines.append(head + (text if len(text) <= room else text[: room - 1] + "…"))
    return "\n".join(lines)


def rich_thread_tree(comments: list[dict[str, Any]], title: str = "comments") -> Any:
    """The thread as a `rich.tree.Tree` (for `archiver show`), built without recursion."""
    from rich.markup import escape
    from rich.tree import Tree

    root = Tree(escape(title))
    open_nodes: list[Any] = [root]  # open_nodes[d] is the last node at depth d
    for comment in comments:
        depth = max(int(comment.get("depth", 1)), 1)
        del open_nodes[min(depth, len(open_nodes)):]
        author = (comment.get("author") or {}).get("name") or "(anonymous)"
        when = comment.get("published") or ""
        text = " ".join((comment.get("text") or "").split())
        label = f"[bold]{escape(author)}[/bold] [dim]{escape(when)}[/dim]\n{escape(text[:300])}"
        open_nodes.append(open_nodes[-1].add(label))
    return root
