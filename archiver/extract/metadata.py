"""Article metadata from JSON-LD, OpenGraph/meta tags, microdata and markup (pure, no I/O)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from archiver.extract.document import Document, element_text, json_ld_types
from archiver.extract.vocabulary import ARTICLE_TYPES, BYLINE_PREFIX
from archiver.normalize import (
    clean_inline,
    iso_datetime,
    normalize_language,
    normalize_url,
)

_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])/(?:(0[1-9]|[12]\d|3[01])/)?")


def article_json_ld(doc: Document) -> dict[str, Any] | None:
    """The page's main article object in JSON-LD, if any."""
    for obj in doc.json_ld:
        if json_ld_types(obj) & ARTICLE_TYPES:
            return obj
    return None


def _ld_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    return clean_inline(str(value)) if isinstance(value, str | int | float) else None


def extract_title(doc: Document, article: dict[str, Any] | None) -> str | None:
    candidates = [
        _ld_text(article.get("headline")) if article else None,
        clean_inline(doc.meta_first("og:title", "twitter:title")),
    ]
    for heading in doc.tree.xpath("//h1"):
        candidates.append(clean_inline(element_text(heading)))
        break
    title_tag = doc.tree.find(".//title")
    if title_tag is not None:
        candidates.append(clean_inline(title_tag.text_content()))
    for candidate in candidates:
        if candidate:
            return candidate
    return None


def _clean_author_name(name: str | None) -> str | None:
    name = clean_inline(name)
    if not name:
        return None
    name = re.sub(BYLINE_PREFIX, "", name, flags=re.IGNORECASE)
    name = re.split(r"\s+(?:on|am|le|el|\||—|–|-)\s+\d", name)[0]
    name = re.sub(r"\s*[|,]\s*$", "", name).strip()
    if not name or len(name) > 100 or name.startswith("http"):
        return None
    return name


def _ld_people(value: Any, base_url: str) -> list[dict[str, str | None]]:
    people: list[dict[str, str | None]] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            name, url = item, None
        elif isinstance(item, dict):
            name, url = item.get("name"), item.get("url") or item.get("sameAs")
            if isinstance(url, list):
                url = url[0] if url else None
        else:
            continue
        clean = _clean_author_name(name if isinstance(name, str) else None)
        if clean:
            link = normalize_url(urljoin(base_url, url)) if isinstance(url, str) else None
            people.append({"name": clean, "url": link})
    return people


def extract_authors(doc: Document, article: dict[str, Any] | None) -> list[dict[str, str | None]]:
    people = _ld_people(article.get("author"), doc.url) if article else []
    if not people:
        for link in doc.tree.xpath('//a[@rel="author"] | //*[@itemprop="author"]'):
            href = link.get("href")
            name_nodes = link.xpath('.//*[@itemprop="name"]')
            name = element_text(name_nodes[0]) if name_nodes else element_text(link)
            clean = _clean_author_name(name)
            if clean:
                url = normalize_url(urljoin(doc.url, href)) if href else None
                people.append({"name": clean, "url": url})
    if not people:
        for name in doc.meta.get("author", []) + doc.meta.get("article:author", []):
            if not name.startswith("http"):
                clean = _clean_author_name(name)
                if clean:
                    people.append({"name": clean, "url": None})
    seen: set[str] = set()
    unique = []
    for person in people:
        key = (person["name"] or "").lower()
        if key not in seen:
            seen.add(key)
            unique.append(person)
    return unique


def extract_dates(doc: Document, article: dict[str, Any] | None) -> tuple[str | None, str | None]:
    published = iso_datetime(_ld_text(article.get("datePublished"))) if article else None
    modified = iso_datetime(_ld_text(article.get("dateModified"))) if article else None
    published = published or iso_datetime(
        doc.meta_first("article:published_time", "datepublished", "pubdate", "date",
                       "dc.date.issued", "dc.date", "sailthru.date", "parsely-pub-date")
    )
    modified = modified or iso_datetime(
        doc.meta_first("article:modified_time", "og:updated_time", "datemodified", "last-modified")
    )
    if not published:
        for time_el in doc.tree.xpath("//time[@datetime]"):
            published = iso_datetime(time_el.get("datetime"))
            if published:
                break
    if not published:
        match = _URL_DATE.search(doc.url)
        if match and match.group(3):
            published = f"{match.group(1)}-{match.group(2)}-{match.group(3)}"
    return published, modified


def extract_language(doc: Document, article: dict[str, Any] | None) -> str | None:
    candidates = [
        doc.tree.get("lang"),
        doc.tree.get("xml:lang"),
        _ld_text(article.get("inLanguage")) if article else None,
        doc.meta_first("og:locale", "content-language", "language", "dc.language"),
    ]
    for element in doc.tree.xpath('//meta[@http-equiv]'):
        if (element.get("http-equiv") or "").lower() == "content-language":
            candidates.append(element.get("content"))
    for candidate in candidates:
        code = normalize_language(candidate)
        if code:
            return code
    return None


def _ld_names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in (clean_inline(p) for p in value.split(",")) if part]
    names = []
    for item in value if isinstance(value, list) else [value]:
        text = _ld_text(item)
        if text:
            names.append(text)
    return names


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        key = value.lower()
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def extract_categories_and_tags(
    doc: Document, article: dict[str, Any] | None
) -> tuple[list[str], list[str]]:
    categories = _ld_names(article.get("articleSection")) if article else []
    tags = _ld_names(article.get("keywords")) if article else []
    if not categories:
        categories = [c for c in (clean_inline(v) for v in doc.meta.get("article:section", [])) if c]
    if not categories:
        links = doc.tree.xpath('//a[contains(concat(" ", normalize-space(@rel), " "), " category ")]')
        categories = [c for c in (clean_inline(element_text(a)) for a in links) if c]
    if not tags:
        tags = [t for t in (clean_inline(v) for v in doc.meta.get("article:tag", [])) if t]
    if not tags:
        links = doc.tree.xpath('//a[contains(concat(" ", normalize-space(@rel), " "), " tag ")]')
        tags = [t for t in (clean_inline(element_text(a)) for a in links) if t]
    return _unique(categories), _unique(tags)


def extract_canonical_url(doc: Document) -> str | None:
    for link in doc.tree.xpath('//link[@href]'):
        if "canonical" in (link.get("rel") or "").lower().split():
            return normalize_url(urljoin(doc.url, link.get("href")))
    og_url = doc.meta_first("og:url")
    return normalize_url(urljoin(doc.url, og_url)) if og_url else None


def extract_site_name(doc: Document, article: dict[str, Any] | None) -> str | None:
    publisher = _ld_text(article.get("publisher")) if article else None
    return clean_inline(doc.meta_first("og:site_name", "application-name")) or publisher


def extract_description(doc: Document, article: dict[str, Any] | None) -> str | None:
    return clean_inline(
        doc.meta_first("og:description", "description", "twitter:description")
        or (_ld_text(article.get("description")) if article else None)
    )


def extract_metadata(doc: Document) -> dict[str, Any]:
    """The metadata keys of the record (title, authors, dates, language, ...) for one page."""
    article = article_json_ld(doc)
    published, modified = extract_dates(doc, article)
    categories, tags = extract_categories_and_tags(doc, article)
    return {
        "title": extract_title(doc, article),
        "authors": extract_authors(doc, article),
        "published": published,
        "modified": modified,
        "language": extract_language(doc, article),
        "site_name": extract_site_name(doc, article),
        "description": extract_description(doc, article),
        "categories": categories,
        "tags": tags,
        "canonical_url": extract_canonical_url(doc),
    }
