"""`comments_tree(record)`: the flat comment list of a record as nested nodes.

Records keep comments flat (pre-order, with `parent_id`) because flat lists export and diff well;
people reading a thread want the tree. Children keep display order. A comment whose parent is not
in the list (a reply to a deleted comment, or a broken chain) becomes a root marked `orphan`, so
no comment is ever lost, and a cycle in parent ids cannot loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from archiver.load.typed import Comment, Record


@dataclass(eq=False)  # identity, not content: two equal comments are still two nodes
class CommentNode:
    """One comment (a dict, or a `Comment` for typed records) and its replies."""

    comment: Any
    children: list[CommentNode] = field(default_factory=list)
    orphan: bool = False  # its parent_id names a comment that is not in the record

    @property
    def id(self) -> str:
        return str(_get(self.comment, "id"))

    def walk(self, depth: int = 1) -> Iterator[tuple[int, CommentNode]]:
        """(depth in the tree, node) of this node and its descendants, in pre-order."""
        stack = [(depth, self)]  # iterative: a reply chain thousands deep must not hit the recursion limit
        while stack:
            level, node = stack.pop()
            yield level, node
            stack.extend((level + 1, child) for child in reversed(node.children))

    def to_dict(self) -> dict[str, Any]:
        """The comment as a dict with its replies nested under `replies`."""
        return {**_as_dict(self.comment), "replies": [child.to_dict() for child in self.children]}


def comments_tree(record: dict[str, Any] | Record) -> list[CommentNode]:
    """The top-level comments of `record`, each with its replies nested below it."""
    comments = record.comments if isinstance(record, Record) else record.get("comments") or []
    nodes = [CommentNode(comment) for comment in comments]
    by_id: dict[str, CommentNode] = {}
    for node in nodes:
        by_id.setdefault(node.id, node)  # duplicate ids: replies attach to the first
    roots: list[CommentNode] = []
    for node in nodes:
        parent_id = _get(node.comment, "parent_id")
        parent = by_id.get(str(parent_id)) if parent_id is not None else None
        if parent is None or parent is node:
            node.orphan = parent_id is not None
            roots.append(node)
        else:
            parent.children.append(node)
    _rescue_cycles(nodes, roots)
    return roots


def walk(roots: list[CommentNode]) -> Iterator[tuple[int, CommentNode]]:
    """(depth, node) over a whole forest in display order."""
    for root in roots:
        yield from root.walk()


def _rescue_cycles(nodes: list[CommentNode], roots: list[CommentNode]) -> None:
    """Nodes unreachable from a root sit on a parent cycle: cut them loose as orphan roots."""
    reached = {id(node) for _, node in walk(roots)}
    for node in nodes:
        if id(node) in reached:
            continue
        for other in nodes:  # detach from its cyclic parent
            other.children = [child for child in other.children if child is not node]
        node.orphan = True
        roots.append(node)
        reached.update(id(n) for _, n in node.walk())


def _get(comment: Any, name: str) -> Any:
    return getattr(comment, name) if isinstance(comment, Comment) else comment.get(name)


def _as_dict(comment: Any) -> dict[str, Any]:
    if isinstance(comment, Comment):
        from archiver.load.typed import _plain

        return dict(_plain(comment))
    return dict(comment)
