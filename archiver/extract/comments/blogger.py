"""Blogger / Blogspot comments: threaded layout (`li.comment#cNNN`, replies in `.comment-replies`)
and the classic layout (`dl#comments-block` with `dt.comment-author` + `dd.comment-body` pairs).
`?showComment=<epoch ms>` in permalinks gives the exact UTC time."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from archiver.extract.comments.comment_dates import epoch_date
from archiver.extract.comments.dom import (
    Element,
    absolute_url,
    any_match,
    comment_section,
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

THREADED_XPATH = "//li[contains(concat(' ', @class, ' '), ' comment ') and starts-with(@id, 'c')]"
CLASSIC_XPATH = "//dl[@id='comments-block']/dt[contains(@class, 'comment-author')]"
BLOGGER_SIGNS = (
    "//meta[@content='blogger'] | //*[contains(@class, 'blogger')] | //link[contains(@href, 'blogger.com')]"
    " | //*[contains(@id, 'comment-holder')] | //*[@id='comments-block'] | //*[contains(@class, 'comment-thread')]"
)


def find(doc: Document) -> Found | None:
    if not any_match(doc.tree, BLOGGER_SIGNS):
        return None
    elements = [e for e in matches(doc.tree, THREADED_XPATH) if re.fullmatch(r"c\d+", e.get("id") or "")]
    if elements:
        nodes = {id(e) for e in elements}
        comments = [_threaded(e, nodes, doc.url) for e in elements]
    else:
        elements = matches(doc.tree, CLASSIC_XPATH)
        comments = [c for c in (_classic(e, doc.url) for e in elements) if c is not None]
    if not comments:
        return None
    section = first(doc.tree, "//*[@id='comments']")
    section = section if section is not None else comment_section(elements)
    count_node = first(doc.tree, "//*[@id='comments']//*[contains(@class, 'comment-count')]")
    count = text_of(count_node) if count_node is not None else ""
    # Blogger's form is an iframe or a "Post a Comment" link; neither means closed when absent
    # on its own, but their presence means open.
    can_post = any_match(doc.tree, "//iframe[@id='comment-editor'] | //a[contains(@href, 'blogger.com/comment')]")
    return Found(system="blogger", comments=comments, nodes=[section] if section is not None else [],
                 count=int(count) if count.isdigit() else None, open=True if can_post else None)


def _threaded(element: Element, nodes: set[int], base_url: str) -> RawComment:
    comment_id = (element.get("id") or "c")[1:]
    # One copy of the comment without its replies, read three times (copying is the cost).
    region = pruned_copy(element, nodes)
    author = first(region, ".//cite[contains(@class, 'user')] | .//*[contains(@class, 'comment-author')]")
    name, url = author_of(author, base_url)
    content = first(region, ".//*[contains(@class, 'comment-content')]")
    text, html = text_and_html(content, base_url) if content is not None else ("", "")
    stamp = first(region, ".//*[contains(@class, 'datetime')]")
    link = first(stamp, ".//a[@href]") if stamp is not None else None
    return RawComment(
        id=comment_id, element=element, author_name=name, author_url=url,
        published=_published(link, stamp), text=text, html=html,
        permalink=absolute_url(base_url, link.get("href")) if link is not None else None,
    )


def _classic(author_node: Element, base_url: str) -> RawComment | None:
    anchor = first(author_node, ".//a[@name]")
    comment_id = (author_node.get("id") or (anchor.get("name") if anchor is not None else "") or "")
    comment_id = comment_id.lstrip("c")
    body = author_node.getnext()
    while body is not None and "comment-body" not in (body.get("class") or ""):
        body = body.getnext()
    if not comment_id or body is None:
        return None
    footer = body.getnext()
    link = first(footer, ".//a[@href]") if footer is not None else None
    named = first(author_node, ".//a[@href]")
    name = re.sub(r"\s*(?:said|says|dijo|a dit|hat gesagt)\s*\.*…?:?\s*$", "", text_of(author_node))
    text, html = text_and_html(body, base_url)
    return RawComment(
        id=comment_id, element=author_node, author_name=name or None,
        author_url=absolute_url(base_url, named.get("href")) if named is not None else None,
        published=_published(link, footer), text=text, html=html,
        permalink=absolute_url(base_url, link.get("href")) if link is not None else None,
    )


def _published(link: Element | None, stamp: Element | None) -> str | None:
    if link is not None:
        shown = parse_qs(urlsplit(link.get("href") or "").query).get("showComment", [""])[0]
        exact = epoch_date(shown) if shown else None
        if exact:
            return exact
    return element_date(stamp)

