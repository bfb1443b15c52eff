"""Article authors as `[{"name", "url"}]`: several authors, no "By" prefixes, no dates in names.

Sources, first non-empty wins: structured data (JSON-LD incl. @id references, microdata) -> byline
markup of the article (rel=author links, itemprop=author, byline/author-name classes; never inside
comments or sidebars) -> <meta name="author"> and friends.
"""

from __future__ import annotations

import html
import re
from typing import Any

import lxml.html

from archiver.extract.document import Document, element_text
from archiver.extract.regions import article_elements
from archiver.extract.vocabulary import AUTHOR_META, BYLINE_PREFIX
from archiver.values import clean_inline, join_url, normalize_url

Person = dict[str, str | None]

_BYLINE_XPATHS = (
    '//a[contains(concat(" ", normalize-space(@rel), " "), " author ")]',
    '//*[@itemprop="author"]',
    '//*[contains(@class, "wp-block-post-author__name")]',
    # Prefilter only (one fast pass); _BYLINE_CLASS below decides on the class value.
    '//*[contains(@class, "byline") or contains(@class, "uthor") or @data-testid="byline"]',
    '//a[@href][contains(@class, "author")][not(contains(@class, "comment"))]',
)
# Class values of byline/author-name elements (the byline XPath's prefilter is broader).
_BYLINE_CLASS = re.compile(
    r"byline|author[-_]?name|(?:post|entry|article|story|c)-author|(?:^|\s)author(?:\s|$)",
    re.IGNORECASE,
)
# Where a byline ends: a separator, then a date, role or place follows.
_BYLINE_END = re.compile(
    r"\s*(?:\||•|·|—|–|\s-\s|\n)\s*|,?\s+\b(?:on|updated|published|posted|last)\b\s*.*$"
    r"|,?\s*\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d.*$"
    r"|,?\s*\d.*$",
    re.IGNORECASE,
)
# Case-sensitive on purpose: "Sarah E. Needleman" must not split at "E".
_NAME_SEPARATOR = re.compile(
    r"\s*(?:,|;|&|\+)\s*|\s+(?:and|AND|And|und|et|e|y|en|og|och|i)\s+"
)
# Lower-case words allowed inside a name ("Ludwig van Beethoven", "Leonardo da Vinci").
_PARTICLES = frozenset({"van", "von", "de", "da", "del", "der", "den", "di", "du", "la", "le",
                        "bin", "al", "el", "ibn", "ter", "dos", "das", "do", "y", "zu", "af"})
# A byline part holding one of these is a job title, not a name ("AP Auto Writer").
_ROLE_WORDS = frozenset({"staff", "writer", "writers", "editor", "editors", "reporter", "reporters",
                         "correspondent", "contributor", "columnist", "producer", "analyst",
                         "desk", "newsroom", "follow", "email", "twitter", "profile", "posts",
                         "view", "more", "updated", "published"})
# Degrees and credentials after a comma ("Ilana Muhlstein, MS, RDN") are not further authors.
_CREDENTIALS = frozenset({"phd", "md", "rd", "rdn", "ms", "msc", "mph", "mba", "cpt", "cscs", "np",
                          "rn", "dds", "esq", "ma", "ba", "bsc", "mfa", "lcsw", "cfp", "cfa", "do"})
# A byline fragment that is only a connecting word ("<span>By</span> <a>Ann</a>").
_LONE_WORDS = frozenset({"by", "von", "par", "por", "di", "door", "and", "und", "et", "with", "from"})
_MAX_BYLINE_CHARS = 160


def _strip_prefix(text: str) -> str:
    for _ in range(2):  # "Posted by: By X" happens
        text = re.sub(BYLINE_PREFIX, "", text, flags=re.IGNORECASE).strip()
    return text


def valid_name(name: str | None, *, strict: bool) -> str | None:
    """A cleaned person name, or None for roles, dates, handles, URLs and sentences."""
    name = clean_inline(html.unescape(name)) if name else None
    if not name:
        return None
    name = _strip_prefix(name).strip(" ,;:|-–—")
    if not 2 <= len(name) <= 80 or "@" in name or "http" in name.lower() or "://" in name:
        return None
    words = name.split()
    if len(words) == 1 and name.replace(".", "").casefold() in _CREDENTIALS | _LONE_WORDS:
        return None
    if strict:
        if len(words) > 6 or any(ch.isdigit() for ch in name):
            return None
        if {word.lower().strip(".,:") for word in words} & _ROLE_WORDS:
            return None
        for word in words:
            first = word[0]
            if first.isascii() and first.isalpha() and first.islower() and word not in _PARTICLES:
                return None
    return name


def split_byline(text: str) -> list[str]:
    """Names in a byline text: "By Ann Lee and Bo Chen | May 3, 2021" -> ["Ann Lee", "Bo Chen"]."""
    text = _strip_prefix(" ".join(text.split()))
    text = _BYLINE_END.split(text, maxsplit=1)[0]
    names = []
    for part in _NAME_SEPARATOR.split(text):
        name = valid_name(part, strict=True)
        if name:
            names.append(name)
    return names


def _person(name: str | None, url: str | None, base_url: str) -> Person:
    link = normalize_url(join_url(base_url, url)) if url and not url.startswith("#") else None
    return {"name": name, "url": link}


def _structured_people(value: Any, doc: Document) -> list[Person]:
    people: list[Person] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and set(item) <= {"@id", "@type"} and item.get("@id"):
            item = doc_json_ld_ids(doc).get(str(item["@id"]), item)
        if isinstance(item, str):
            people += [_person(name, None, doc.url) for name in split_structured(item)]
        elif isinstance(item, dict):
            name, url = item.get("name"), item.get("url") or item.get("sameAs")
            url = url[0] if isinstance(url, list) and url else url
            for clean in split_structured(name if isinstance(name, str) else None):
                people.append(_person(clean, url if isinstance(url, str) else None, doc.url))
    return people


def split_structured(name: str | None) -> list[str]:
    """A structured-data author name; "A and B" strings split, but no case rules (handles exist)."""
    clean = valid_name(name, strict=False)
    if not clean:
        return []
    parts = split_byline(clean)
    return parts or [clean]


def doc_json_ld_ids(doc: Document) -> dict[str, dict[str, Any]]:
    """JSON-LD objects by @id, to resolve Yoast-style `{"@id": ...}` author references."""
    if "json_ld_ids" not in doc._cache:
        doc._cache["json_ld_ids"] = {
            str(obj["@id"]): obj for obj in doc.json_ld if isinstance(obj.get("@id"), str)
        }
    ids: dict[str, dict[str, Any]] = doc._cache["json_ld_ids"]
    return ids


def _from_element(element: lxml.html.HtmlElement, base_url: str) -> list[Person]:
    if element.tag == "a":
        return [_person(n, element.get("href"), base_url) for n in split_byline(element_text(element))]
    name_nodes = element.xpath('.//*[@itemprop="name"]')
    if name_nodes:
        links = element.xpath(".//a[@href]")
        url = links[0].get("href") if links else element.get("href")
        return [_person(n, url, base_url) for n in split_byline(element_text(name_nodes[0]))]
    people = []
    for link in element.iter("a"):
        people += [_person(n, link.get("href"), base_url) for n in split_byline(element_text(link))]
    if people:
        return people
    # itertext keeps the boundary between "<div>By Ann</div><div>Associated Press</div>".
    text = " ".join(" ".join(element.itertext()).split())
    if len(text) > _MAX_BYLINE_CHARS:
        return []
    # <a href="/authors/x/"><span class="byline__author">X</span></a>: the link is around it.
    link = next((a for _, a in zip(range(2), element.iterancestors(), strict=False)
                 if a.tag == "a"), None)
    url = link.get("href") if link is not None else None
    return [_person(name, url, base_url) for name in split_byline(text)]


def _innermost(elements: list[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    """Matches without a match inside them first, then the rest: a byline box holding a name
    element and a role or publication element is best read through the name element."""
    matched = set(elements)
    inner = [e for e in elements if not any(d in matched for d in e.iterdescendants())]
    return inner + [e for e in elements if e not in inner]


def _markup_people(doc: Document) -> list[Person]:
    for xpath in _BYLINE_XPATHS:
        found = [
            element for element in doc.tree.xpath(xpath)
            if element.tag == "a" or element.get("itemprop") or element.get("data-testid")
            or _BYLINE_CLASS.search(element.get("class") or "")
        ]
        for element in _innermost(list(article_elements(found))):
            people = _from_element(element, doc.url)
            if people:
                return people
    return []


def _meta_people(doc: Document) -> list[Person]:
    people: list[Person] = []
    for key in AUTHOR_META:
        for value in doc.meta.get(key, []):
            if not value.lower().startswith(("http", "www.")):
                people += [_person(name, None, doc.url) for name in split_structured(value)]
        if people:
            break
    return people


def _unique(people: list[Person]) -> list[Person]:
    """First occurrence of each name (case-insensitive); a later URL fills a missing one."""
    by_name: dict[str, Person] = {}
    for person in people:
        key = (person["name"] or "").casefold()
        if key not in by_name:
            by_name[key] = dict(person)
        elif not by_name[key]["url"]:
            by_name[key]["url"] = person["url"]
    return list(by_name.values())


def extract_authors(doc: Document, structured: list[dict[str, Any] | None]) -> list[Person]:
    """Authors of the article; `structured` are its JSON-LD/microdata objects, best first."""
    for obj in structured:
        if obj and obj.get("author"):
            people = _structured_people(obj["author"], doc)
            if people:
                return _unique(people)
        if obj and obj.get("creator"):
            people = _structured_people(obj["creator"], doc)
            if people:
                return _unique(people)
    return _unique(_markup_people(doc) or _meta_people(doc))
