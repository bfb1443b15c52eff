"""Build one entry of the record's `media` list (`$defs/media` in archiver/schema/record.schema.json)
from one element: img, picture, video, audio, iframe, embed/object, or a script-driven blockquote embed.

Each builder returns None when the element holds no usable URL, so the caller never checks twice.
"""

from __future__ import annotations

import mimetypes
import re
from typing import Any

import lxml.html

from archiver.extract.lazy_media import src_candidates, srcset_candidates
from archiver.extract.media_embeds import (
    BLOCKQUOTE_EMBEDS,
    TWEET_STATUS_URL,
    blockquote_embed_url,
    canonical_embed_url,
    embed_class,
    is_ad_iframe,
    provider_for,
)
from archiver.extract.srcset import largest_candidate, parse_srcset
from archiver.extract.vocabulary import CREDIT_CLASS_WORDS
from archiver.values import clean_inline, join_url, safe_absolute_url

_INT = re.compile(r"^\s*(\d{1,6})(?:\.\d+)?\s*(?:px)?\s*$")
# src values lazy loaders put in place of the real image.
_PLACEHOLDER_SRC = re.compile(
    r"^(?:data|about|javascript):|(?:^|/)(?:[a-z]{1,4}[-_])?(?:blank|spacer|pixel|transparent|placeholder|lazy|"
    r"lazyload|lazy-load|loading|loader|preload|preloader|preloaderbig|spinner|1x1|empty|grey|gray|trans|clear|dot)"
    r"(?:[-_]?(?:\d+x\d+|img|image|pixel|placeholder|gif))?\.(?:gif|png|svg)(?:$|[?#])",
    re.IGNORECASE,
)


_CREDIT_LABEL = re.compile(
    r"^(?:(?:image|photo|picture|video)\s+)?(?:credit|copyright|courtesy|source)s?\s*(?:of)?\s*:?\s*"
    r"|^(?:photo(?:graph)?|foto|bild|image|picture)\s*:\s*|^©\s*",
    re.IGNORECASE,
)


def new_media(kind: str, url: str, *, in_body: bool, **fields: Any) -> dict[str, Any]:
    """A media entry with every schema key present (null/[] when unknown)."""
    item: dict[str, Any] = {
        "type": kind, "url": url, "srcset": [], "caption": None, "alt": None, "credit": None,
        "width": None, "height": None, "mime": None, "provider": None, "in_body": in_body,
    }
    item.update(fields)
    return item


def dimension(value: str | None) -> int | None:
    """An integer pixel size from "640", "640px", "640.0"; None for "100%", "auto", junk."""
    if not value:
        return None
    match = _INT.match(value)
    return int(match.group(1)) if match else None


def absolute(base_url: str, value: str | None) -> str | None:
    if not value or _PLACEHOLDER_SRC.search(value.strip()[:200]):
        return None
    return safe_absolute_url(join_url(base_url, value.strip()))


def guess_mime(url: str) -> str | None:
    mime, _encoding = mimetypes.guess_type(url.split("?", 1)[0], strict=False)
    return mime


def image_source(img: lxml.html.HtmlElement, base_url: str) -> tuple[str | None, list[Any]]:
    """The URL an <img> finally shows and its srcset; lazy-load attributes win over `src`
    because the lazy loader overwrites `src` with them."""
    srcset: list[Any] = []
    for value in srcset_candidates(img):
        srcset = parse_srcset(value, base_url)
        if srcset:
            break
    for value in src_candidates(img):
        url = absolute(base_url, value)
        if url:
            return url, srcset
    return largest_candidate(srcset), srcset


def image_from_img(img: lxml.html.HtmlElement, base_url: str) -> dict[str, Any] | None:
    url, srcset = image_source(img, base_url)
    if not url:
        return None
    sizes = clean_inline(img.get("sizes") or img.get("data-sizes")) if srcset else None
    return new_media(
        "image", url, in_body=True, srcset=srcset, alt=clean_inline(img.get("alt")),
        width=dimension(img.get("width") or img.get("data-width")),
        height=dimension(img.get("height") or img.get("data-height")), mime=guess_mime(url),
        sizes=sizes,
    )


def image_from_picture(picture: lxml.html.HtmlElement, base_url: str) -> dict[str, Any] | None:
    """A <picture>: the <img> fallback is the URL; every <source> candidate joins the srcset."""
    img = picture.find(".//img")
    item = image_from_img(img, base_url) if img is not None else None
    candidates: list[Any] = []
    for source in picture.iter("source"):
        for value in (*srcset_candidates(source), source.get("src")):
            found = parse_srcset(value, base_url)
            if found:
                candidates.extend(found)
                break
    if item is None:
        url = largest_candidate(candidates)
        if not url:
            return None
        item = new_media("image", url, in_body=True, mime=guess_mime(url))
    known = {entry["url"] for entry in item["srcset"]}
    item["srcset"] += [entry for entry in candidates if entry["url"] not in known]
    return item


def playable(element: lxml.html.HtmlElement, base_url: str) -> dict[str, Any] | None:
    """<video>/<audio>: `src` or the first <source>; every source listed with its type."""
    sources: list[dict[str, str]] = []
    own = absolute(base_url, element.get("src") or element.get("data-src"))
    if own:
        sources.append({"url": own, "mime": clean_inline(element.get("type")) or ""})
    for source in element.iter("source"):
        url = absolute(base_url, source.get("src") or source.get("data-src"))
        if url and all(url != known["url"] for known in sources):
            sources.append({"url": url, "mime": clean_inline(source.get("type")) or ""})
    if not sources:
        return None
    url = sources[0]["url"]
    kind = "video" if element.tag in ("video", "amp-video") else "audio"
    item = new_media(
        kind, url, in_body=True, mime=sources[0]["mime"] or guess_mime(url),
        width=dimension(element.get("width")), height=dimension(element.get("height")),
        sources=[{"url": s["url"], "mime": s["mime"] or guess_mime(s["url"])} for s in sources],
    )
    poster = absolute(base_url, element.get("poster") or element.get("data-poster"))
    if kind == "video":
        item["poster"] = poster
    return item


def frame(element: lxml.html.HtmlElement, base_url: str) -> dict[str, Any] | None:
    """<iframe> (lazy `data-src` too), <embed src> and <object data> with their provider."""
    own = element.get("data") if element.tag == "object" else None
    url = next((found for value in (*src_candidates(element), own)
                if (found := absolute(base_url, value))), None)
    if not url or is_ad_iframe(url):
        return None
    url = canonical_embed_url(url)
    kind = "iframe" if element.tag in ("iframe", "amp-iframe") else "embed"
    return new_media(
        kind, url, in_body=True, provider=provider_for(url),
        width=dimension(element.get("width")), height=dimension(element.get("height")),
        mime=clean_inline(element.get("type")),
    )


# AMP embed components: tag -> (id attribute, URL template, media type, provider).
_AMP_EMBEDS = {
    "amp-youtube": ("data-videoid", "https://www.youtube.com/embed/{}", "iframe", "YouTube"),
    "amp-vimeo": ("data-videoid", "https://player.vimeo.com/video/{}", "iframe", "Vimeo"),
    "amp-twitter": ("data-tweetid", TWEET_STATUS_URL, "embed", "Twitter"),
    "amp-instagram": ("data-shortcode", "https://www.instagram.com/p/{}/", "embed", "Instagram"),
}


def amp_embed(element: lxml.html.HtmlElement, base_url: str) -> dict[str, Any] | None:
    """<amp-youtube data-videoid>, <amp-twitter data-tweetid>, ...: the URL the id stands for."""
    attribute, template, kind, provider = _AMP_EMBEDS[str(element.tag)]
    identifier = (element.get(attribute) or "").strip()
    if not re.fullmatch(r"[\w-]{1,64}", identifier):
        return None
    return new_media(kind, template.format(identifier), in_body=True, provider=provider,
                     width=dimension(element.get("width")), height=dimension(element.get("height")))


def script_embed(element: lxml.html.HtmlElement, base_url: str) -> dict[str, Any] | None:
    """A blockquote/div the provider's script turns into an embed (tweet, Instagram, TikTok, ...)."""
    word = embed_class(element)
    if word is None:
        return None
    url = blockquote_embed_url(element, word, base_url)
    if not url:
        # Saved after the provider's script ran: the blockquote became the player's iframe.
        inner = element.find(".//iframe")
        rendered = frame(inner, base_url) if inner is not None else None
        url = rendered["url"] if rendered else None
    if not url:
        return None
    caption = clean_inline(element.text_content())
    return new_media("embed", url, in_body=True, provider=BLOCKQUOTE_EMBEDS[word],
                     caption=caption[:500] if caption else None)


def wordpress_embed(element: lxml.html.HtmlElement, base_url: str) -> dict[str, Any] | None:
    """A WordPress embed block whose oEmbed did not render: its wrapper holds the bare URL."""
    wrapper = element.find('.//div[@class="wp-block-embed__wrapper"]')
    text = clean_inline(wrapper.text_content()) if wrapper is not None else None
    url = absolute(base_url, text) if text and " " not in text else None
    if not url:
        return None
    return new_media("embed", url, in_body=True, provider=provider_for(url))


def figure_of(element: lxml.html.HtmlElement, levels: int = 4) -> lxml.html.HtmlElement | None:
    """The nearest <figure> (or WordPress .wp-caption) around a media element."""
    for ancestor in element.iterancestors():
        if ancestor.tag == "figure" or "wp-caption" in (ancestor.get("class") or "").split():
            return ancestor
        levels -= 1
        if levels == 0:
            return None
    return None


def is_credit(element: lxml.html.HtmlElement) -> bool:
    label = f"{element.get('class') or ''} {element.get('itemprop') or ''}".lower()
    return any(word in label for word in CREDIT_CLASS_WORDS) or "copyrightholder" in label


def caption_and_credit(container: lxml.html.HtmlElement) -> tuple[str | None, str | None]:
    """Caption text of a figure (or WordPress .wp-caption) and its photo credit where marked."""
    caption_node = None
    for child in container:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "figcaption" or "wp-caption-text" in (child.get("class") or ""):
            caption_node = child
            break
    scope = caption_node if caption_node is not None else container
    credit_nodes = [
        node for node in scope.iterdescendants() if isinstance(node.tag, str) and is_credit(node)
    ]
    raw_credit = clean_inline(credit_nodes[0].text_content()) if credit_nodes else None
    if caption_node is None:
        return None, clean_credit(raw_credit)
    caption = clean_inline(caption_node.text_content())
    if caption and raw_credit and caption.endswith(raw_credit):
        caption = clean_inline(caption[: -len(raw_credit)])
    return caption, clean_credit(raw_credit)


def clean_credit(credit: str | None) -> str | None:
    """"(Image credit: NASA)" -> "NASA": the label and brackets are layout, not the credit."""
    if not credit:
        return None
    credit = _CREDIT_LABEL.sub("", credit.strip().strip("()[]")).strip(" :")
    return credit or None


def is_script_embed(element: lxml.html.HtmlElement) -> bool:
    return embed_class(element) is not None
