"""The article's featured image: the one it declares for sharing, and the lead image it shows.

Two different things, kept apart in the record:

* `image` (record key): the picture the page declares for link previews — og:image, JSON-LD or
  microdata `image`, twitter:image (site logos and default cards skipped); without a declaration,
  the lead image shown. Many pages never display it (a branded 1200x630 social card, a crop made
  for feeds), so it is not by itself article media.
* the lead image (a `media` entry with `in_body: false`): an image the page SHOWS as the article's
  lead — the theme's featured-image markup, or any displayed picture (an <img>, a <picture>
  source, a CSS background of a hero block) that is a rendition of the declared image, outside
  sidebars, navigation and widgets. When the body itself holds the declared picture, the body
  entry stands and there is no separate lead entry.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import unquote

import lxml.html

from archiver.extract.document import Document
from archiver.extract.lazy_media import src_candidates, srcset_candidates
from archiver.extract.media_chrome import is_furniture_image
from archiver.extract.media_filters import attribute_words, is_excluded_region, is_kept_media, is_tracking_url
from archiver.extract.media_items import (
    absolute,
    caption_and_credit,
    figure_of,
    guess_mime,
    image_from_img,
    image_from_picture,
    new_media,
)
from archiver.extract.metadata import article_json_ld
from archiver.extract.microdata import article_microdata
from archiver.extract.srcset import parse_srcset
from archiver.extract.vocabulary import FEATURED_IMAGE_XPATH, LAZY_SRCSET_ATTRS
from archiver.values import join_url, safe_absolute_url

Found = list[tuple[dict[str, Any], Any]]

# A declared sharing image with these words in its file name is the site's default card.
_SITE_IMAGE_WORDS = frozenset({"logo", "favicon", "default", "placeholder", "fallback", "icon", "blank"})
# Featured-image candidates compared with the declared image (related-post thumbnails reuse the
# same markup further down the page).
_MAX_FEATURED = 5
_RENDITION_SUFFIX = re.compile(r"(?:[-_]\d{2,4}x\d{0,4}|[-_]\d{3,4}-\d{2}|-scaled)(?=\.\w{3,4}$)")
# A last path segment that only names a size (".../bild/wide__1300x731", ".../640x360"): a rendition.
_RENDITION_SEGMENT = re.compile(r"/[a-z_-]{0,12}\d{2,4}x\d{2,4}$", re.IGNORECASE)
_DISTINCTIVE_NAME = 12
# The hero above a headline: how far from the <h1> it is looked for, and how wide it must be
# when it is neither a <figure> nor a <picture>.
_HERO_LEVELS = 3
_HERO_SIBLINGS = 3
# A hero is among a block's first images.
_BLOCK_FIRST_IMAGES = 3
_HERO_MIN_WIDTH = 300
_NOT_HERO_TAGS = frozenset({"nav", "aside", "footer", "script", "style", "form", "button"})
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)$", re.IGNORECASE)
_SERVED_FILE = re.compile(r"(?:^|&)(?:src|url|image|img|file|path)=([^&]+?\.(?:jpe?g|png|gif|webp|avif))(?:&|$)",
                          re.IGNORECASE)
_BACKGROUND_URL = re.compile(r"background(?:-image)?\s*:[^;]*?url\(\s*['\"]?([^'\")]+)", re.IGNORECASE)


def image_key(url: str) -> str:
    """The identity of a picture across its renditions: no query, no size suffix
    ("photo-300x169.jpg", "photo-1200-80.png", "photo-scaled.jpg" -> "photo.jpg")."""
    path, _, query = url.split("#", 1)[0].partition("?")
    served = _SERVED_FILE.search(query) if query and not _IMAGE_FILE.search(path) else None
    if served:
        # A resizing script (`image.php?src=/images/a.jpg&w=660`): the picture is its parameter,
        # the same file the page may also link directly.
        file = unquote(served.group(1))
        origin = "/".join(path.split("/", 3)[:3])
        path = file if file.startswith(("http://", "https://")) else (
            origin + file if file.startswith("/") else f"{path}?{file}")
    # Image CDNs/proxies wrap the original: ".../q_lossy,w_750/https://site/a.jpg" is a.jpg.
    inner = max(path.rfind("/http://"), path.rfind("/https://"))
    if inner > 0:
        path = path[inner + 1:]
    path = _RENDITION_SEGMENT.sub("", path.rstrip("/"))
    return _RENDITION_SUFFIX.sub("", path.replace("http://", "https://", 1))


def picture_name(url: str) -> str | None:
    """The file name of a picture without rendition suffix and extension, when it is distinctive
    enough to identify the picture across CDN paths (Drupal `/styles/<style>/public/`, Cloudinary
    `c_fill,w_1200/`, `/thumbnail/640x360/<hash>/`); None for short generic names ("preview",
    "rawImage", "6720") that many pictures share."""
    return _name_from_key(image_key(url))


def _name_from_key(key: str) -> str | None:
    """picture_name, given the picture's image_key."""
    stem = key.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem if len(stem) >= _DISTINCTIVE_NAME and any(c.isdigit() or c in "-_" for c in stem) else None


def _item_urls(item: dict[str, Any]) -> tuple[str, ...]:
    """A media entry's URL and every srcset candidate."""
    return (item["url"], *(entry["url"] for entry in item["srcset"]))


def image_keys(item: dict[str, Any]) -> set[str]:
    """The picture identities of a media entry: its URL and every srcset candidate."""
    return {image_key(url) for url in _item_urls(item)}


def _identities_of(urls: Iterable[str]) -> set[str]:
    """Exact rendition key of each URL plus, when distinctive, its bare picture name."""
    identities: set[str] = set()
    for url in urls:
        key = image_key(url)
        identities.add(key)
        name = _name_from_key(key)
        if name:
            identities.add(name)
    return identities


def _item_identities(item: dict[str, Any]) -> set[str]:
    return _identities_of(_item_urls(item))


def declared_image(doc: Document) -> str | None:
    """The image the page declares for sharing: og:image, JSON-LD image, microdata, twitter:image."""
    if "declared_image" not in doc._cache:
        doc._cache["declared_image"] = _declared_image(doc)
    found: str | None = doc._cache["declared_image"]
    return found


def _declared_image(doc: Document) -> str | None:
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


def outside_article(element: lxml.html.HtmlElement) -> bool:
    """True when an element sits in a sidebar, navigation, footer, comment section or widget."""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("article", "main", "body", "html"):
            # Above the article, class words describe page layout ("penci_sidebar" on the main
            # container, WordPress <body> classes), not the element.
            return False
        if ancestor.tag in ("aside", "nav", "footer"):
            return True
        if is_excluded_region(ancestor) and ancestor.find(".//h1") is None:
            # A block holding the headline is the article's own wrapper, whatever its class
            # says ("advert-content-wrap", "modal-enabled"): layout words, not a sidebar.
            return True
    return False


def _featured_images(doc: Document) -> Iterator[tuple[dict[str, Any], Any]]:
    """Images in the theme's featured-image markup, in document order, decoration filtered."""
    for img in doc.tree.xpath(FEATURED_IMAGE_XPATH):
        item = image_from_img(img, doc.url)
        if item is not None and is_kept_media(item, img) and not outside_article(img):
            yield _as_lead(item, img)


def _as_lead(item: dict[str, Any], element: Any) -> tuple[dict[str, Any], Any]:
    figure = figure_of(element)
    if figure is not None and item["caption"] is None:
        item["caption"], item["credit"] = caption_and_credit(figure)
    item["in_body"] = False
    return item, element


def _element_keys(element: lxml.html.HtmlElement, base_url: str) -> set[str]:
    """Picture identities an <img>, <source> or styled block displays (lazy attributes too)."""
    urls: list[str]
    if element.tag == "source":
        urls = [str(entry["url"]) for attribute in ("srcset", *LAZY_SRCSET_ATTRS, "src")
                for entry in parse_srcset(element.get(attribute), base_url)]
    elif element.tag in ("img", "amp-img"):
        # every URL the element names (a lazy `data-src` and the `src` it replaces can be two
        # renditions, only one of them spelled like the declared image)
        urls = [url for value in src_candidates(element) if (url := absolute(base_url, value))]
        urls += [str(entry["url"]) for value in srcset_candidates(element)
                 for entry in parse_srcset(value, base_url)]
    else:
        match = _BACKGROUND_URL.search(element.get("style") or "")
        background = safe_absolute_url(join_url(base_url, match.group(1).strip())) if match else None
        urls = [background] if background else []
    return _identities_of(urls)


def _shown_image(doc: Document, declared: str, wanted: set[str]) -> tuple[dict[str, Any], Any] | None:
    """The displayed picture (outside page chrome and teaser cards) that is a rendition of the
    declared image (`wanted`: its identities), as a lead entry."""
    # Every identity is a substring of the URLs it comes from: elements whose attributes hold
    # none of their last segments cannot show the picture (skips building keys for most images).
    stems = {identity.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0] for identity in wanted}
    for element in doc.tree.xpath("//img | //amp-img | //source | //*[contains(@style, 'url(')]"):
        values = " ".join(element.attrib.values())
        if not any(stem in values for stem in stems):
            continue
        if not wanted & _element_keys(element, doc.url) or outside_article(element):
            continue
        shown = _displayed_entry(element, doc.url, background=declared)
        if shown is not None:
            return _as_lead(*shown)
    return None


def _displayed_entry(element: lxml.html.HtmlElement, base_url: str,
                     background: str | None = None) -> tuple[dict[str, Any], Any] | None:
    """(entry, element) for the picture an element displays: the <picture> it belongs to, an
    <img>, or a styled block showing `background`; None for a <source> of <video>/<audio>, and
    for decoration or page furniture (share buttons, ads, teaser cards)."""
    picture = _picture_of(element)
    if picture is not None:
        item, element = image_from_picture(picture, base_url), picture
    elif element.tag in ("img", "amp-img"):
        item = image_from_img(element, base_url)
    elif element.tag != "source" and background is not None:
        item = new_media("image", background, in_body=False, mime=guess_mime(background))
    else:
        return None
    if item is None or not is_kept_media(item, element) or is_furniture_image(
            element, base_url, item["width"], item["height"]):
        return None
    return item, element


def _picture_of(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The <picture> an <img>/<source> belongs to (libxml2 nests <img> inside <source>)."""
    for ancestor in itertools.islice(element.iterancestors(), 2):
        if ancestor.tag == "picture":
            return ancestor
    return None


def lead_image(doc: Document, body_found: Found, body_node: Any) -> tuple[dict[str, Any], Any] | None:
    """The lead image the page shows, as (entry, element), or None. A declared image is the lead
    where the page shows it outside the body; the featured markup otherwise, when it comes
    before the article text (featured markup after it is a related-post thumbnail)."""
    declared = declared_image(doc)
    featured = list(itertools.islice(_featured_images(doc), _MAX_FEATURED))
    if declared is None:
        return featured[0] if featured else _hero_before_headline(doc, body_found)
    key = image_key(declared)
    for item, img in featured:
        if key in image_keys(item):
            return item, img
    wanted = _identities_of([declared])
    if any(wanted & _item_identities(item) for item, _element in body_found if item["type"] == "image"):
        return None  # the body shows it: one entry, at its body position
    shown = _shown_image(doc, declared, wanted)
    if shown is not None:
        return shown
    if featured and body_node is not None and precedes(featured[0][1], body_node):
        return featured[0]
    return _hero_before_headline(doc, body_found)


def _hero_before_headline(doc: Document, body_found: Found) -> tuple[dict[str, Any], Any] | None:
    """A news page's lead picture placed above the headline: a <figure>/<picture> (or an image
    declared 300 px wide or more) just before the <h1> or before the block holding it."""
    headline = doc.tree.find(".//h1")
    if headline is None:
        return None
    in_body = {element for _item, element in body_found}
    node = headline
    for _level in range(_HERO_LEVELS):
        for sibling in itertools.islice(node.itersiblings(preceding=True), _HERO_SIBLINGS):
            hero = _hero_in(sibling, doc.url)
            if hero is not None and hero[1] not in in_body:
                return hero
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return None
        node = parent
    return None


def _hero_in(block: lxml.html.HtmlElement, base_url: str) -> tuple[dict[str, Any], Any] | None:
    if not isinstance(block.tag, str) or block.tag in _NOT_HERO_TAGS or is_excluded_region(block):
        return None
    for img in itertools.islice(block.iter("img"), _BLOCK_FIRST_IMAGES):
        shown = _displayed_entry(img, base_url)
        if shown is None or outside_article(shown[1]):
            continue
        item, element = shown
        if element.tag == "picture" or figure_of(img) is not None or (item["width"] or 0) >= _HERO_MIN_WIDTH:
            return _as_lead(item, element)
    return None


def precedes(first: lxml.html.HtmlElement, second: lxml.html.HtmlElement) -> bool:
    """Whether `first` comes before `second` in document order (and is not inside it)."""
    positions: dict[Any, int] = {}
    child = first
    for ancestor in first.iterancestors():
        positions[ancestor] = ancestor.index(child)
        child = ancestor
    if second in positions:
        return False  # `first` is inside `second`
    child = second
    for ancestor in second.iterancestors():
        if ancestor in positions:
            return positions[ancestor] < ancestor.index(child)
        child = ancestor
    return False
