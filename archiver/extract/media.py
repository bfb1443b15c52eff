"""Every embedded media reference of the article, in document order (images, video, audio, embeds).

First pass: images and iframes inside the body plus the lead image; the extraction issue completes it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import lxml.html

from archiver.extract.document import Document
from archiver.normalize import safe_absolute_url


def _media(kind: str, url: str, *, in_body: bool, **fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": kind, "url": url, "srcset": [], "caption": None, "alt": None, "credit": None,
        "width": None, "height": None, "mime": None, "provider": None, "in_body": in_body,
    }
    item.update(fields)
    return item


def extract_media(doc: Document, body_node: lxml.html.HtmlElement | None) -> list[dict[str, Any]]:
    """Media references of the article: lead image first (in_body false), then body order."""
    found: list[dict[str, Any]] = []
    seen: set[str] = set()

    def add(item: dict[str, Any]) -> None:
        if item["url"] not in seen:
            seen.add(item["url"])
            found.append(item)

    lead = safe_absolute_url(urljoin(doc.url, doc.meta_first("og:image", "twitter:image") or ""))
    if lead:
        add(_media("image", lead, in_body=False))
    if body_node is None:
        return found
    for element in body_node.iter("img", "iframe", "video", "audio"):
        src = element.get("src") or element.get("data-src")
        url = safe_absolute_url(urljoin(doc.url, src)) if src else None
        if not url:
            continue
        kind = {"img": "image"}.get(str(element.tag), str(element.tag))
        add(_media(kind, url, in_body=True, alt=element.get("alt") if kind == "image" else None))
    return found
