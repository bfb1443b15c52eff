"""Categories and tags of the article.

Sources, first non-empty wins per list: structured data (articleSection / keywords) -> <meta>
(article:section, article:tag, parsely-*) -> term links of the article. Links are told apart by
rel (`category`, `tag`), by their container (WordPress `cat-links`, `taxonomy-category`, ...) and by
their URL path (/category/, /tag/), because block themes mark category links rel="tag" too.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import lxml.html

from archiver.extract.document import Document, element_text
from archiver.extract.regions import article_elements
from archiver.normalize import clean_inline

_TERM_LINKS = (
    '//a[@href][contains(concat(" ", normalize-space(@rel), " "), " tag ")'
    ' or contains(concat(" ", normalize-space(@rel), " "), " category ")'
    ' or ancestor::*[contains(@class, "tags-links") or contains(@class, "cat-links")'
    ' or contains(@class, "post-tags") or contains(@class, "entry-tags")'
    ' or contains(@class, "article-tags") or contains(@class, "tag-list")'
    ' or contains(@class, "post-categories") or contains(@class, "entry-categories")'
    ' or contains(@class, "taxonomy-")][position() <= 3]]'
)
_CATEGORY_CONTAINER = re.compile(r"cat-links|taxonomy-category|categor", re.IGNORECASE)
_TAG_CONTAINER = re.compile(r"tags-links|taxonomy-post_tag|tag", re.IGNORECASE)
_CATEGORY_PATH = re.compile(r"/(?:category|categories|section|sections|topics?)/", re.IGNORECASE)
_TAG_PATH = re.compile(r"/(?:tag|tags|keyword|keywords|schlagwort)/", re.IGNORECASE)


def _names(value: Any) -> list[str]:
    """Term names from a structured value: "a, b", ["a", "b"], [{"name": "a"}]."""
    if isinstance(value, str):
        return [name for name in (clean_inline(part) for part in value.split(",")) if name]
    names: list[str] = []
    for item in value if isinstance(value, list) else [value] if value else []:
        if isinstance(item, dict):
            item = item.get("name")
        if isinstance(item, str):
            names += _names(item)
    return names


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        if value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return out


def _link_kind(link: lxml.html.HtmlElement) -> str | None:
    """"category", "tag" or None for a term link (rel, then container, then URL path)."""
    rel = (link.get("rel") or "").lower().split()
    if "category" in rel:
        return "category"
    path = urlsplit(link.get("href") or "").path
    containers = " ".join(
        ancestor.get("class") or "" for _, ancestor in zip(range(3), link.iterancestors(), strict=False)
    )
    if _CATEGORY_CONTAINER.search(containers) or _CATEGORY_PATH.search(path):
        return "category"
    if "tag" in rel or _TAG_CONTAINER.search(containers) or _TAG_PATH.search(path):
        return "tag"
    return None


def _markup_terms(doc: Document) -> tuple[list[str], list[str]]:
    categories: list[str] = []
    tags: list[str] = []
    for link in article_elements(doc.tree.xpath(_TERM_LINKS)):
        name = clean_inline(element_text(link))
        if not name or len(name) > 80:
            continue
        kind = _link_kind(link)
        if kind == "category":
            categories.append(name)
        elif kind == "tag":
            tags.append(name)
    return categories, tags


def extract_categories_and_tags(
    doc: Document, structured: list[dict[str, Any] | None]
) -> tuple[list[str], list[str]]:
    """(categories, tags) of the article, each deduplicated case-insensitively, order kept."""
    categories: list[str] = []
    tags: list[str] = []
    for obj in structured:
        if obj:
            categories = categories or _names(obj.get("articleSection"))
            tags = tags or _names(obj.get("keywords"))
    categories = categories or _names(doc.meta.get("article:section", []))
    tags = tags or _names(doc.meta.get("article:tag", [])) or _names(doc.meta.get("parsely-tags", []))
    if not categories or not tags:
        markup_categories, markup_tags = _markup_terms(doc)
        categories = categories or markup_categories
        tags = tags or markup_tags
    return _unique(categories), _unique(tags)
