"""Comment threads: detect the page's comment system and extract its comments as a flat pre-order list.

One module per comment system lives beside this file; `extract_comments` tries them in order of
specificity (markup only one system produces first, the generic detector last) and adds what the page
says about the thread (claimed count, open/closed, other comment pages, the WordPress REST URL).

For the spider: fetch `thread.page_urls` of every comment page (repeat on each fetched page until no
new URL appears), call `extract_comments` on each, then `merge_comment_pages`; optionally fetch
`thread.rest_url` (paged with `rest.rest_page_url`) and apply `rest.reconcile`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from archiver.extract.comments import (
    blogger,
    drupal,
    generic,
    hn,
    javascript_systems,
    jetpack,
    schemaorg,
    wordpress,
    wpdiscuz,
)
from archiver.extract.comments.counts import claimed_count, comments_open, reply_form
from archiver.extract.comments.found import Found
from archiver.extract.comments.gate import reading
from archiver.extract.comments.merge import merge_comment_pages
from archiver.extract.comments.pagination import comment_page_urls, current_page
from archiver.extract.comments.rest import comments_from_rest, reconcile, wordpress_rest_url
from archiver.extract.comments.tree import format_thread_tree, link_parents, thread_order
from archiver.extract.document import Document

__all__ = [
    "CommentThread", "comments_from_rest", "extract_comments", "format_thread_tree",
    "merge_comment_pages", "reconcile", "wordpress_rest_url",
]

log = logging.getLogger(__name__)

WORDPRESS_SYSTEMS = frozenset({"wordpress", "jetpack"})

# Native (HTML) parsers, most specific markup first; each returns Found or None.
FINDERS = (
    wpdiscuz.find,
    drupal.find,
    blogger.find,
    hn.find,
    jetpack.find,
    wordpress.find,
    schemaorg.find,
    generic.find,
)


@dataclass
class CommentThread:
    """What a page says about its comments. `page_urls`: other comment pages the spider must fetch;
    `page_number`: which comment page this is (None when unpaged/unknown); `rest_url`: the WordPress
    REST comments endpoint of the post (None when not WordPress)."""

    system: str | None = None
    comments: list[dict[str, Any]] = field(default_factory=list)
    count: int | None = None
    open: bool | None = None
    thread: dict[str, Any] | None = None
    page_urls: list[str] = field(default_factory=list)
    # Elements of Document.tree that hold comments; body extraction must ignore them.
    nodes: list[Any] = field(default_factory=list)
    page_number: int | None = None
    rest_url: str | None = None


def extract_comments(doc: Document) -> CommentThread:
    """The comment thread found in `doc` (empty when the page shows none). Never raises."""
    try:
        with reading(doc.tree):
            return _extract(doc)
    except Exception:  # noqa: BLE001 - a broken page must still give a record
        log.exception("comment extraction failed for %s", doc.url)
        return CommentThread()


def _extract(doc: Document) -> CommentThread:
    found = _native(doc)
    embed = javascript_systems.find(doc)
    thread = CommentThread()
    if found is not None:
        link_parents(found.comments)
        thread.comments = thread_order(c.record() for c in found.comments if c.id)
        thread.system = found.system
        thread.nodes = list(found.nodes)
        thread.count = found.count
        thread.open = found.open
        thread.page_number = current_page(doc)
        thread.page_urls = comment_page_urls(doc, thread.page_number)
    inside = found is not None and embed is not None and _inside(found, embed)
    if embed is not None and (found is None or not thread.comments or found.system == "generic" or inside):
        thread.system = embed.system
        thread.thread = embed.thread
        thread.nodes.extend(embed.nodes)
        if found is not None and found.system == "generic" and not inside:
            # The page's thread is the widget's, loaded by JavaScript; comment-like blocks found
            # elsewhere (teasers of other posts' comments, a widget's placeholder) are not it.
            thread.comments = []
        if embed.comments and not thread.comments:
            link_parents(embed.comments)
            thread.comments = thread_order(c.record() for c in embed.comments if c.id)
    if thread.count is None:
        thread.count = claimed_count(doc, thread.nodes)
    has_section = found is not None
    # WordPress themes drop the reply form when comments close (block themes print no notice);
    # elsewhere a missing form proves nothing.
    wordpress_like = (found is not None and found.system in WORDPRESS_SYSTEMS
                      and thread.system == found.system)
    if thread.open is None:
        thread.open = comments_open(doc, wordpress_like)
    if thread.count is None and has_section and not thread.comments and (thread.open or wordpress_like):
        # Themes print no heading for zero comments; WordPress shows every approved comment of a
        # single post, so an empty WordPress thread is a count of 0.
        thread.count = 0
    thread.rest_url = wordpress_rest_url(doc)
    return thread


def _inside(found: Found, embed: Found) -> bool:
    """Native comments printed inside the embed's holder (the no-JavaScript fallback of Disqus & co.)."""
    holders = {id(node) for node in embed.nodes}
    first_comment = next((c.element for c in found.comments if c.element is not None), None)
    return first_comment is not None and any(id(a) in holders for a in first_comment.iterancestors())


def _native(doc: Document) -> Found | None:
    """The first parser that finds comments; else the first that finds an (empty) comment section."""
    empty: Found | None = None
    for finder in FINDERS:
        found = finder(doc)
        if found is None:
            continue
        if found.comments:
            return found
        empty = empty or found
    if empty is None and wordpress.is_wordpress(doc) and (
        reply_form(doc) is not None or wordpress.is_single_post(doc)
    ):
        # A WordPress post without a comment list: its form (open) or its absence (closed) is the thread.
        return Found(system="wordpress", comments=[], nodes=[])
    return empty
