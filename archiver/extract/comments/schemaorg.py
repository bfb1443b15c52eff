"""schema.org `Comment` objects: JSON-LD (`"comment": [...]` on an Article or DiscussionForumPosting,
nested replies in `comment`) and microdata (`itemtype=".../Comment"`, nesting by containment)."""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from archiver.extract.comments.comment_dates import parse_date
from archiver.extract.comments.dom import Element, absolute_url, element_date, first, matches, text_of
from archiver.extract.comments.found import Found
from archiver.extract.comments.model import RawComment, content_id, distinct, distinct_ids
from archiver.extract.comments.text import text_and_html
from archiver.extract.document import Document, json_ld_types

COMMENT_TYPES = {"Comment", "Answer"}
MICRODATA_XPATH = (
    "//*[@itemscope and (contains(@itemtype, 'schema.org/Comment')"
    " or contains(@itemtype, 'schema.org/Answer'))]"
)


def find(doc: Document) -> Found | None:
    """Comments described with schema.org, JSON-LD first (it carries ids and parents)."""
    comments = from_json_ld(doc)
    if comments:
        return Found(system="schema.org", comments=comments)
    elements = matches(doc.tree, MICRODATA_XPATH)
    if not elements:
        return None
    parsed = [from_microdata(element, doc.url) for element in elements]
    distinct_ids(parsed)
    return Found(system="schema.org", comments=parsed, nodes=_outermost(elements))


def from_json_ld(doc: Document) -> list[RawComment]:
    """Comment trees of JSON-LD objects, flattened in pre-order with explicit parents."""
    found: list[RawComment] = []
    seen: set[int] = set()
    ids: Counter[str] = Counter()
    for obj in doc.json_ld:
        if json_ld_types(obj) & COMMENT_TYPES and id(obj) in seen:
            continue
        stack: list[tuple[Any, str | None]] = [(c, None) for c in reversed(_as_list(obj.get("comment")))]
        while stack:
            item, parent = stack.pop()
            if not isinstance(item, dict) or id(item) in seen:
                continue
            seen.add(id(item))
            comment = _json_ld_comment(item, parent, doc.url)
            comment.id = distinct(comment.id, ids)  # before its replies name it as their parent
            found.append(comment)
            replies = _as_list(item.get("comment")) + _as_list(item.get("suggestedAnswer"))
            stack.extend((reply, comment.id) for reply in reversed(replies))
    return found


def _json_ld_comment(item: dict[str, Any], parent: str | None, base_url: str) -> RawComment:
    author = item.get("author") or item.get("creator")
    if isinstance(author, list):
        author = author[0] if author else None
    name = author.get("name") if isinstance(author, dict) else author if isinstance(author, str) else None
    author_url = author.get("url") if isinstance(author, dict) else None
    url = item.get("url") if isinstance(item.get("url"), str) else None
    text = " ".join(str(item.get("text") or item.get("commentText") or item.get("description") or "").split())
    author_name = str(name).strip() if name else None
    published = parse_date(str(item.get("dateCreated") or item.get("datePublished") or ""))
    return RawComment(
        id=_identifier(item, url) or content_id(author_name, published, text),
        parent_id=parent,
        author_name=author_name,
        author_url=absolute_url(base_url, author_url) if isinstance(author_url, str) else None,
        published=published,
        text=text,
        html=f"<p>{escape(text)}</p>" if text else "",
        permalink=absolute_url(base_url, url),
        votes=item.get("upvoteCount") if isinstance(item.get("upvoteCount"), int) else None,
    )


def _identifier(item: dict[str, Any], url: str | None) -> str | None:
    for key in ("identifier", "@id"):
        value = item.get(key)
        if isinstance(value, int | str) and str(value).strip():
            value = str(value).strip()
            return value.rsplit("#", 1)[-1].removeprefix("comment-") if "#" in value else value
    if url and "#" in url:
        return url.rsplit("#", 1)[-1].removeprefix("comment-")
    return None


def from_microdata(element: Element, base_url: str) -> RawComment:
    """One microdata Comment; properties of nested Comments are not read as its own."""
    def prop(name: str) -> Element | None:
        for node in element.xpath(f".//*[@itemprop='{name}']"):
            owner = next((a for a in node.iterancestors() if a.get("itemscope") is not None), None)
            if owner is element:
                return node
        return None

    def first_prop(*names: str) -> Element | None:
        return next((node for node in map(prop, names) if node is not None), None)

    author = first_prop("author", "creator")
    name_node = first(author, ".//*[@itemprop='name']") if author is not None else None
    link = first(author, "descendant-or-self::a[@href]") if author is not None else None
    url_node = prop("url")
    content = first_prop("text", "commentText")
    text, html = text_and_html(content, base_url) if content is not None else ("", "")
    date_node = first_prop("dateCreated", "datePublished")
    permalink = None
    if url_node is not None:
        permalink = absolute_url(base_url, url_node.get("href") or url_node.get("content"))
    author_name = text_of(name_node if name_node is not None else author) or None
    published = element_date(date_node)
    return RawComment(
        id=_microdata_id(element, permalink) or content_id(author_name, published, text),
        element=element,
        author_name=author_name,
        author_url=absolute_url(base_url, link.get("href")) if link is not None else None,
        published=published,
        text=text,
        html=html,
        permalink=permalink,
    )


def _microdata_id(element: Element, permalink: str | None) -> str | None:
    for node in (element, element.getparent()):
        if node is not None and node.get("id"):
            value = str(node.get("id"))
            digits = value.rsplit("-", 1)[-1]
            return digits if digits.isdigit() else value
    if permalink and "#" in permalink:
        return permalink.rsplit("#", 1)[-1].removeprefix("comment-")
    return None


def _outermost(elements: list[Element]) -> list[Element]:
    chosen = {id(e) for e in elements}
    return [e for e in elements if not any(id(a) in chosen for a in e.iterancestors())]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
