"""Small DOM helpers shared by the comment parsers (class tests, XPath builders, URLs, ids)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TypeAlias
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from archiver.extract.comments.comment_dates import parse_date
from archiver.extract.comments.gate import plan
from archiver.values import join_url

Element: TypeAlias = lxml.html.HtmlElement


def has_class(name: str) -> str:
    """XPath predicate body: the element's class list contains `name` exactly."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def class_tokens(element: Element) -> set[str]:
    return set((element.get("class") or "").lower().split())


@lru_cache(maxsize=512)
def compiled(xpath: str) -> lxml.etree.XPath:
    """Compiled XPath (compiling costs more than running one on a single comment)."""
    return lxml.etree.XPath(xpath)


def first(element: Element, xpath: str) -> Element | None:
    """First element matched by `xpath`; for a union (`a | b`) the first branch that matches wins.
    Branches run one by one because libxml2 merges large union results in quadratic time."""
    for branch in _branches(xpath):
        query = plan(element, branch)
        if query is None:
            continue
        found = compiled(query)(element)
        for item in found if isinstance(found, list) else []:
            if isinstance(item, lxml.html.HtmlElement):
                return item
    return None


def matches(element: Element, xpath: str) -> list[Element]:
    """Every element matched by `xpath` (union branches one by one, in branch order), skipping
    branches whose words the document lacks."""
    found: list[Element] = []
    for branch in _branches(xpath):
        query = plan(element, branch)
        if query is not None:
            result = compiled(query)(element)
            found.extend(e for e in (result if isinstance(result, list) else [])
                         if isinstance(e, lxml.html.HtmlElement))
    return found


def any_match(element: Element, xpath: str) -> bool:
    """Whether `xpath` (union branches tried one by one) matches anything."""
    return any((query := plan(element, branch)) is not None and compiled(query)(element)
               for branch in _branches(xpath))


@lru_cache(maxsize=512)
def _branches(xpath: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in xpath.split(" | ")) if " | " in xpath else (xpath,)


def text_of(element: Element | None) -> str:
    return " ".join(element.text_content().split()) if element is not None else ""


def absolute_url(base_url: str, href: str | None) -> str | None:
    """An absolute http(s) URL for `href`, None for fragments-only, javascript: and the like."""
    if not href or not href.strip():
        return None
    url = join_url(base_url, href.strip())  # None when malformed (an unclosed IPv6 bracket)
    try:
        return url if url and urlsplit(url).scheme in ("http", "https") else None
    except ValueError:
        return None


def numeric_id(value: str | None, prefixes: tuple[str, ...] = ("comment-", "comment_", "c")) -> str | None:
    """The site's comment id from an element id such as `comment-123`, `li-comment-123`, `c123`."""
    if not value:
        return None
    match = re.search(r"(?:^|[-_])comment[-_](\d+)$", value) or re.fullmatch(r"c(\d+)", value)
    if match:
        return match.group(1)
    for prefix in prefixes:
        if value.startswith(prefix) and value[len(prefix):].isdigit():
            return value[len(prefix):]
    return None


def element_date(element: Element | None) -> str | None:
    """The best date carried by an element: time[datetime], datetime/content/title attributes,
    then its text."""
    if element is None:
        return None
    candidates = [element, *element.iterdescendants()]
    for node in candidates:
        for attribute in ("datetime", "content", "data-timestamp", "data-time", "data-date"):
            found = parse_date(node.get(attribute))
            if found:
                return found
    for node in candidates:
        found = parse_date(node.get("title"))
        if found:
            return found
    return parse_date(text_of(element))


def within(element: Element, ancestor: Element) -> bool:
    return any(node is ancestor for node in element.iterancestors())


_SECTION_MARK = re.compile(
    r"(?:^|[\s_-])(?:comments?|comment-list|commentlist|discussion|responses|replies|"
    r"comments-area|comments-section|wp-block-post-comments|wp-block-comments)(?:$|[\s_-])",
    re.I,
)
_SECTION_STOP = {"body", "html", "main"}


def comment_section(elements: list[Element], max_up: int = 6) -> Element | None:
    """The element holding a page's comment thread: the nearest ancestor of the comments named like
    a comment area (#comments, .comments-area, .wp-block-comments …), else their common list."""
    if not elements:
        return None
    common = _common_ancestor(elements)
    if common is None:
        return None
    node: Element | None = common
    best: Element | None = None
    for _step in range(max_up):
        if node is None or node.tag in _SECTION_STOP:
            break
        marker = f"{node.get('id', '')} {node.get('class', '')}"
        if re.search(r"hentry|type-post|entry-content|post-\d", marker):
            break  # reached the article itself
        if _SECTION_MARK.search(marker):
            best = node  # keep climbing: the outermost comment area holds heading and notices
        node = node.getparent()
    if best is not None:
        return best
    return common if common.tag not in _SECTION_STOP else None


def _common_ancestor(elements: list[Element]) -> Element | None:
    """Deepest element containing all of `elements` (walks only the first one's ancestor chain)."""
    chain = [elements[0], *elements[0].iterancestors()]
    rank = {id(node): index for index, node in enumerate(chain)}
    best = 0
    for element in elements[1:]:
        for node in [element, *element.iterancestors()]:
            index = rank.get(id(node))
            if index is not None:
                best = max(best, index)
                break
    candidate = chain[best]
    # A comment element itself is not the section: take its container.
    if candidate in elements:
        candidate = candidate.getparent() if candidate.getparent() is not None else candidate
    return candidate


def pruned_copy(element: Element, skip: set[int]) -> Element:
    """A copy of `element` without the subtrees of elements whose id() is in `skip` (nested
    comments). Built iteratively: searching this copy costs the comment's own size, not its
    replies', which keeps extraction linear however deep the thread."""
    root = element.makeelement(element.tag, dict(element.attrib))
    root.text = element.text
    stack = [(element, root)]
    while stack:
        source, target = stack.pop()
        last: Element | None = None
        for child in source:
            if id(child) in skip or not isinstance(child.tag, str):
                _append_text(target, last, child.tail)
                continue
            copied = _sub_element(target, child)
            copied.text, copied.tail = child.text, child.tail
            last = copied
            stack.append((child, copied))
    return root


def _sub_element(parent: Element, source: Element) -> Element:
    """A copy of `source` under `parent`. lxml's HTML parser accepts names it refuses to create
    (`<text<` becomes a tag 'text<'): such an element is copied as a <span> so its text survives."""
    try:
        return lxml.etree.SubElement(parent, source.tag, dict(source.attrib))
    except ValueError:
        return lxml.etree.SubElement(parent, "span")


def _append_text(parent: Element, last: Element | None, text: str | None) -> None:
    if not text:
        return
    if last is not None:
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


_PARENT_ATTRIBUTES = ("data-parent-id", "data-parent", "data-parentid", "data-reply-to", "data-in-reply-to")


def parent_attribute(element: Element, own_id: str) -> str | None:
    """A parent a comment element names itself (`data-parent-id="123"`); 0 or its own id: none."""
    for attribute in _PARENT_ATTRIBUTES:
        digits = re.search(r"(\d+)$", (element.get(attribute) or "").strip())
        if digits and digits.group(1).lstrip("0") and digits.group(1) != own_id:
            return digits.group(1)
    return None
