"""Which images are decoration (tracking pixels, icons, avatars, logos, spacers) rather than content.

Kept apart from media.py so the rules can be read, and tuned, in one place.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html

from archiver.extract.vocabulary import (
    DECORATIVE_IMAGE_WORDS,
    FEATURED_REGION,
    NON_ARTICLE_REGION_PATTERN,
    NON_ARTICLE_REGION_PREFIXES,
    NON_ARTICLE_REGION_WORDS,
    TRACKING_URL_FRAGMENTS,
)

_WORDS = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_SPLIT = re.compile(r"[-_]")
_FEATURED_REGION = re.compile(FEATURED_REGION, re.IGNORECASE)
_NON_ARTICLE_REGION = re.compile(NON_ARTICLE_REGION_PATTERN, re.IGNORECASE)
# Icons/avatars are small; a declared size this small on both sides is never an article photo.
_ICON_MAX_SIDE = 48
# File names that announce decoration ("print-header-logo.png", "sprite.png", "avatar-96.jpg").
_DECORATIVE_FILENAME_WORDS = frozenset({"logo", "favicon", "sprite", "spacer", "avatar", "gravatar"})


def attribute_words(*values: str | None) -> set[str]:
    """Lower-cased class/id words plus their dash/underscore parts ("author-box" -> author, box)."""
    words: set[str] = set()
    for value in values:
        if not value:
            continue
        for word in _WORDS.findall(value.lower()):
            words.add(word)
            words.update(_SPLIT.split(word))
    return words


def is_excluded_region(element: lxml.html.HtmlElement) -> bool:
    """True for subtrees whose media never belong to the article (comments, share bars, ads, ...)."""
    label = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    for token in label.split():
        if token in NON_ARTICLE_REGION_WORDS or token.startswith(NON_ARTICLE_REGION_PREFIXES):
            return True
    return bool(_NON_ARTICLE_REGION.search(label))


def is_featured_region(element: lxml.html.HtmlElement) -> bool:
    """True for the featured-image container of a post (handled as the lead image)."""
    return bool(_FEATURED_REGION.search(element.get("class") or ""))


def is_tracking_url(url: str) -> bool:
    lowered = url.lower()
    return any(fragment in lowered for fragment in TRACKING_URL_FRAGMENTS)


def is_decorative_image(
    element: lxml.html.HtmlElement, url: str, width: int | None, height: int | None
) -> bool:
    """True for tracking pixels, icons, avatars, logos and spacers."""
    if is_tracking_url(url):
        return True
    if (width is not None and width <= 2) or (height is not None and height <= 2):
        return True
    if width is not None and height is not None and max(width, height) <= _ICON_MAX_SIDE:
        return True
    if url.lower().split("?", 1)[0].endswith((".ico", ".cur")):
        return True
    filename = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    if attribute_words(filename) & _DECORATIVE_FILENAME_WORDS:
        return True
    words = attribute_words(element.get("class"), element.get("id"))
    parent = element.getparent()
    if parent is not None and parent.tag in ("a", "span", "picture", "div"):
        words |= attribute_words(parent.get("class"), parent.get("id"))
    return bool(words & DECORATIVE_IMAGE_WORDS)


def is_kept_media(item: dict[str, Any], element: lxml.html.HtmlElement) -> bool:
    """Whether a built media entry is article media: no tracker, and for images no decoration."""
    if is_tracking_url(item["url"]):
        return False
    if item["type"] != "image":
        return True
    img = element.find(".//img") if element.tag == "picture" else element
    return not is_decorative_image(
        img if img is not None else element, item["url"], item["width"], item["height"]
    )
