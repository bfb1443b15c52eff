"""Where an element sits on the page: inside the article, or in chrome (comments, sidebars, menus).

Metadata read from markup (bylines, time elements, tag links) must come from the article, never from
a comment thread or a "recent posts" widget; this one check keeps that rule in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import lxml.html

from archiver.extract.vocabulary import (
    CHROME_REGION_WORDS,
    CHROME_TAGS,
    NON_ARTICLE_REGION_PREFIXES,
)

_COMMENT_PREFIXES = tuple(p for p in NON_ARTICLE_REGION_PREFIXES if "comment" in p or "disqus" in p)


def is_chrome(element: lxml.html.HtmlElement) -> bool:
    """True for a comment section, sidebar, widget, menu or site footer element itself."""
    if element.tag in CHROME_TAGS:
        return True
    label = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return any(
        token in CHROME_REGION_WORDS or token.startswith(_COMMENT_PREFIXES)
        for token in label.split()
    )


def in_chrome(element: lxml.html.HtmlElement) -> bool:
    """True when the element or one of its ancestors is page chrome (see is_chrome)."""
    if is_chrome(element):
        return True
    return any(is_chrome(ancestor) for ancestor in element.iterancestors())


def article_elements(
    elements: Iterable[lxml.html.HtmlElement],
) -> Iterator[lxml.html.HtmlElement]:
    """`elements` without those in page chrome, order kept; lazy, as callers often stop early."""
    return (element for element in elements if not in_chrome(element))
