"""Article metadata from JSON-LD, microdata, OpenGraph/meta tags and markup (pure, no I/O).

Every field reads the most explicit source first (structured data, then <meta>, then markup) and
falls back step by step; markup is only read outside comment threads and sidebars. Dates live in
article_dates.py, authors in authors.py, categories/tags in taxonomy.py; this module assembles them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from archiver.extract.article_dates import extract_dates
from archiver.extract.authors import extract_authors
from archiver.extract.document import Document, element_text, json_ld_types
from archiver.extract.microdata import article_microdata
from archiver.extract.regions import article_elements
from archiver.extract.taxonomy import extract_categories_and_tags
from archiver.extract.vocabulary import ARTICLE_TYPES
from archiver.values import clean_inline, join_url, normalize_language, normalize_url

# Separators between a headline and the site name in <title> / og:title.
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—»·:•]|-|::)\s+")
_PAGE_TYPES = frozenset({"WebPage", "ItemPage"})


def article_json_ld(doc: Document) -> dict[str, Any] | None:
    """The page's main article object in JSON-LD (a WebPage object when no article is typed)."""
    fallback = None
    for obj in doc.json_ld:
        types = json_ld_types(obj)
        if types & ARTICLE_TYPES:
            return obj
        if fallback is None and types & _PAGE_TYPES:
            fallback = obj
    return fallback


def structured_articles(doc: Document) -> list[dict[str, Any] | None]:
    """The article as JSON-LD and as microdata, best first (either may be None)."""
    return [article_json_ld(doc), article_microdata(doc)]


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    # Some CMSes HTML-escape inside JSON-LD ("&#8216;"), so entities are decoded once more.
    return clean_inline(html.unescape(str(value))) if isinstance(value, str | int | float) else None


def _first_structured(structured: Sequence[dict[str, Any] | None], *keys: str) -> str | None:
    for obj in structured:
        for key in keys:
            value = _text(obj.get(key)) if obj else None
            if value:
                return value
    return None


def _title_parts(title: str | None) -> list[str]:
    return [part for part in _TITLE_SEPARATOR.split(title or "") if part]


def extract_title(doc: Document, structured: list[dict[str, Any] | None]) -> str | None:
    """Headline: structured data, then the <h1> the <title> agrees with, og:title, <h1>, <title>."""
    headline = _first_structured(structured, "headline")
    if headline:
        return _without_site_suffix(headline, doc)
    title_tag = doc.tree.find(".//title")
    page_title = clean_inline(title_tag.text_content()) if title_tag is not None else None
    og_title = _text(doc.meta_first("og:title", "twitter:title"))
    headings = [clean_inline(element_text(h)) for h in article_elements(doc.tree.xpath("//h1"))]
    agreed = [h for h in headings if h and any(h in (t or "") for t in (page_title, og_title))]
    parts = _title_parts(page_title)
    if len(parts) > 1 or len(agreed) > 1:
        # The site title is often an <h1> too and also sits in <title>: drop the site-name part.
        site_names = {parts[-1] if len(parts) > 1 else None,
                      clean_inline(doc.meta_first("og:site_name"))}
        agreed = [h for h in agreed if h not in site_names]
    if agreed:
        return max(agreed, key=len)
    if og_title:
        return _without_site_suffix(og_title, doc)
    for heading in headings:
        if heading:
            return heading
    return _without_site_suffix(page_title, doc) if page_title else None


def _without_site_suffix(title: str, doc: Document) -> str:
    """"Headline | Site" -> "Headline" when the last part names the site (og:site_name or host)."""
    parts = _title_parts(title)
    if len(parts) < 2:
        return title
    last = parts[-1].casefold().replace(" ", "")
    site = (clean_inline(doc.meta_first("og:site_name", "application-name")) or "").casefold()
    host = (urlsplit(doc.url).hostname or "").casefold()
    if last and (last == site.replace(" ", "") or last.replace(".", "") in host.replace(".", "")):
        return title[: title.rfind(parts[-1])].rstrip(" |–—»·:•-")
    return title


def extract_language(doc: Document, structured: list[dict[str, Any] | None]) -> str | None:
    """BCP 47 tag: <html lang>, Content-Language, og:locale, structured inLanguage, <body lang>."""
    body = doc.tree.find("body")
    candidates = [
        doc.tree.get("lang"),
        doc.tree.get("xml:lang"),
        doc.meta_first("content-language", "language", "dc.language", "og:locale"),
        _first_structured(structured, "inLanguage"),
        # WebPage/WebSite objects carry inLanguage when the article object does not (Yoast).
        _first_structured(doc.json_ld, "inLanguage"),
        body.get("lang") if body is not None else None,
    ]
    for element in doc.tree.iter("meta"):
        if (element.get("http-equiv") or "").lower() == "content-language":
            candidates.insert(2, element.get("content"))
    for candidate in candidates:
        code = normalize_language(candidate)
        if code:
            return code
    return None


def extract_canonical_url(doc: Document) -> str | None:
    for link in doc.tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return normalize_url(join_url(doc.url, link.get("href")))
    og_url = doc.meta_first("og:url")
    return normalize_url(join_url(doc.url, og_url)) if og_url else None


def extract_site_name(
    doc: Document, structured: list[dict[str, Any] | None], title: str | None = None
) -> str | None:
    """og:site_name, structured publisher / WebSite name, application-name, or the <title> suffix
    when the <title> reads "<headline> | <site>"."""
    name = _text(doc.meta_first("og:site_name", "application-name", "apple-mobile-web-app-title"))
    if name:
        return name
    name = _first_structured(structured, "publisher", "sourceOrganization")
    if name:
        return name
    for obj in doc.json_ld:
        if "WebSite" in json_ld_types(obj) and _text(obj.get("name")):
            return _text(obj.get("name"))
    title_tag = doc.tree.find(".//title")
    parts = _title_parts(clean_inline(title_tag.text_content()) if title_tag is not None else None)
    if len(parts) > 1 and title and parts[0] == title and len(parts[-1]) <= 60:
        return parts[-1]
    return None


def extract_description(doc: Document, structured: list[dict[str, Any] | None]) -> str | None:
    return _text(
        doc.meta_first("og:description", "description", "twitter:description", "dc.description")
    ) or _first_structured(structured, "description", "abstract")


def extract_metadata(doc: Document) -> dict[str, Any]:
    """The metadata keys of the record (title, authors, dates, language, ...) for one page."""
    structured = structured_articles(doc)
    published, modified = extract_dates(doc, structured)
    categories, tags = extract_categories_and_tags(doc, structured)
    title = extract_title(doc, structured)
    return {
        "title": title,
        "authors": extract_authors(doc, structured),
        "published": published,
        "modified": modified,
        "language": extract_language(doc, structured),
        "site_name": extract_site_name(doc, structured, title),
        "description": extract_description(doc, structured),
        "categories": categories,
        "tags": tags,
        "canonical_url": extract_canonical_url(doc),
    }
