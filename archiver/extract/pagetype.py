"""Is this page one article, a listing of articles, or something else?

Used by `site` crawls to decide which pages become records. Structured signals come first: schema.org
types in JSON-LD/microdata, og:type, CMS body classes. When they agree, they decide. When they are
missing or contradict each other, the shape of the markup decides (pageshape.py): the block of
running text body extraction found, and whether it is an article's text or a teaser's excerpt in a
run of teasers. URL patterns never decide.

When in doubt the answer is "article": a listing archived by mistake costs one line in the JSONL,
an article left out costs the archive its purpose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import lxml.html

from archiver.extract.body import Body, extract_body
from archiver.extract.comments import extract_comments
from archiver.extract.document import Document, json_ld_types
from archiver.extract.microdata import item_types
from archiver.extract.pageshape import PageShape, page_shape
from archiver.extract.vocabulary import ARTICLE_OG_TYPES, ARTICLE_TYPES

LISTING_TYPES = frozenset({"CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage"})
_ARTICLE_BODY_CLASSES = frozenset({"single", "single-post", "postid", "node-type-article",
                                    "article-page", "post-template-default", "single-format-standard"})
_LISTING_BODY_CLASSES = frozenset({"home", "blog", "archive", "category", "tag", "search",
                                    "author", "date", "paged", "front-page"})
# Three or more separate article items in the markup are teasers, not the page's article.
_MANY_ITEMS = 3
# Text at least this long (characters of body text) is an article unless it is a teaser's.
LONG_TEXT = 1000
# Below this, a block of text is a caption, a notice or an address, not an article.
SHORT_TEXT = 200
# A text block holding at least this share of its text in teaser cards is a list of teasers.
_TEASER_SHARE = 0.6

# A short text with this many teasers in its block, under an <h1> of at most this many words (a
# name or a section label, not a headline sentence): an author or topic page over its list.
_LABELLED_LIST_TEASERS = 3
_LABEL_WORDS = 4

# The reasons, one per rule; crawl.json counts rejected pages by these.
REASON_LD_ARTICLE = "structured data article type"
REASON_OG_ARTICLE = "og:type article"
REASON_BODY_ARTICLE = "article body class"
REASON_MICRODATA_ARTICLE = "microdata article item"
REASON_LISTING_CLASS = "listing body class"
REASON_LD_LISTING = "structured data listing type"
REASON_MANY_ITEMS = "many article items"
REASON_TEASER_LIST = "text block is a list of teasers"
REASON_TEASER_EXCERPT = "text block is a teaser excerpt"
REASON_LABELLED_LIST = "short text and teasers under a label heading"
REASON_LONG_TEXT = "long running text"
REASON_SHORT_TEXT = "headline over running text"
REASON_RUNNING_TEXT = "running text"
REASON_FORM = "form page"
REASON_NO_TEXT = "no running text"


@dataclass(frozen=True)
class PageType:
    kind: str  # "article" | "listing" | "other"
    reason: str

    @property
    def is_article(self) -> bool:
        return self.kind == "article"


@dataclass(frozen=True)
class _Evidence:
    """What the structured signals say: a reason for "article", a reason for "listing", or both."""

    article: str | None
    listing: str | None


def _json_ld_evidence(doc: Document) -> tuple[int, bool]:
    """Article-typed JSON-LD objects (distinct ones), and whether a listing type is declared."""
    articles: set[str] = set()
    listing = False
    for obj in doc.json_ld:
        types = json_ld_types(obj)
        if types & ARTICLE_TYPES:
            articles.add(str(obj.get("url") or obj.get("@id") or obj.get("headline") or len(articles)))
        listing = listing or bool(types & LISTING_TYPES)
    return len(articles), listing


def _microdata_articles(doc: Document) -> int:
    """Article items of the microdata that are not nested in another article item."""
    items: list[lxml.html.HtmlElement] = [
        element for element in doc.tree.xpath("//*[@itemtype]") if item_types(element) & ARTICLE_TYPES]
    inside = set(items)
    return sum(1 for item in items if not any(a in inside for a in item.iterancestors()))


def _body_classes(doc: Document) -> set[str]:
    body = doc.tree.find("body")
    classes = set((body.get("class") or "").split()) if body is not None else set()
    return classes | {c.split("-")[0] for c in classes if c.startswith("postid-")}


def structured_evidence(doc: Document) -> _Evidence:
    """The structured signals of the page, strongest first."""
    ld_articles, ld_listing = _json_ld_evidence(doc)
    microdata_articles = _microdata_articles(doc)
    classes = _body_classes(doc)
    og_type = (doc.meta_first("og:type") or "").lower()
    article = listing = None
    if classes & _LISTING_BODY_CLASSES and not classes & _ARTICLE_BODY_CLASSES:
        listing = REASON_LISTING_CLASS
    elif ld_articles >= _MANY_ITEMS or microdata_articles >= _MANY_ITEMS:
        listing = REASON_MANY_ITEMS
    elif ld_listing and not ld_articles:
        listing = REASON_LD_LISTING
    if 0 < ld_articles < _MANY_ITEMS:
        article = REASON_LD_ARTICLE
    elif og_type in ARTICLE_OG_TYPES:
        article = REASON_OG_ARTICLE
    elif classes & _ARTICLE_BODY_CLASSES:
        article = REASON_BODY_ARTICLE
    elif 0 < microdata_articles < _MANY_ITEMS:
        article = REASON_MICRODATA_ARTICLE
    return _Evidence(article, listing)


def classify_shape(shape: PageShape) -> PageType:
    """What the markup alone says (see pageshape.py for the measurements)."""
    if shape.body_teasers >= 2 and shape.body_teaser_share >= _TEASER_SHARE:
        return PageType("listing", REASON_TEASER_LIST)
    if shape.headline == "teaser" and (shape.repeated or shape.text_chars < LONG_TEXT):
        return PageType("listing", REASON_TEASER_EXCERPT)
    if shape.text_chars < LONG_TEXT and shape.body_teasers >= _LABELLED_LIST_TEASERS \
            and 0 < shape.headline_words <= _LABEL_WORDS:
        return PageType("listing", REASON_LABELLED_LIST)
    if shape.text_chars >= LONG_TEXT:
        return PageType("article", REASON_LONG_TEXT)
    if shape.form_page:
        return PageType("other", REASON_FORM)
    if shape.text_chars >= SHORT_TEXT:
        if shape.headline == "plain":
            return PageType("article", REASON_SHORT_TEXT)
        return PageType("article", REASON_RUNNING_TEXT)
    return PageType("other", REASON_NO_TEXT)


def classify_page(doc: Document, body: Body | None = None,
                  comment_nodes: Sequence[lxml.html.HtmlElement] = ()) -> PageType:
    """Decide the kind of page: structured signals when they agree, else the markup's shape.

    `body` is the page's extracted body when the caller has it (analyze_page does) and
    `comment_nodes` its comment sections; without a body, it is extracted here when the markup
    must decide.
    """
    evidence = structured_evidence(doc)
    if evidence.article and not evidence.listing:
        return PageType("article", evidence.article)
    markup = classify_shape(measure(doc, body, comment_nodes))
    if evidence.listing and not evidence.article:
        # A listing marker on a page whose markup is one long text: believe the text. Many article
        # items are only evidence of teasers somewhere (a related-stories box carries them too),
        # and the markup has already decided whether the text block is teasers: believe it.
        if markup.kind == "article" and (markup.reason == REASON_LONG_TEXT
                                         or evidence.listing == REASON_MANY_ITEMS):
            return markup
        return PageType("listing", evidence.listing)
    if evidence.article:  # both: the markup arbitrates, and doubt goes to the article
        return markup if markup.kind == "listing" else PageType("article", evidence.article)
    return markup


def measure(doc: Document, body: Body | None = None,
            comment_nodes: Sequence[lxml.html.HtmlElement] = ()) -> PageShape:
    """The shape of a page around its body (extracted here, with its comments, when not given)."""
    if body is None:
        thread = extract_comments(doc)
        comment_nodes = thread.nodes
        body = extract_body(doc, exclude=comment_nodes)
    return page_shape(doc, body.text, body.node, set(comment_nodes))
