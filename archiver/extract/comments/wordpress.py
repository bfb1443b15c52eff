"""WordPress comments, classic themes (`ol.comment-list > li.comment.depth-N`, `ul.children`) and block
themes (`wp-block-comment-template`, `wp-block-post-comments`), plus themes built on them (Genesis,
Jetpack-hosted lists). One parser: every variant marks comments with an element id `comment-N`
(or `li-comment-N`, `div-comment-N`) and a class naming the type."""

from __future__ import annotations

import copy
import re

import lxml.html

from archiver.extract.comments.dom import (
    Element,
    absolute_url,
    any_match,
    class_tokens,
    comment_section,
    element_date,
    first,
    matches,
    numeric_id,
    parent_attribute,
    pruned_copy,
    text_of,
)
from archiver.extract.comments.found import Found
from archiver.extract.comments.model import RawComment
from archiver.extract.comments.text import block_text, safe_html, strip_noise, text_and_html
from archiver.extract.document import Document

# Elements whose id names a comment and whose class says comment/pingback/trackback — or, in
# minimal themes that print bare `<li id="comment-N">`, whose list is the comment list.
# Predicates cheapest-first (most elements have no id), a third faster than one combined test.
COMMENT_XPATH = (
    "//*[@id][starts-with(@id, 'comment-') or starts-with(@id, 'li-comment-')]"
    "[self::li or self::article or self::div or self::section]"
    "[contains(@class, 'comment') or contains(@class, 'pingback') or contains(@class, 'trackback')"
    " or parent::*[@id='commentlist' or @id='comments' or @id='comment-list'"
    " or contains(@class, 'commentlist') or contains(@class, 'comment-list')]]"
)
# Where the author's name sits, best first.
AUTHOR_XPATHS = (
    ".//*[contains(@class, 'comment-author')]//*[contains(concat(' ', @class, ' '), ' fn ')]",
    ".//*[contains(concat(' ', @class, ' '), ' fn ')]",
    ".//*[contains(@class, 'wp-block-comment-author-name')]",
    ".//*[@itemprop='author']//*[@itemprop='name']",
    ".//*[@itemprop='author']",
    ".//*[contains(@class, 'comment-author')]",
    ".//a[contains(concat(' ', @class, ' '), ' url ')]",
    ".//cite",
)
META_XPATHS = (
    ".//*[contains(@class, 'comment-metadata') or contains(@class, 'commentmetadata')]",
    ".//*[contains(@class, 'wp-block-comment-date')]",
    ".//time",
    ".//*[contains(@class, 'comment-meta') or contains(@class, 'comment-date') or contains(@class, 'comment_date')"
    " or contains(@class, 'comment-time') or contains(@class, 'commentdate') or contains(@class, 'comment_time')]",
    ".//a[contains(@href, '#comment-')]",
    ".//*[contains(@class, 'date') or contains(@class, 'time')]",
    ".//cite[.//a[contains(@href, '#comment-')]]",
)
CONTENT_XPATHS = (
    ".//*[contains(@class, 'comment-content') or contains(@class, 'wp-block-comment-content')]",
    ".//*[@itemprop='text' or @itemprop='commentText']",
    ".//*[contains(@class, 'comment-text') or contains(@class, 'comment_text')"
    " or contains(@class, 'comment-entry')]",
)
MODERATION_XPATH = (
    ".//*[contains(@class, 'awaiting-moderation') or contains(@class, 'comment-awaiting')"
    " or contains(@class, 'unapproved')]"
)
# Inside an author element: avatar, "says", hidden labels, badges — not part of the name.
_AUTHOR_CHROME = (
    ".//img | .//svg | .//script | .//style | .//*[contains(@class, 'says') or contains(@class, 'avatar')"
    " or contains(@class, 'screen-reader') or contains(@class, 'visually-hidden') or contains(@class, 'badge')"
    " or contains(@class, 'author-label') or contains(@class, 'post-author-label')]"
)
# "Comment by NAME — 17.07, 2011 @ 13:04" (a <cite> holding the whole line): the name alone.
_BYLINE_LABEL = re.compile(r"^\s*(?:comment|kommentar|commentaire|comentario|posted|written|reply)?\s*"
                           r"(?:by|von|par|por|de|di)\s+", re.I)
_BYLINE_TAIL = re.compile(r"\s+(?:[—–|@]|-\s|on\s+\d|am\s+\d|le\s+\d|el\s+\d).*$", re.S)
_SAYS = re.compile(r"\s*(?:says|said|dit|sagt|dice|disse|zegt)\s*(?:\.\.\.|…|:)?\s*$", re.I)
_PING_LABEL = re.compile(r"^\s*(?:pingback|trackback)\s*:?\s*", re.I)


def comment_elements(doc: Document) -> list[Element]:
    """Outermost element of every WordPress comment, in document order."""
    seen: set[str] = set()
    found: list[Element] = []
    for element in matches(doc.tree, COMMENT_XPATH):
        comment_id = numeric_id(element.get("id"))
        if comment_id is None or comment_id in seen:
            continue
        if "comment-respond" in class_tokens(element):
            continue
        seen.add(comment_id)
        found.append(element)
    return found


def parse(doc: Document) -> list[RawComment]:
    """Every approved comment of a WordPress comment list (moderation previews skipped)."""
    elements = comment_elements(doc)
    element_ids = {id(e) for e in elements}
    comments: list[RawComment] = []
    for element in elements:
        comment = parse_comment(element, element_ids, doc.url)
        if comment is not None:
            comments.append(comment)
    return comments


def parse_comment(element: Element, comment_nodes: set[int], base_url: str) -> RawComment | None:
    """One comment from its element; `comment_nodes` are ids of all comment elements, so fields of
    nested replies are never read as this comment's."""
    region = pruned_copy(element, comment_nodes)
    if first(region, MODERATION_XPATH) is not None:
        return None
    comment_id = numeric_id(element.get("id")) or ""
    tokens = class_tokens(element)
    kind = "pingback" if "pingback" in tokens else "trackback" if "trackback" in tokens else "comment"
    author_node = _first_with_text(region, AUTHOR_XPATHS)
    name, url = author_of(author_node, base_url)
    comment = RawComment(
        id=comment_id,
        element=element,
        parent_id=parent_attribute(element, comment_id),
        level=_depth_class(tokens),
        author_name=name,
        author_url=url,
        published=_published(region),
        permalink=_permalink(region, comment_id, base_url),
        type=kind,
    )
    comment.text, comment.html = _content(region, base_url)
    if kind != "comment":
        comment.text = _strip_ping_label(comment.text, name)
        if not comment.text:
            comment.html = ""
    return comment


def own(element: Element, xpath: str, comment_nodes: set[int]) -> Element | None:
    """First match of `xpath` under `element` outside nested comments (a match in a copy of the
    comment's own part: read it, don't look for it in the page)."""
    return first(pruned_copy(element, comment_nodes), xpath)


def _first_with_text(region: Element, xpaths: tuple[str, ...]) -> Element | None:
    for xpath in xpaths:
        for node in region.xpath(xpath):
            if isinstance(node, lxml.html.HtmlElement) and text_of(node):
                return node
    return None


def author_of(node: Element | None, base_url: str) -> tuple[str | None, str | None]:
    """Display name (without "says:") and website of a comment author element."""
    if node is None:
        return None, None
    cleaned = copy.deepcopy(node)
    for chrome in cleaned.xpath(_AUTHOR_CHROME):
        if chrome is not cleaned:
            chrome.drop_tree()
    name = _SAYS.sub("", text_of(cleaned)).strip(" ,:") or None
    if name and _BYLINE_LABEL.match(name):
        name = _BYLINE_TAIL.sub("", _BYLINE_LABEL.sub("", name)).strip(" ,:") or None
    link = node if node.tag == "a" else first(node, ".//a[@href]")
    url = absolute_url(base_url, link.get("href")) if link is not None else None
    if url and "#comment" in url:
        url = None
    return name, url


def _published(region: Element) -> str | None:
    for xpath in META_XPATHS:
        node = first(region, xpath)
        if node is not None:
            found = element_date(node)
            if found:
                return found
    return None


def _permalink(region: Element, comment_id: str, base_url: str) -> str | None:
    node = first(region, f".//a[contains(@href, '#comment-{comment_id}')]")
    if node is not None:
        return absolute_url(base_url, node.get("href"))
    return absolute_url(base_url, f"#comment-{comment_id}") if comment_id else None


def _content(region: Element, base_url: str) -> tuple[str, str]:
    for xpath in CONTENT_XPATHS:
        node = first(region, xpath)
        if node is not None:
            return text_and_html(node, base_url)
    # No content wrapper (old themes, pingbacks): the comment minus replies, meta and controls.
    clone = strip_noise(region)
    for nested in clone.xpath(
        ".//*[contains(concat(' ', @class, ' '), ' children ')]"
        " | .//*[contains(concat(' ', @class, ' '), ' fn ')]"
        # minimal themes: "<cite>Comment by NAME — date @ <a href='#comment-N'>time</a></cite>"
        " | .//cite[.//a[contains(@href, '#comment-')]]"
    ):
        holder = nested.getparent()
        if holder is not None:
            nested.drop_tree()
            if holder is not clone and len(holder) == 0 and not holder.text_content().strip():
                holder.drop_tree()  # the <p> that only held the meta line
    return block_text(clone), safe_html(clone, base_url)


def _depth_class(tokens: set[str]) -> int | None:
    for token in tokens:
        match = re.fullmatch(r"depth-(\d+)", token)
        if match:
            return int(match.group(1))
    return None


def _strip_ping_label(text: str, author: str | None) -> str:
    text = _PING_LABEL.sub("", text)
    if author and text.strip() == author:
        return ""
    return text


def find(doc: Document, system: str = "wordpress") -> Found | None:
    """WordPress comments of the page, or its empty comment section; None when neither exists."""
    elements = comment_elements(doc)
    if not elements:
        section = first(doc.tree, _EMPTY_SECTION_XPATH)
        if section is None or not is_wordpress(doc):
            return None
        return Found(system=system, nodes=[section])
    comments = parse(doc)
    section = comment_section(elements)
    return Found(system=system, comments=comments, nodes=[section] if section is not None else elements)


_EMPTY_SECTION_XPATH = (
    "//*[contains(@class, 'wp-block-post-comments') or contains(@class, 'wp-block-comments')"
    " or contains(@class, 'comments-area') or @id='comments']"
)
_WORDPRESS_XPATH = (
    "//link[@rel='https://api.w.org/'] | //meta[@name='generator' and starts-with(@content, 'WordPress')]"
    " | //form[contains(@action, 'wp-comments-post')] | //*[contains(@class, 'wp-block-')]"
    " | //link[contains(@href, '/wp-content/') or contains(@href, '/wp-includes/')]"
)


def is_single_post(doc: Document) -> bool:
    """A WordPress single post page (body class `single` / `postid-N`): the one place WordPress prints
    a post's whole approved thread and, while comments are open, its reply form."""
    body = doc.tree.find("body")
    classes = set((body.get("class") or "").split()) if body is not None else set()
    return "single" in classes or any(c.startswith("postid-") for c in classes)


def is_wordpress(doc: Document) -> bool:
    """Signs that a WordPress site rendered this page."""
    return any_match(doc.tree, _WORDPRESS_XPATH)
