"""Categories and tags of the article.

Sources, first non-empty wins per list: structured data (articleSection / keywords) -> <meta>
(article:section, article:tag, parsely-*) -> term links of the article. Links are told apart by
rel (`category`, `tag`), by their container (WordPress `cat-links`, `taxonomy-category`, ...) and by
their URL path (/category/, /tag/), because block themes mark category links rel="tag" too.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlsplit

import lxml.html

from archiver.extract.document import Document, element_text
from archiver.extract.regions import in_chrome
from archiver.values import clean_inline

# A cheap prefilter evaluated in one libxml2 pass: rel says tag/category, or the parent or
# grandparent's class mentions tags/categories; _link_kind then decides on whole class tokens.
_TERM_LINKS = (
    '//a[@href][contains(@rel, "tag") or contains(@rel, "category")'
    ' or ../@class[contains(., "tag") or contains(., "cat") or contains(., "taxonomy-")]'
    ' or ../../@class[contains(., "tag") or contains(., "cat") or contains(., "taxonomy-")]]'
)
_CATEGORY_TOKENS = frozenset({
    "cat-links", "taxonomy-category", "post-categories", "entry-categories", "categories",
    "category-links", "article-categories", "post-category", "entry-category",
})
_TAG_TOKENS = frozenset({
    "tags-links", "taxonomy-post_tag", "post-tags", "entry-tags", "article-tags", "tag-list",
    "tags", "tag-links", "post-tag-list", "tagged",
})
_CATEGORY_PATH = re.compile(r"/(?:category|categories)/", re.IGNORECASE)

def _names(value: Any) -> list[str]:
    """Term names from a structured value: "a, b", ["a", "b"], [{"name": "a"}]."""
    if isinstance(value, str):
        value = html.unescape(value)
        return [name for name in (clean_inline(part) for part in value.split(",")) if name]
    names: list[str] = []
    for item in value if isinstance(value, list) else [value] if value else []:
        if isinstance(item, dict):
            item = item.get("name")
        if isinstance(item, str):
            names += _names(item)
    return names


def _unique(values: list[str]) -> list[str]:
    """Deduplicated (case-insensitive), without URLs and CMS ids that some sites leak as terms."""
    seen: set[str] = set()
    out = []
    for value in values:
        if value.startswith(("http", "@", "/")) or len(value) > 80:
            continue
        if value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return out


def _link_kind(link: lxml.html.HtmlElement) -> str | None:
    """"category", "tag" or None for a term link: rel, then container class, then URL path."""
    rel = (link.get("rel") or "").lower().split()
    if "category" in rel:
        return "category"
    for _, ancestor in zip(range(2), link.iterancestors(), strict=False):
        tokens = set((ancestor.get("class") or "").lower().split())
        if tokens & _CATEGORY_TOKENS:
            return "category"
        if tokens & _TAG_TOKENS:
            return "tag"
    if "tag" in rel:
        return "category" if _CATEGORY_PATH.search(urlsplit(link.get("href") or "").path) else "tag"
    return None


def _markup_terms(doc: Document) -> tuple[list[str], list[str]]:
    categories: list[str] = []
    tags: list[str] = []
    for link in doc.tree.xpath(_TERM_LINKS):
        kind = _link_kind(link)
        if kind is None or in_chrome(link):
            continue
        name = clean_inline(element_text(link))
        if not name or len(name) > 80:
            continue
        if kind == "category":
            categories.append(name)
        else:
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
