"""Drupal comments (7 to 10): `article.comment` / `div.comment` blocks, replies in a following
`div.indented` sibling, ids from `comment-N` anchors or `/comment/N` permalinks, dates from
`data-comment-timestamp`, `time[datetime]` or "Submitted by X on …" text."""

from __future__ import annotations

import re

from archiver.extract.comments.comment_dates import parse_date
from archiver.extract.comments.dom import (
    Element,
    absolute_url,
    any_match,
    comment_section,
    element_date,
    first,
    matches,
    pruned_copy,
)
from archiver.extract.comments.found import Found
from archiver.extract.comments.model import RawComment
from archiver.extract.comments.text import text_and_html
from archiver.extract.comments.wordpress import author_of
from archiver.extract.document import Document

COMMENT_XPATH = (
    "//*[(self::article or self::div) and contains(concat(' ', normalize-space(@class), ' '), ' comment ')"
    " and (@data-comment-user-id or contains(@class, 'js-comment') or contains(@class, 'comment-by-')"
    " or preceding-sibling::*[1][self::a][starts-with(@id, 'comment-')]"
    " or .//a[contains(@href, '/comment/')] or ancestor::*[contains(@class, 'indented')])]"
)
# Only markers Drupal itself prints: "indented" or "/comment/" links alone also occur on other sites.
DRUPAL_SIGNS = (
    "//meta[@name='Generator' or @name='generator'][contains(@content, 'Drupal')]"
    " | //*[@data-drupal-selector] | //script[contains(@src, '/core/misc/drupal')]"
    " | //script[contains(@src, 'misc/drupal.js')] | //*[@data-comment-user-id]"
    " | //script[contains(text(), 'Drupal.settings') or contains(text(), 'drupalSettings')]"
)
# The comment body field first: the subject line and the meta footer are not the comment's text.
CONTENT_XPATHS = (
    ".//*[contains(@class, 'field--name-comment-body') or contains(@class, 'field-name-comment-body')]",
    ".//*[contains(@class, 'comment__content') or contains(@class, 'comment-content')]",
    ".//*[contains(concat(' ', @class, ' '), ' content ')]",
)
_COMMENT_LINK = re.compile(r"/comment/(\d+)")


def find(doc: Document) -> Found | None:
    """Drupal comments (only on pages showing Drupal's markup)."""
    if not any_match(doc.tree, DRUPAL_SIGNS):
        return None
    elements = [e for e in matches(doc.tree, COMMENT_XPATH) if _comment_id(e)]
    if not elements:
        return None
    nodes = {id(e) for e in elements}
    comments = [_comment(e, nodes, doc.url) for e in elements]
    section = comment_section(elements)
    return Found(system="drupal", comments=comments, nodes=[section] if section is not None else elements)


def _comment_id(element: Element) -> str | None:
    for value in (element.get("id"), _previous_anchor(element)):
        if value and re.fullmatch(r"comment-\d+", value):
            return value.split("-", 1)[1]
    link = first(element, ".//a[contains(@href, '/comment/')]")
    match = _COMMENT_LINK.search(link.get("href") or "") if link is not None else None
    return match.group(1) if match else None


def _previous_anchor(element: Element) -> str | None:
    previous = element.getprevious()
    while previous is not None and previous.tag in ("mark", "span") and not previous.get("id"):
        previous = previous.getprevious()
    return previous.get("id") if previous is not None and previous.tag == "a" else None


def _comment(element: Element, nodes: set[int], base_url: str) -> RawComment:
    comment_id = _comment_id(element) or ""
    # One copy of the comment without its replies, read for every field (copying is the cost).
    region = pruned_copy(element, nodes)
    author = first(region, ".//*[contains(@class, 'comment__author') or contains(@class, 'username')"
                   " or @rel='author' or contains(@class, 'comment-author')]")
    name, url = author_of(author, base_url)
    if name:
        name = re.sub(r"\s*\((?:not verified|nicht überprüft|non vérifié)\)\s*$", "", name)
    content = next((node for node in (first(region, xpath) for xpath in CONTENT_XPATHS)
                    if node is not None), None)
    text, html = text_and_html(content, base_url) if content is not None else ("", "")
    return RawComment(
        id=comment_id,
        element=element,
        parent_id=_reply_target(element, nodes),
        author_name=name,
        author_url=url,
        published=_published(region),
        text=text,
        html=html,
        permalink=absolute_url(base_url, f"/comment/{comment_id}#comment-{comment_id}"),
    )


def _published(region: Element) -> str | None:
    """The date in `region`, the comment's own part (a copy without its replies)."""
    stamp = first(region, ".//*[@data-comment-timestamp]")
    if stamp is not None:
        return parse_date(stamp.get("data-comment-timestamp"))
    for xpath in (".//time", ".//*[contains(@class, 'comment__time') or contains(@class, 'submitted')"
                  " or contains(@class, 'comment-date') or contains(@class, 'date')]"):
        node = first(region, xpath)
        found = element_date(node) if node is not None else None
        if found:
            return found
    return None


def _reply_target(element: Element, nodes: set[int]) -> str | None:
    """Drupal 8+ prints "In reply to <a href=/comment/N>" for replies; containment covers the rest."""
    for link in element.xpath(".//*[contains(@class, 'visually-hidden') or contains(@class, "
                              "'comment__parent')]//a[contains(@href, '/comment/')]"):
        match = _COMMENT_LINK.search(link.get("href") or "")
        if match:
            return match.group(1)
    return _indented_parent(element, nodes)


def _indented_parent(element: Element, nodes: set[int]) -> str | None:
    """Replies live in `div.indented` right after their parent comment (not inside it)."""
    holder = element.getparent()
    while holder is not None and "indented" not in (holder.get("class") or "").split():
        if id(holder) in nodes:
            return None  # contained in a comment: tree.link_parents handles it
        holder = holder.getparent()
    if holder is None:
        return None
    previous = holder.getprevious()
    while previous is not None and id(previous) not in nodes:
        previous = previous.getprevious()
    return _comment_id(previous) if previous is not None else None

