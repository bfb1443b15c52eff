"""Every embedded media reference of the article, in document order (images, video, audio, embeds).

Order of the list: the lead image first (`in_body: false`), then the media of the body in document
order. Decisions, so readers of the records know what they get:

* The body is `body_node` from the body extractor, widened up to three levels to its enclosing
  article container (<article>, <main>, itemprop=articleBody, .entry-content and kin) so a node
  holding only the text column still yields the figures beside it; when it is None we fall back
  to the page's own article container.
* Comment sections, share bars, author boxes, related-post lists, ads and navigation inside the body
  are skipped; so are tracking pixels, icons, avatars, logos and spacers (media_filters.py).
* The lead image is the declared sharing image (og:image, JSON-LD/microdata `image`,
  twitter:image; site logos/defaults skipped), enriched (srcset, alt, caption) from the theme's
  featured-image markup (WordPress `wp-post-image`, `.post-thumbnail`, ...) when that shows the same
  picture; without a declaration, the first featured-image markup. Featured markup is always
  `in_body: false`. When a declared image is also in the body (same URL, another rendition of it —
  `-300x169`, `-1200-80`, `?width=` — or one of a body image's srcset candidates), the record keeps
  ONE entry, at its body position, with `in_body: true`: it is article content, and a second entry
  would only duplicate it.
* Entries are deduplicated by absolute URL; the first occurrence wins.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import lxml.html

from archiver.extract.document import Document
from archiver.extract.media_filters import (
    attribute_words,
    is_decorative_image,
    is_excluded_region,
    is_featured_region,
    is_tracking_url,
)
from archiver.extract.media_items import (
    amp_embed,
    caption_and_credit,
    frame,
    guess_mime,
    image_from_img,
    image_from_picture,
    is_script_embed,
    new_media,
    playable,
    script_embed,
    wordpress_embed,
)
from archiver.extract.metadata import article_json_ld
from archiver.extract.microdata import article_microdata
from archiver.extract.vocabulary import FEATURED_IMAGE_XPATH, NON_MEDIA_TAGS
from archiver.values import join_url, safe_absolute_url

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
# A declared sharing image with these words in its URL is the site's default card, not the article's.
_SITE_IMAGE_WORDS = frozenset({"logo", "favicon", "default", "placeholder", "fallback", "icon"})
_WIDEN_LEVELS = 3
# Class tokens of the element CMSes wrap the article text in (the widening stops there).
_CONTENT_CONTAINERS = frozenset({
    "entry-content", "post-content", "article-body", "article-content", "story-body", "post-body",
    "content-body", "article__body", "article__content", "wp-block-post-content", "td-post-content",
})
# Featured-image candidates compared with the declared og:image (related-post thumbnails reuse
# the same markup further down the page).
_MAX_FEATURED = 5
_RENDITION_SUFFIX = re.compile(r"(?:[-_]\d{2,4}x\d{0,4}|[-_]\d{3,4}-\d{2}|-scaled)(?=\.\w{3,4}$)")
_FALLBACK_SCOPES = (
    '//*[@itemprop="articleBody"]',
    '//*[contains(concat(" ", normalize-space(@class), " "), " entry-content ")]',
    "//article",
    "//main",
)


def _media_elements(
    node: lxml.html.HtmlElement, emitted: set[lxml.html.HtmlElement], skip: set[Any]
) -> Iterator[lxml.html.HtmlElement]:
    """Media-bearing elements under `node` in document order, pruning non-article subtrees."""
    for child in node:
        tag = child.tag
        if not isinstance(tag, str) or tag in NON_MEDIA_TAGS:
            continue
        # Region words are read on containers only: an <img class="block-image-ads"> is content.
        if tag not in _BUILDERS and (is_excluded_region(child) or is_featured_region(child)):
            continue
        if tag in _BUILDERS or is_script_embed(child) or _is_unrendered_embed(child):
            yield child
            if tag in _OPAQUE or tag not in _BUILDERS:
                continue
        if tag == "noscript" and _has_rendered_sibling(child, emitted):
            continue  # the lazy-loaded <img> beside it already gave this image
        if child in skip:
            continue
        yield from _media_elements(child, emitted, skip)


def _is_unrendered_embed(element: lxml.html.HtmlElement) -> bool:
    return element.tag == "figure" and "wp-block-embed" in (element.get("class") or "") and (
        element.find(".//iframe") is None and element.find(".//blockquote") is None
    )


def _has_rendered_sibling(noscript: lxml.html.HtmlElement, emitted: set[Any]) -> bool:
    parent = noscript.getparent()
    if parent is None:
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


def _figure_of(element: lxml.html.HtmlElement, levels: int = 4) -> lxml.html.HtmlElement | None:
    """The nearest <figure> (or WordPress .wp-caption) around a media element."""
    for ancestor in element.iterancestors():
        if ancestor.tag == "figure" or "wp-caption" in (ancestor.get("class") or "").split():
            return ancestor
        levels -= 1
        if levels == 0:
            return None
    return None


def _keep(item: dict[str, Any], element: lxml.html.HtmlElement) -> bool:
    if is_tracking_url(item["url"]):
        return False
    if item["type"] != "image":
        return True
    img = element.find(".//img") if element.tag == "picture" else element
    return not is_decorative_image(
        img if img is not None else element, item["url"], item["width"], item["height"]
    )


def _teaser_articles(scope: lxml.html.HtmlElement, body_node: Any) -> set[Any]:
    """Nested <article> cards inside the scope (teasers of other stories), when there are several;
    the one holding the body itself is never among them."""
    nested = scope.xpath(".//article")
    if len(nested) < 2:
        return set()
    keep = set(body_node.iterancestors()) | {body_node} if body_node is not None else set()
    return {article for article in nested if article not in keep}


def body_media(
    scope: lxml.html.HtmlElement, base_url: str, body_node: Any = None
) -> list[tuple[dict[str, Any], Any]]:
    """(entry, element) for every media reference under `scope`, document order, filtered."""
    found: list[tuple[dict[str, Any], Any]] = []
    emitted: set[lxml.html.HtmlElement] = set()
    skip = _teaser_articles(scope, body_node)
    for element in _media_elements(scope, emitted, skip):
        item = _build(element, base_url)
        if item is None or not _keep(item, element):
            continue
        if item["caption"] is None and item["type"] != "embed":
            figure = _figure_of(element)
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


def _outside_article(element: lxml.html.HtmlElement) -> bool:
    """True when an element sits in a sidebar, navigation, footer, comment section or widget."""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("article", "main", "body", "html"):
            # Above the article, class words describe page layout ("penci_sidebar" on the main
            # container, WordPress <body> classes), not the element.
            return False
        if ancestor.tag in ("aside", "nav", "footer") or is_excluded_region(ancestor):
            return True
    return False


def _json_ld_image(article: dict[str, Any] | None) -> str | None:
    value: Any = article.get("image") if article else None
    for _ in range(3):
        if isinstance(value, list):
            value = value[0] if value else None
        elif isinstance(value, dict):
            value = value.get("url") or value.get("contentUrl") or value.get("@id")
        else:
            break
    return value if isinstance(value, str) else None


def _declared_lead_url(doc: Document) -> str | None:
    """The lead image the page declares for sharing: og:image, JSON-LD image, twitter:image."""
    candidates = [
        doc.meta_first("og:image", "og:image:url", "og:image:secure_url"),
        _json_ld_image(article_json_ld(doc)),
        _json_ld_image(article_microdata(doc)),
        doc.meta_first("twitter:image", "twitter:image:src", "thumbnailurl"),
    ]
    for candidate in candidates:
        url = safe_absolute_url(join_url(doc.url, candidate)) if candidate else None
        if not url or is_tracking_url(url):
            continue
        filename = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        if not attribute_words(filename) & _SITE_IMAGE_WORDS:
            return url
    return None


def image_key(url: str) -> str:
    """The identity of a picture across its renditions: no query, no size suffix
    ("photo-300x169.jpg", "photo-1200-80.png", "photo-scaled.jpg" -> "photo.jpg")."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    # Image CDNs/proxies wrap the original: ".../q_lossy,w_750/https://site/a.jpg" is a.jpg.
    inner = max(path.rfind("/http://"), path.rfind("/https://"))
    if inner > 0:
        path = path[inner + 1:]
    return _RENDITION_SUFFIX.sub("", path.replace("http://", "https://", 1))


def _image_urls(item: dict[str, Any]) -> set[str]:
    return {image_key(url) for url in (item["url"], *(entry["url"] for entry in item["srcset"]))}


def _featured_images(doc: Document) -> Iterator[tuple[dict[str, Any], Any]]:
    """Images in the theme's featured-image markup, in document order, decoration filtered."""
    for img in doc.tree.xpath(FEATURED_IMAGE_XPATH):
        item = image_from_img(img, doc.url)
        if item is not None and _keep(item, img) and not _outside_article(img):
            figure = _figure_of(img)
            if figure is not None:
                item["caption"], item["credit"] = caption_and_credit(figure)
            item["in_body"] = False
            yield item, img


def _lead_image(doc: Document) -> tuple[dict[str, Any], Any] | None:
    """The lead image: the declared sharing image (og:image, ...), enriched from the featured
    markup showing the same picture; without a declaration, the first featured image."""
    declared = _declared_lead_url(doc)
    candidates = _featured_images(doc)
    if declared is None:
        return next(candidates, None)
    key = image_key(declared)
    for item, img in itertools.islice(candidates, _MAX_FEATURED):
        if key in _image_urls(item):
            return item, img
    return new_media("image", declared, in_body=False, mime=guess_mime(declared)), None


def extract_media(doc: Document, body_node: lxml.html.HtmlElement | None) -> list[dict[str, Any]]:
    """Media references of the article: lead image first (in_body false), then body order.

    Never raises on odd markup: every builder tolerates missing attributes and junk values.
    """
    scope = media_scope(doc, body_node)
    found = body_media(scope, doc.url, body_node) if scope is not None else []
    lead = _lead_image(doc)
    items: list[dict[str, Any]] = []
    if lead is not None:
        lead_item, lead_element = lead
        if lead_element is not None:
            # The theme's featured image is the lead even when it sits inside <article>.
            found = [(item, element) for item, element in found if element is not lead_element]
            items.append(lead_item)
        elif not any(
            _image_urls(lead_item) & _image_urls(item) for item, _el in found if item["type"] == "image"
        ):
            items.append(lead_item)
    seen: set[str] = set()
    unique = []
    for item in items + [item for item, _element in found]:
        if item["url"] not in seen:
            seen.add(item["url"])
            unique.append(item)
    return unique
