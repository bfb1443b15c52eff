"""schema.org microdata (itemscope/itemprop) of the page's article, read straight from the lxml tree.

Why not extruct: extruct re-serialises and re-parses the document and reads every item of the page;
we need one item (the article) and its direct properties, which one pass over its subtree gives in a
fraction of a millisecond (benchmarks/metadata_media.py measures both). The result is shaped like a
JSON-LD object so metadata.py reads both the same way.
"""

from __future__ import annotations

from typing import Any

import lxml.html

from archiver.extract.document import Document
from archiver.extract.vocabulary import ARTICLE_TYPES
from archiver.values import clean_inline, join_url

_URL_ATTRIBUTES = {"a": "href", "link": "href", "area": "href", "img": "src", "audio": "src",
                   "video": "src", "source": "src", "iframe": "src", "embed": "src",
                   "track": "src", "object": "data"}
_MAX_DEPTH = 4


def item_types(element: lxml.html.HtmlElement) -> set[str]:
    """Bare schema.org type names of an itemscope element ("NewsArticle", ...)."""
    return {value.rstrip("/").rsplit("/", 1)[-1] for value in (element.get("itemtype") or "").split()}


def _value(element: lxml.html.HtmlElement, base_url: str) -> str | None:
    tag = element.tag
    if tag == "meta":
        return element.get("content")
    if tag in _URL_ATTRIBUTES:
        raw = element.get(_URL_ATTRIBUTES[tag]) or element.get("content")
        return join_url(base_url, raw.strip()) if raw else None
    if tag == "time":
        return element.get("datetime") or element.get("content") or clean_inline(element.text_content())
    if tag in ("data", "meter"):
        return element.get("value")
    return element.get("content") or clean_inline(element.text_content())


def _properties(scope: lxml.html.HtmlElement, base_url: str, depth: int) -> dict[str, Any]:
    """itemprop -> value(s) of the item rooted at `scope`; nested items become nested dicts."""
    found: dict[str, list[Any]] = {}
    stack = list(reversed(scope))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        names = (element.get("itemprop") or "").split()
        nested = element.get("itemscope") is not None
        if names:
            value: Any = (
                read_item(element, base_url, depth + 1) if nested and depth < _MAX_DEPTH
                else _value(element, base_url)
            )
            if value:
                for name in names:
                    found.setdefault(name.rsplit("/", 1)[-1], []).append(value)
        if not nested:
            stack.extend(reversed(element))
    return {name: values[0] if len(values) == 1 else values for name, values in found.items()}


def read_item(scope: lxml.html.HtmlElement, base_url: str, depth: int = 0) -> dict[str, Any]:
    """One microdata item as a JSON-LD-shaped dict (`@type` plus its properties)."""
    item = _properties(scope, base_url, depth)
    types = sorted(item_types(scope))
    if types:
        item["@type"] = types[0] if len(types) == 1 else types
    return item


def article_microdata(doc: Document) -> dict[str, Any] | None:
    """The page's article item in microdata (first itemscope typed as an article), if any."""
    if "microdata_article" not in doc._cache:
        article = None
        for scope in doc.tree.xpath("//*[@itemscope and @itemtype]"):
            if item_types(scope) & ARTICLE_TYPES:
                article = read_item(scope, doc.url)
                break
        doc._cache["microdata_article"] = article
    cached: dict[str, Any] | None = doc._cache["microdata_article"]
    return cached
