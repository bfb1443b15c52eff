"""Hacker-News-style threads: one table row per comment, nesting shown only by indentation
(`td.ind[indent=N]` or a spacer image `width = 40 * level`); parents come from the indent stack."""

from __future__ import annotations

import re

from archiver.extract.comments.comment_dates import parse_date
from archiver.extract.comments.counts import parse_count
from archiver.extract.comments.dom import Element, absolute_url, element_date, first, matches, text_of
from archiver.extract.comments.found import Found
from archiver.extract.comments.model import RawComment
from archiver.extract.comments.text import text_and_html
from archiver.extract.document import Document

ROW_XPATH = (
    "//tr[contains(concat(' ', @class, ' '), ' comtr ')"
    " or (contains(@class, 'athing') and .//td[contains(@class, 'ind')])]"
)
INDENT_PX = 40


def find(doc: Document) -> Found | None:
    rows = matches(doc.tree, ROW_XPATH)
    if not rows:
        return None
    comments = [c for c in (_row(row, doc.url) for row in rows) if c is not None]
    if not comments:
        return None
    table = first(doc.tree, "//table[contains(@class, 'comment-tree')]")
    counts = [parse_count(text_of(a)) for a in doc.tree.xpath("//*[contains(@class, 'subtext')]//a")]
    can_reply = first(doc.tree, "//form[@action='comment']//textarea") is not None
    return Found(system="hackernews", comments=comments,
                 nodes=[table] if table is not None else [rows[0].getparent()],
                 count=next((c for c in counts if c is not None), None), open=True if can_reply else None)


def _row(row: Element, base_url: str) -> RawComment | None:
    comment_id = row.get("id") or ""
    if not comment_id:
        return None
    user = first(row, ".//a[contains(@class, 'hnuser')]")
    age = first(row, ".//*[contains(@class, 'age')]")
    content = first(row, ".//*[contains(@class, 'commtext')]")
    text, html = text_and_html(content, base_url) if content is not None else ("", "")
    link = first(age, ".//a[@href]") if age is not None else None
    title = (age.get("title") or "").split()[0] if age is not None and age.get("title") else None
    return RawComment(
        id=comment_id,
        element=row,
        level=_indent(row) + 1,
        author_name=text_of(user) or None,
        author_url=absolute_url(base_url, user.get("href")) if user is not None else None,
        published=element_date(age) if title is None else _iso(title),
        text=text,
        html=html,
        permalink=absolute_url(base_url, link.get("href")) if link is not None else None,
    )


def _indent(row: Element) -> int:
    cell = first(row, ".//td[contains(@class, 'ind')]")
    if cell is not None and (cell.get("indent") or "").isdigit():
        return int(cell.get("indent") or 0)
    spacer = first(cell if cell is not None else row, ".//img[@width]")
    width = (spacer.get("width") or "0") if spacer is not None else "0"
    return int(width) // INDENT_PX if width.isdigit() else 0


def _iso(value: str) -> str | None:
    found = parse_date(value)
    if found and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", found):
        return found + "+00:00"  # HN titles are UTC
    return found
