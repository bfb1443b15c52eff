"""Find article URLs in sitemaps, sitemap indexes, RSS/Atom feeds and robots.txt (pure functions).

XML is parsed with entity resolution and network access off, so a hostile sitemap cannot read
local files or expand entity bombs. Gzip sitemaps are bounded by `max_size` once decompressed
(SITEMAP_MAX_BYTES by default).
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.etree

from archiver.values import join_url, safe_absolute_url

_GZIP_MAGIC = b"\x1f\x8b"
# sitemaps.org: a sitemap is at most 50 MB uncompressed. This bounds the gzip *output*, which
# DOWNLOAD_MAXSIZE (the compressed download) does not.
SITEMAP_MAX_BYTES = 50 * 1024 * 1024


class TooLarge(ValueError):
    """Decompressed data exceeded the allowed size (a compression bomb or a huge file)."""


def maybe_gunzip(data: bytes, max_size: int = SITEMAP_MAX_BYTES) -> bytes:
    """`data` decompressed if it is gzip, refusing to grow past `max_size` bytes."""
    if not data.startswith(_GZIP_MAGIC):
        return data
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while chunk := stream.read(64 * 1024):
                out.write(chunk)
                if out.tell() > max_size:
                    raise TooLarge(f"gzip data larger than {max_size} bytes")
    except (OSError, EOFError, zlib.error):
        pass  # truncated/corrupt gzip: keep what decompressed
    return out.getvalue()


def _xml_root(data: bytes) -> lxml.etree._Element | None:
    parser = lxml.etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, remove_comments=True,
        remove_pis=True, huge_tree=False,
    )
    try:
        return lxml.etree.fromstring(data.strip() or b"<x/>", parser=parser)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


@dataclass
class SitemapEntries:
    kind: str  # "urlset" | "sitemapindex" | "invalid"
    urls: list[str] = field(default_factory=list)
    lastmod: dict[str, str] = field(default_factory=dict)


def parse_sitemap(data: bytes, base_url: str, max_size: int = SITEMAP_MAX_BYTES) -> SitemapEntries:
    """Page URLs of a urlset, or child sitemap URLs of a sitemap index (gzip accepted)."""
    root = _xml_root(maybe_gunzip(data, max_size))
    if root is None or _local(root.tag) not in ("urlset", "sitemapindex"):
        return SitemapEntries("invalid")
    entries = SitemapEntries(_local(root.tag))
    for element in root:
        if _local(element.tag) not in ("url", "sitemap"):
            continue
        loc = lastmod = None
        for child in element:
            name = _local(child.tag)
            if name == "loc":
                loc = (child.text or "").strip()
            elif name == "lastmod":
                lastmod = (child.text or "").strip()
        url = safe_absolute_url(join_url(base_url, loc)) if loc else None
        if url and url not in entries.lastmod:
            entries.urls.append(url)
            entries.lastmod[url] = lastmod or ""
    return entries


def parse_feed(data: bytes, base_url: str) -> list[str]:
    """Item links of an RSS 2.0/1.0 or Atom feed, in feed order."""
    root = _xml_root(maybe_gunzip(data))
    if root is None:
        return []
    urls: list[str] = []
    for element in root.iter():
        name = _local(element.tag)
        if name not in ("item", "entry"):
            continue
        link = _item_link(element)
        url = safe_absolute_url(join_url(base_url, link)) if link else None
        if url and url not in urls:
            urls.append(url)
    return urls


def _item_link(item: lxml.etree._Element) -> str | None:
    fallback = None
    for child in item:
        if _local(child.tag) != "link":
            continue
        href = child.get("href")
        if href is None:  # RSS: <link>url</link>
            return (child.text or "").strip() or None
        rel = child.get("rel", "alternate")
        if rel == "alternate" and (child.get("type") or "text/html").startswith("text/html"):
            return href.strip()
        fallback = fallback or href.strip()
    for child in item:  # RSS items without <link> but with a permalink guid
        if _local(child.tag) == "guid" and child.get("isPermaLink", "true") == "true":
            text = (child.text or "").strip()
            if text.startswith("http"):
                return text
    return fallback


def is_feed(data: bytes) -> bool:
    root = _xml_root(maybe_gunzip(data))
    return root is not None and _local(root.tag) in ("rss", "feed", "rdf")


def robots_sitemaps(text: str, base_url: str) -> list[str]:
    """`Sitemap:` lines of a robots.txt (any case), as absolute URLs."""
    urls = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            url = safe_absolute_url(join_url(base_url, value.strip()))
            if url and url not in urls:
                urls.append(url)
    return urls


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"
