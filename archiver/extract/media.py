"""Every embedded media reference of the article, in document order (images, video, audio, embeds).

Order of the list: the lead image first (`in_body: false`), then the media of the body in document
order. Decisions, so readers of the records know what they get:

* The body is `body_node` from the body extractor, widened up to three levels to its enclosing
  article container (<article>, <main>, itemprop=articleBody, .entry-content and kin) so a node
  holding only the text column still yields the figures beside it; when it is None we fall back
  to the page's own article container.
* Comment sections, share bars, author boxes, related-post lists, ads and navigation inside the body
  are skipped; so are tracking pixels, icons, avatars, logos and spacers (media_filters.py).
* The lead image (lead_media.py) is an image the page SHOWS as its lead: the theme's
  featured-image markup (WordPress `wp-post-image`, `.post-thumbnail`, ...) or any displayed
  rendition of the declared sharing image (og:image, JSON-LD/microdata `image`, twitter:image)
  outside sidebars and widgets; always `in_body: false`. A declared image the page never shows
  is not media: it is the record's `image`. When the declared image is also in the body (same
  URL, another rendition of it — `-300x169`, `-1200-80`, `?width=` — or one of a body image's
  srcset candidates), the record keeps ONE entry, at its body position, with `in_body: true`.
* Entries are deduplicated by absolute URL; the first occurrence wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import lxml.html

from archiver.extract.document import Document
from archiver.extract.lead_media import declared_image, lead_image
from archiver.extract.media_chrome import is_furniture_image
from archiver.extract.media_filters import is_excluded_region, is_featured_region, is_kept_media
from archiver.extract.media_items import (
    amp_embed,
    caption_and_credit,
    figure_of,
    frame,
    image_from_img,
    image_from_picture,
    is_script_embed,
    playable,
    script_embed,
    wordpress_embed,
)
from archiver.extract.vocabulary import NON_MEDIA_TAGS

Builder = Callable[[lxml.html.HtmlElement, str], "dict[str, Any] | None"]

_BUILDERS: dict[str, Builder] = {
    "img": image_from_img,
    "picture": image_from_picture,
    "video": playable,
    "audio": playable,
    "iframe": frame,
    "embed": frame,
    "object": frame,
    # AMP pages name their media components differently.
    "amp-img": image_from_img,
    "amp-anim": image_from_img,
    "amp-video": playable,
    "amp-audio": playable,
    "amp-iframe": frame,
    "amp-youtube": amp_embed,
    "amp-vimeo": amp_embed,
    "amp-twitter": amp_embed,
    "amp-instagram": amp_embed,
}
# Containers whose children are already covered by the container's own entry.
_OPAQUE = frozenset(
    {"picture", "video", "audio", "iframe", "object", "embed"} | {t for t in _BUILDERS if "-" in t}
)
_WIDEN_LEVELS = 3
# Class tokens of the element CMSes wrap the article text in (the widening stops there).
_CONTENT_CONTAINERS = frozenset({
    "entry-content", "post-content", "article-body", "article-content", "story-body", "post-body",
    "content-body", "article__body", "article__content", "wp-block-post-content", "td-post-content",
})
_FALLBACK_SCOPES = (
    '//*[@itemprop="articleBody"]',
    '//*[contains(concat(" ", normalize-space(@class), " "), " entry-content ")]',
    "//article",
    "//main",
)


def _media_elements(
    node: lxml.html.HtmlElement, emitted: set[lxml.html.HtmlElement], skip: set[Any],
    body_path: set[Any],
) -> Iterator[lxml.html.HtmlElement]:
    """Media-bearing elements under `node` in document order, pruning non-article subtrees.
    `body_path` (the body node and its ancestors) is never pruned: whatever its class words say
    ("l-sidebar-fixed" layouts), the block holding the article text is not page chrome."""
    for child in node:
        tag = child.tag
        if not isinstance(tag, str) or tag in NON_MEDIA_TAGS:
            continue
        # Region words are read on containers only: an <img class="block-image-ads"> is content.
        if tag not in _BUILDERS and child not in body_path and (
                is_excluded_region(child) or is_featured_region(child)):
            continue
        if tag in _BUILDERS or is_script_embed(child) or _is_unrendered_embed(child):
            yield child
            if tag in _OPAQUE or tag not in _BUILDERS:
                continue
        if tag == "noscript" and _has_rendered_sibling(child, emitted):
            continue  # the lazy-loaded <img> beside it already gave this image
        if child in skip:
            continue
        yield from _media_elements(child, emitted, skip, body_path)


def _is_unrendered_embed(element: lxml.html.HtmlElement) -> bool:
    return element.tag == "figure" and "wp-block-embed" in (element.get("class") or "") and (
        element.find(".//iframe") is None and element.find(".//blockquote") is None
    )


def _has_rendered_sibling(noscript: lxml.html.HtmlElement, emitted: set[Any]) -> bool:
    """The classic lazy-load twin: a <noscript> holding one picture beside a rendered one. A
    <noscript> with several pictures is a gallery's fallback (the script shows one slide at a
    time) and is read; its copies of rendered pictures go out with the URL dedupe."""
    parent = noscript.getparent()
    if parent is None or len(noscript.xpath(".//img")) > 1:
        return False
    return any(
        element in emitted for element in parent.iter("img", "picture")
        if noscript not in element.iterancestors()
    )


def _build(element: lxml.html.HtmlElement, base_url: str) -> dict[str, Any] | None:
    if is_script_embed(element):
        return script_embed(element, base_url)
    if element.tag == "figure":
        return wordpress_embed(element, base_url)
    return _BUILDERS[str(element.tag)](element, base_url)


def _teaser_articles(scope: lxml.html.HtmlElement, body_node: Any) -> set[Any]:
    """Nested <article> cards inside the scope (teasers of other stories), when there are several;
    the one holding the body itself is never among them, nor an <article> that wraps an embed
    (CMSes wrap each Instagram/Twitter/video block in its own <article class="media">)."""
    nested = scope.xpath(".//article")
    if len(nested) < 2:
        return set()
    keep = set(body_node.iterancestors()) | {body_node} if body_node is not None else set()
    return {article for article in nested if article not in keep and not _wraps_embed(article)}


def _wraps_embed(article: lxml.html.HtmlElement) -> bool:
    return any(is_script_embed(node) or node.tag in ("iframe", "video", "audio")
               for node in article.iter("blockquote", "div", "iframe", "video", "audio"))


def body_media(
    scope: lxml.html.HtmlElement, base_url: str, body_node: Any = None
) -> list[tuple[dict[str, Any], Any]]:
    """(entry, element) for every media reference under `scope`, document order, filtered."""
    found: list[tuple[dict[str, Any], Any]] = []
    emitted: set[lxml.html.HtmlElement] = set()
    skip = _teaser_articles(scope, body_node)
    body_path = {body_node, *body_node.iterancestors()} if body_node is not None else set()
    groups: dict[Any, bool] = {}
    for element in _media_elements(scope, emitted, skip, body_path):
        item = _build(element, base_url)
        if item is None or not is_kept_media(item, element):
            continue
        if item["type"] == "image" and is_furniture_image(element, base_url, item["width"], item["height"], groups):
            continue
        if item["caption"] is None and item["type"] != "embed":
            figure = figure_of(element)
            if figure is not None:
                item["caption"], item["credit"] = caption_and_credit(figure)
        emitted.add(element)
        found.append((item, element))
    return found


def _fallback_scope(doc: Document) -> lxml.html.HtmlElement | None:
    for xpath in _FALLBACK_SCOPES:
        nodes = doc.tree.xpath(xpath)
        if nodes:
            return nodes[0]  # type: ignore[no-any-return]
    return None


def media_scope(doc: Document, body_node: lxml.html.HtmlElement | None) -> Any:
    """Where the body's media are looked for: the body node widened to its enclosing article
    container (a few levels up at most), so a body extractor that picked only the text column
    still gives the figures and embeds beside it; exclusion rules keep the extra chrome out."""
    if body_node is None:
        return _fallback_scope(doc)
    for level, ancestor in enumerate(body_node.iterancestors()):
        if level >= _WIDEN_LEVELS or ancestor.tag in ("body", "html"):
            break
        if ancestor.tag in ("article", "main") or ancestor.get("itemprop") == "articleBody":
            return ancestor
        if set((ancestor.get("class") or "").split()) & _CONTENT_CONTAINERS:
            return ancestor
    return body_node


def extract_media(doc: Document, body_node: lxml.html.HtmlElement | None) -> list[dict[str, Any]]:
    """Media references of the article: lead image first (in_body false), then body order.

    Never raises on odd markup: every builder tolerates missing attributes and junk values.
    """
    scope = media_scope(doc, body_node)
    found = body_media(scope, doc.url, body_node) if scope is not None else []
    lead = lead_image(doc, found, body_node)
    items: list[dict[str, Any]] = []
    if lead is not None:
        lead_item, lead_element = lead
        # The theme's featured image is the lead even when it sits inside <article>.
        found = [(item, element) for item, element in found if element is not lead_element]
        items.append(lead_item)
    seen: set[str] = set()
    unique = []
    for item in items + [item for item, _element in found]:
        if item["url"] not in seen:
            seen.add(item["url"])
            unique.append(item)
    return unique


def featured_image(doc: Document, media: list[dict[str, Any]]) -> str | None:
    """The record's `image`: the declared sharing image, else the lead image shown."""
    return declared_image(doc) or next((item["url"] for item in media if not item["in_body"]), None)
