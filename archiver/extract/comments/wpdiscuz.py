"""wpDiscuz (WordPress plugin): `div.wpd-comment` blocks with ids `wpd-comm-ID_PARENT`, nested
replies inside their parent, dates in the title of `.wpd-comment-date`, vote results per comment."""

from __future__ import annotations

import re

from archiver.extract.comments.dom import (
    Element,
    absolute_url,
    element_date,
    first,
    matches,
    pruned_copy,
    text_of,
)
from archiver.extract.comments.found import Found
from archiver.extract.comments.model import RawComment
from archiver.extract.comments.text import text_and_html
from archiver.extract.comments.wordpress import author_of
from archiver.extract.document import Document

COMMENT_XPATH = "//*[starts-with(@id, 'wpd-comm-') and contains(@class, 'wpd-comment')]"
_ID = re.compile(r"wpd-comm-(\d+)_(\d+)")


def find(doc: Document) -> Found | None:
    """wpDiscuz comments, or its empty thread when the plugin's container is present."""
    root = first(doc.tree, "//*[@id='wpdcom']")
    elements = matches(doc.tree, COMMENT_XPATH)
    if root is None and not elements:
        return None
    nodes = {id(e) for e in elements}
    comments = [c for c in (_comment(e, nodes, doc.url) for e in elements) if c is not None]
    info = first(doc.tree, "//*[@data-comments-count]")
    count = info.get("data-comments-count") if info is not None else None
    container = first(doc.tree, "//*[@id='comments']")
    container = container if container is not None else root
    return Found(
        system="wpdiscuz",
        comments=comments,
        nodes=[container] if container is not None else elements,
        count=int(count) if count and count.isdigit() else None,
        open=_open(root),
    )


def _comment(element: Element, nodes: set[int], base_url: str) -> RawComment | None:
    match = _ID.search(element.get("id") or "")
    if match is None or "wpd-unapproved" in (element.get("class") or ""):
        return None  # held for moderation: shown only to its author, not part of the thread
    # One copy of the comment without its replies, read for every field (copying is the cost).
    region = pruned_copy(element, nodes)
    if first(region, ".//*[contains(@class, 'wpd-unapproved') or contains(@class, 'wpd-comment-status')]") \
            is not None:
        return None  # held for moderation
    comment_id, parent = match.groups()
    author = first(region, ".//*[contains(@class, 'wpd-comment-author')]")
    name, url = author_of(author, base_url)
    content = first(region, ".//*[contains(@class, 'wpd-comment-text')]")
    text, html = text_and_html(content, base_url) if content is not None else ("", "")
    date = first(region, ".//*[contains(@class, 'wpd-comment-date')]")
    link = first(region, ".//*[contains(@class, 'wpd-comment-link')]//*[@data-wpd-clipboard]")
    votes = first(region, ".//*[contains(@class, 'wpd-vote-result')]")
    vote_text = (votes.get("title") or text_of(votes)) if votes is not None else ""
    return RawComment(
        id=comment_id,
        element=element,
        parent_id=None if parent == "0" else parent,
        author_name=name,
        author_url=url,
        published=element_date(date),
        text=text,
        html=html,
        permalink=absolute_url(base_url, link.get("data-wpd-clipboard") if link is not None else None)
        or absolute_url(base_url, f"#comment-{comment_id}"),
        votes=int(vote_text) if re.fullmatch(r"-?\d+", vote_text.strip()) else None,
    )


def _open(root: Element | None) -> bool | None:
    if root is None:
        return None
    classes = root.get("class") or ""
    if "wpd-comments-closed" in classes:
        return False
    if "wpd-comments-open" in classes:
        return True
    return None
