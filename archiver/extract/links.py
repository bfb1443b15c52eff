"""Outgoing links of a page (for site crawls and WARC metadata records) and feed/sitemap discovery."""

from __future__ import annotations

import re
from urllib.parse import urldefrag

from archiver.extract.document import Document
from archiver.values import join_url, safe_absolute_url

_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json"}


def outlinks(doc: Document) -> list[str]:
    """Absolute http(s) targets of <a href> in document order, fragments dropped, no duplicates."""
    base = doc.url
    base_elements = doc.tree.xpath("//base[@href]")
    if base_elements:
        base = join_url(doc.url, base_elements[0].get("href")) or doc.url
    seen: set[str] = set()
    links: list[str] = []
    for anchor in doc.tree.iter("a", "area"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        url = _absolute(base, href)
        if url and url not in seen:
            seen.add(url)
            links.append(url)
    return links


# Scheme, host, optional port, then only characters every URL normaliser leaves alone.
_PLAIN_URL = re.compile(r"^https?://[a-z0-9.-]+(?::\d+)?(?:[/?][A-Za-z0-9\-._~:/?@!$&'()*+,;=]*)?$")


def _absolute(base: str, href: str) -> str | None:
    """`href` resolved against `base`, fragment dropped, made safe; plain ASCII URLs skip the
    costly w3lib escaping (most links on most pages)."""
    # An absolute URL needs no join, unless it names no host ("https://", "http:///x"): urljoin
    # then keeps the base's host, and so must we.
    absolute = href.startswith(("http://", "https://")) and href[href.index("//") + 2:][:1] not in ("", "/")
    joined = href if absolute else join_url(base, href)
    if joined is None:
        return None
    joined = joined.split("#", 1)[0]
    if _PLAIN_URL.match(joined):
        return joined
    return safe_absolute_url(urldefrag(joined)[0])


def feed_links(doc: Document) -> list[str]:
    """RSS/Atom feeds the page advertises with <link rel=alternate>."""
    feeds = []
    for link in doc.tree.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower() in _FEED_TYPES:
            url = safe_absolute_url(join_url(doc.url, link.get("href")))
            if url:
                feeds.append(url)
    return feeds
