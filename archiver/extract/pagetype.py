"""Is this page one article, a listing of articles, or something else?

Used by `site` crawls to decide which pages become records. Signals, strongest first: schema.org
types in JSON-LD/microdata, og:type, WordPress/CMS body classes, then markup shape (one <article>
with a headline and a mass of paragraph text versus many repeated teasers). URL patterns alone
never decide.
"""

from __future__ import annotations

from dataclasses import dataclass

from archiver.extract.document import Document, element_text, json_ld_types
from archiver.extract.vocabulary import ARTICLE_OG_TYPES, ARTICLE_TYPES

LISTING_TYPES = frozenset({"CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage"})
_ARTICLE_BODY_CLASSES = frozenset({"single", "single-post", "postid", "node-type-article",
                                    "article-page", "post-template-default", "single-format-standard"})
_LISTING_BODY_CLASSES = frozenset({"home", "blog", "archive", "category", "tag", "search",
                                    "author", "date", "paged", "front-page"})


@dataclass(frozen=True)
class PageType:
    kind: str  # "article" | "listing" | "other"
    reason: str

    @property
    def is_article(self) -> bool:
        return self.kind == "article"


def _paragraph_chars(doc: Document) -> int:
    return sum(len(element_text(p)) for p in doc.tree.iter("p"))


def _has_text_block(doc: Document) -> bool:
    """One container holding at least three substantial paragraphs (running text, not teasers)."""
    counts: dict[object, int] = {}
    for paragraph in doc.tree.iter("p"):
        if len(element_text(paragraph)) >= 80:
            parent = paragraph.getparent()
            counts[parent] = counts.get(parent, 0) + 1
    return any(count >= 3 for count in counts.values())


def classify_page(doc: Document) -> PageType:
    """Decide the kind of page from structured data first, then markup."""
    ld_types: set[str] = set()
    for obj in doc.json_ld:
        ld_types |= json_ld_types(obj)
    for element in doc.tree.xpath("//*[@itemtype]"):
        ld_types |= {t.rsplit("/", 1)[-1] for t in (element.get("itemtype") or "").split()}
    body = doc.tree.find("body")
    body_classes = set((body.get("class") or "").split()) if body is not None else set()
    body_classes |= {c.split("-")[0] for c in body_classes if c.startswith("postid-")}

    if body_classes & _LISTING_BODY_CLASSES and not body_classes & _ARTICLE_BODY_CLASSES:
        return PageType("listing", "listing body class")
    if ld_types & ARTICLE_TYPES:
        return PageType("article", "structured data article type")
    og_type = (doc.meta_first("og:type") or "").lower()
    if og_type in ARTICLE_OG_TYPES:
        return PageType("article", f"og:type {og_type}")
    if body_classes & _ARTICLE_BODY_CLASSES:
        return PageType("article", "article body class")
    if ld_types & LISTING_TYPES:
        return PageType("listing", "structured data listing type")

    articles = doc.tree.xpath("//article")
    text_chars = _paragraph_chars(doc)
    if len(articles) >= 3:
        return PageType("listing", f"{len(articles)} <article> teasers")
    has_headline = bool(doc.tree.xpath("//h1"))
    has_date = bool(doc.tree.xpath("//time[@datetime] | //*[@itemprop='datePublished']"))
    if has_headline and text_chars >= 1200 and (len(articles) == 1 or has_date):
        return PageType("article", "headline, date/article element and long text")
    if has_headline and text_chars >= 600 and _has_text_block(doc):
        return PageType("article", "headline and a block of running text")
    return PageType("other", "no article signal")
